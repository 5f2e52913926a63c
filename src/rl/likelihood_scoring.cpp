// continuation_logprobs and reference_answer_text_of (see likelihood_scoring.h).
#include "rl/likelihood_scoring.h"

#include <ATen/ATen.h>
#include <ATen/core/grad_mode.h>

#include <algorithm>

#include "rl/token_logprobs.h"

namespace retort::rl {

SequenceBatch pack_continuations(const std::vector<ContinuationRequest>& requests, size_t begin, size_t end,
                                 int64_t pad_id, at::Device device) {
  std::vector<std::vector<int64_t>> ids;
  std::vector<std::vector<float>> masks;
  std::vector<std::vector<chem::Image>> images;
  for (size_t i = begin; i < end; ++i) {
    const auto& r = requests[i];
    std::vector<int64_t> row = r.prefix;
    row.insert(row.end(), r.continuation.begin(), r.continuation.end());
    std::vector<float> mask(r.prefix.size(), 0.0f);
    mask.resize(row.size(), 1.0f);
    ids.push_back(std::move(row));
    masks.push_back(std::move(mask));
    images.push_back(r.images);
  }
  return pack_sequences(ids, masks, images, pad_id, device);
}

std::vector<std::vector<double>> continuation_logprobs(const model::Policy& policy,
                                                       const std::vector<ContinuationRequest>& requests,
                                                       int64_t pad_id, int64_t micro_batch_size) {
  at::NoGradGuard no_grad;
  std::vector<std::vector<double>> out(requests.size());
  const size_t step = static_cast<size_t>(std::max<int64_t>(micro_batch_size, 1));
  for (size_t begin = 0; begin < requests.size(); begin += step) {
    const size_t end = std::min(requests.size(), begin + step);
    SequenceBatch batch = pack_continuations(requests, begin, end, pad_id, policy.device());
    at::Tensor logp = token_logprobs(policy, batch, /*with_entropy=*/false).logp.to(at::kCPU).to(at::kDouble);  // (B, T)
    for (size_t i = begin; i < end; ++i) {
      const auto& r = requests[i];
      const int64_t b = static_cast<int64_t>(i - begin);
      const int64_t start = static_cast<int64_t>(r.prefix.size());
      const int64_t count = static_cast<int64_t>(r.continuation.size());
      if (count == 0) continue;
      at::Tensor slice = logp[b].narrow(0, start, count).contiguous();
      out[i].assign(slice.data_ptr<double>(), slice.data_ptr<double>() + count);
    }
  }
  return out;
}

std::optional<std::string> reference_answer_text_of(const Example& example) {
  auto text_of = [](const nlohmann::json& v) -> std::optional<std::string> {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return std::string(v.get<bool>() ? "yes" : "no");
    if (v.is_number()) return v.dump();  // nlohmann prints the shortest round-trip form
    return std::nullopt;
  };
  if (auto t = text_of(example.answer)) return t;
  if (example.answer.is_object() && example.answer.contains("value"))
    if (auto t = text_of(example.answer["value"])) return t;
  if (example.meta.is_object() && example.meta.contains("answer_text") && example.meta["answer_text"].is_string())
    return example.meta["answer_text"].get<std::string>();
  return std::nullopt;
}

}  // namespace retort::rl
