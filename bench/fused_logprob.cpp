// bench_fused_logprob: the GPU figures of kernels/ (run by bench/gpu_check.sh; also works on the CPU).
//   logprob   fused_logprob vs plain_logprob, one forward + backward (grads of hidden and weight):
//             best-of-R milliseconds and peak memory of each, and their ratios.
//   sampling  rollout::sample_tokens (top-k / top-p / min-p on (B, V) logits) against the time to
//             read those logits once at the device's copy bandwidth: a ratio near 1-3 means ATen's
//             ops are already memory-bound and a custom kernel has little to win.
//   generate  rollout::Sampler on a random Qwen2.5-0.5B-shaped policy: generated tokens per second.
// Each mode prints one JSON line. Built with -DRETORT_BENCH_KERNELS_ONLY (kernels/ and
// rollout/sampling.cpp alone) it has the first two modes only.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <ATen/core/grad_mode.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#ifdef RETORT_WITH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAFunctions.h>
#endif

#include "kernels/cpu_allocation_peak.h"
#include "kernels/fused_logprob.h"
#include "rollout/sampling.h"
#ifndef RETORT_BENCH_KERNELS_ONLY  // bench/gpu_check.sh's fallback build has no model/ or rollout sampler
#include "model/policy.h"
#include "rollout/sampler.h"
#endif

using namespace retort;

namespace {

struct Options {
  std::string mode;
  at::Device device = at::kCPU;
  at::ScalarType dtype = at::kFloat;
  int64_t tokens = 4096, hidden = 896, vocab = 151936;  // logprob
  int64_t batch = 64;                                    // sampling, generate
  int64_t prompt = 64, new_tokens = 128;                 // generate
  int repeats = 5;
};

void synchronize(const at::Device& device) {
#ifdef RETORT_WITH_CUDA
  if (device.is_cuda()) c10::cuda::device_synchronize();
#endif
  (void)device;
}

// Peak bytes allocated while FN runs, above what was allocated before, on DEVICE.
double peak_gb(const at::Device& device, const std::function<void()>& fn) {
#ifdef RETORT_WITH_CUDA
  if (device.is_cuda()) {
    namespace alloc = c10::cuda::CUDACachingAllocator;
    synchronize(device);
    alloc::resetPeakStats(device.index());
    const int64_t before = alloc::getDeviceStats(device.index()).allocated_bytes[0].current;
    fn();
    synchronize(device);
    return static_cast<double>(alloc::getDeviceStats(device.index()).allocated_bytes[0].peak - before) / 1e9;
  }
#endif
  auto peak = std::make_shared<kernels::CpuAllocationPeak>();
  {
    c10::DebugInfoGuard guard(c10::DebugInfoKind::PROFILER_STATE, peak);
    fn();
  }
  return static_cast<double>(peak->peak_bytes()) / 1e9;
}

// Best of REPEATS wall-clock seconds of FN (after one warm-up run).
double best_seconds(const at::Device& device, int repeats, const std::function<void()>& fn) {
  fn();
  double best = 1e30;
  for (int r = 0; r < repeats; ++r) {
    synchronize(device);
    const auto t0 = std::chrono::steady_clock::now();
    fn();
    synchronize(device);
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return best;
}

int bench_logprob(const Options& o) {
  at::manual_seed(0);
  const auto opts = at::TensorOptions().device(o.device).dtype(o.dtype);
  at::Tensor hidden = (at::randn({o.tokens, o.hidden}, opts) * 1.5).requires_grad_(true);
  at::Tensor weight = (at::randn({o.vocab, o.hidden}, opts) * (2.0 / std::sqrt(o.hidden))).requires_grad_(true);
  at::Tensor targets = at::randint(0, o.vocab, {o.tokens}, at::TensorOptions().device(o.device).dtype(at::kLong));
  at::Tensor grad_logp = at::randn({o.tokens}, opts.dtype(at::kFloat));
  at::Tensor grad_entropy = at::randn({o.tokens}, opts.dtype(at::kFloat));
  at::Tensor logp_fused, logp_plain;
  auto pass = [&](bool fused) {
    hidden.mutable_grad() = at::Tensor();
    weight.mutable_grad() = at::Tensor();
    kernels::LogprobsAndEntropy r =
        fused ? kernels::fused_logprob(hidden, weight, targets) : kernels::plain_logprob(hidden, weight, targets);
    ((r.logp * grad_logp).sum() + (r.entropy * grad_entropy).sum()).backward();
    (fused ? logp_fused : logp_plain) = r.logp.detach();
  };
  const double fused_gb = peak_gb(o.device, [&] { pass(true); });
  const double fused_s = best_seconds(o.device, o.repeats, [&] { pass(true); });
  double plain_gb = -1, plain_s = -1;
  std::string plain_error;
  try {
    plain_gb = peak_gb(o.device, [&] { pass(false); });
    plain_s = best_seconds(o.device, o.repeats, [&] { pass(false); });
  } catch (const std::exception& e) {  // out of memory: the plain path's failure is the result
    plain_error = std::string(e.what()).substr(0, std::string(e.what()).find('\n'));
  }
  const double logp_diff = logp_plain.defined() ? (logp_fused - logp_plain).abs().max().item<double>() : -1;
  std::printf("{\"bench\": \"fused_logprob\", \"device\": \"%s\", \"dtype\": \"%s\", \"N\": %lld, \"H\": %lld, "
              "\"V\": %lld, \"fused_ms\": %.2f, \"plain_ms\": %.2f, \"fused_peak_gb\": %.3f, \"plain_peak_gb\": %.3f, "
              "\"time_ratio\": %.3f, \"memory_ratio\": %.4f, \"max_logp_diff\": %.3g, \"plain_error\": \"%s\"}\n",
              o.device.str().c_str(), c10::toString(o.dtype), static_cast<long long>(o.tokens),
              static_cast<long long>(o.hidden), static_cast<long long>(o.vocab), fused_s * 1e3, plain_s * 1e3,
              fused_gb, plain_gb, plain_s > 0 ? fused_s / plain_s : -1.0, plain_gb > 0 ? fused_gb / plain_gb : -1.0,
              logp_diff, plain_error.c_str());
  return 0;
}

int bench_sampling(const Options& o) {
  at::NoGradGuard no_grad;
  at::manual_seed(0);
  const auto opts = at::TensorOptions().device(o.device).dtype(o.dtype);
  at::Tensor logits = at::randn({o.batch, o.vocab}, opts) * 3.0;  // (B, V)
  const double logits_bytes = static_cast<double>(logits.numel()) * logits.element_size();
  // Copy bandwidth: a clone reads and writes the logits once.
  at::Tensor copy;
  const double clone_s = best_seconds(o.device, o.repeats, [&] { copy = logits.clone(); });
  const double copy_gbps = 2 * logits_bytes / clone_s / 1e9;
  const double one_read_s = logits_bytes / (copy_gbps * 1e9);
  at::Generator generator = at::globalContext().defaultGenerator(o.device).clone();
  struct Case {
    const char* name;
    rollout::SamplingParams params;
  };
  const std::vector<Case> cases = {
      {"temperature", {1.0, 0, 1.0, 0.0}},
      {"top_k50_top_p0.95", {0.8, 50, 0.95, 0.0}},
      {"top_p0.95", {0.8, 0, 0.95, 0.0}},
      {"min_p0.05", {0.8, 0, 1.0, 0.05}},
  };
  std::string fields;
  for (const Case& c : cases) {
    const double s = best_seconds(o.device, o.repeats, [&] { rollout::sample_tokens(logits, c.params, generator); });
    char buf[256];
    std::snprintf(buf, sizeof buf, ", \"%s_ms\": %.3f, \"%s_x_one_read\": %.1f", c.name, s * 1e3, c.name,
                  s / one_read_s);
    fields += buf;
  }
  std::printf("{\"bench\": \"sampling\", \"device\": \"%s\", \"dtype\": \"%s\", \"B\": %lld, \"V\": %lld, "
              "\"copy_gbps\": %.1f, \"one_read_ms\": %.4f%s}\n",
              o.device.str().c_str(), c10::toString(o.dtype), static_cast<long long>(o.batch),
              static_cast<long long>(o.vocab), copy_gbps, one_read_s * 1e3, fields.c_str());
  return 0;
}

#ifndef RETORT_BENCH_KERNELS_ONLY
int bench_generate(const Options& o) {
  at::NoGradGuard no_grad;
  model::Qwen2Config config;  // Qwen2.5-0.5B's shape
  config.vocab_size = 151936;
  config.hidden_size = 896;
  config.intermediate_size = 4864;
  config.num_hidden_layers = 24;
  config.num_attention_heads = 14;
  config.num_key_value_heads = 2;
  config.head_dim = 64;
  config.rope_theta = 1000000.0;
  config.tie_word_embeddings = true;
  model::Policy policy = model::Policy::create(config, 1234);
  policy.to(o.device, o.dtype);
  at::Generator g = at::globalContext().defaultGenerator(at::kCPU).clone();
  g.set_current_seed(99);
  at::Tensor prompt_ids = at::randint(0, config.vocab_size, {o.batch, o.prompt}, g, at::TensorOptions().dtype(at::kLong));
  std::vector<std::vector<int64_t>> prompts(o.batch);
  for (int64_t b = 0; b < o.batch; ++b)
    prompts[b].assign(prompt_ids[b].data_ptr<int64_t>(), prompt_ids[b].data_ptr<int64_t>() + o.prompt);
  rollout::GenerationParams params;
  params.sampling = {0.8, 50, 0.95, 0.0};
  params.max_new_tokens = o.new_tokens;
  params.append_capacity = 0;
  double best = 1e30;
  int64_t generated = 0;
  for (int r = 0; r < std::max(2, o.repeats); ++r) {  // the first run warms up
    params.seed = static_cast<uint64_t>(r);
    rollout::Sampler sampler(policy, params);
    synchronize(o.device);
    const auto t0 = std::chrono::steady_clock::now();
    sampler.start(prompts);
    sampler.run();
    synchronize(o.device);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    generated = 0;
    for (const auto& s : sampler.sequences()) generated += static_cast<int64_t>(s.tokens.size());
    if (r > 0) best = std::min(best, seconds);
  }
  std::printf("{\"bench\": \"generate\", \"model\": \"random Qwen2.5-0.5B shape\", \"device\": \"%s\", \"dtype\": "
              "\"%s\", \"batch\": %lld, \"prompt\": %lld, \"new_tokens\": %lld, \"seconds\": %.3f, \"tokens\": %lld, "
              "\"tokens_per_s\": %.1f}\n",
              o.device.str().c_str(), c10::toString(o.dtype), static_cast<long long>(o.batch),
              static_cast<long long>(o.prompt), static_cast<long long>(o.new_tokens), best,
              static_cast<long long>(generated), generated / best);
  return 0;
}

#else
int bench_generate(const Options&) { throw std::invalid_argument("generate needs the full retort build"); }
#endif

at::ScalarType parse_dtype(const std::string& s) {
  if (s == "float32") return at::kFloat;
  if (s == "bfloat16") return at::kBFloat16;
  if (s == "float16") return at::kHalf;
  throw std::invalid_argument("--dtype must be float32, bfloat16 or float16, got '" + s + "'");
}

const char* kUsage =
    "usage: bench_fused_logprob logprob  [--device cpu|cuda] [--dtype float32|bfloat16] [--tokens N] [--hidden H]\n"
    "                                    [--vocab V] [--repeats R]\n"
    "       bench_fused_logprob sampling [--device D] [--dtype T] [--batch B] [--vocab V] [--repeats R]\n"
    "       bench_fused_logprob generate [--device D] [--dtype T] [--batch B] [--prompt P] [--new-tokens K]\n"
    "                                    [--repeats R]\n";

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc < 2) {
      std::fputs(kUsage, stderr);
      return 2;
    }
    Options o;
    o.mode = argv[1];
    for (int i = 2; i + 1 < argc; i += 2) {
      const std::string key = argv[i], value = argv[i + 1];
      if (key == "--device") o.device = at::Device(value);
      else if (key == "--dtype") o.dtype = parse_dtype(value);
      else if (key == "--tokens") o.tokens = std::stoll(value);
      else if (key == "--hidden") o.hidden = std::stoll(value);
      else if (key == "--vocab") o.vocab = std::stoll(value);
      else if (key == "--batch") o.batch = std::stoll(value);
      else if (key == "--prompt") o.prompt = std::stoll(value);
      else if (key == "--new-tokens") o.new_tokens = std::stoll(value);
      else if (key == "--repeats") o.repeats = std::stoi(value);
      else throw std::invalid_argument("unknown option " + key);
    }
    if (o.device.is_cuda() && !o.device.has_index()) o.device = at::Device(at::kCUDA, 0);
    if (o.mode == "logprob") return bench_logprob(o);
    if (o.mode == "sampling") return bench_sampling(o);
    if (o.mode == "generate") return bench_generate(o);
    throw std::invalid_argument("unknown mode '" + o.mode + "'");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_fused_logprob: %s\n%s", e.what(), kUsage);
    return 1;
  }
}
