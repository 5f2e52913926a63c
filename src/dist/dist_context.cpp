// DistContext: bucketing of tensor lists over the CollectiveBackend, and the process-wide context.
#include "dist/dist_context.h"

#include <ATen/core/grad_mode.h>

#include <cstring>

#include "dist/collective_backend.h"

namespace retort::dist {

DistContext::DistContext() = default;

DistContext::DistContext(const LaunchEnvironment& env, at::Device device) : env_(env) {
  if (env_.distributed()) backend_ = make_process_group(env_, device);
}

DistContext::~DistContext() = default;
DistContext::DistContext(DistContext&&) noexcept = default;
DistContext& DistContext::operator=(DistContext&&) noexcept = default;

std::string DistContext::backend_name() const { return backend_ ? backend_->name() : "none"; }

std::pair<int64_t, int64_t> DistContext::shard(int64_t count) const {
  const int64_t world = env_.world_size, rank = env_.rank;
  return {count * rank / world, count * (rank + 1) / world};
}

// Groups consecutive tensors of one dtype and device into flat buckets of at most BUCKET_BYTES, runs
// COLLECTIVE on each bucket (on the backend's device) and copies the result back into the tensors.
template <typename Collective>
void DistContext::bucketed(std::vector<at::Tensor>& tensors, int64_t bucket_bytes, Collective&& collective) {
  for (size_t i = 0; i < tensors.size(); ++i)
    if (!tensors[i].defined()) throw DistributedError("dist: tensor " + std::to_string(i) + " of a collective is undefined");
  size_t begin = 0;
  while (begin < tensors.size()) {
    size_t end = begin + 1;
    int64_t bytes = tensors[begin].numel() * static_cast<int64_t>(tensors[begin].element_size());
    while (end < tensors.size() && tensors[end].scalar_type() == tensors[begin].scalar_type() &&
           tensors[end].device() == tensors[begin].device()) {
      int64_t more = tensors[end].numel() * static_cast<int64_t>(tensors[end].element_size());
      if (bytes + more > bucket_bytes) break;
      bytes += more;
      ++end;
    }
    std::vector<at::Tensor> flat_parts;
    for (size_t k = begin; k < end; ++k) flat_parts.push_back(tensors[k].detach().reshape({-1}));
    at::Tensor flat = at::cat(flat_parts).to(backend_->device());  // (sum of numel,)
    collective(flat);
    ++collectives_;
    int64_t offset = 0;
    at::NoGradGuard no_grad;
    for (size_t k = begin; k < end; ++k) {
      const int64_t n = tensors[k].numel();
      tensors[k].detach().copy_(flat.narrow(0, offset, n).view(tensors[k].sizes()));
      offset += n;
    }
    begin = end;
  }
}

void DistContext::all_reduce(std::vector<at::Tensor>& tensors, ReduceOp op, int64_t bucket_bytes) {
  if (!backend_) return;
  const double world = static_cast<double>(env_.world_size);
  bucketed(tensors, bucket_bytes, [&](at::Tensor& flat) {
    backend_->all_reduce_sum(flat);
    if (op == ReduceOp::mean) {
      if (!at::isFloatingType(flat.scalar_type()))
        throw DistributedError("dist: a mean all-reduce needs floating-point tensors");
      flat.div_(world);
    }
  });
}

double DistContext::all_reduce(double value, ReduceOp op) {
  if (!backend_) return value;
  std::vector<at::Tensor> one{at::full({1}, value, at::kDouble)};
  all_reduce(one, op);
  return one[0].item<double>();
}

void DistContext::broadcast(std::vector<at::Tensor>& tensors, int root) {
  if (!backend_) return;
  if (root < 0 || root >= env_.world_size) throw DistributedError("dist: broadcast root " + std::to_string(root) + " is not a rank");
  bucketed(tensors, kDefaultBucketBytes, [&](at::Tensor& flat) { backend_->broadcast(flat, root); });
}

void DistContext::barrier() {
  if (backend_) backend_->barrier();
}

std::vector<double> DistContext::all_gather(const std::vector<double>& values) {
  if (!backend_) return values;
  at::Tensor local = at::tensor(values, at::kDouble).to(backend_->device());
  auto gathered = backend_->all_gather(local);
  ++collectives_;
  std::vector<double> out;
  for (auto& part : gathered) {
    at::Tensor cpu = part.to(at::kCPU).contiguous();
    out.insert(out.end(), cpu.data_ptr<double>(), cpu.data_ptr<double>() + cpu.numel());
  }
  return out;
}

std::vector<std::string> DistContext::all_gather(const std::string& text) {
  if (!backend_) return {text};
  auto lengths = all_gather(std::vector<double>{static_cast<double>(text.size())});
  int64_t longest = 0;
  for (double n : lengths) longest = std::max<int64_t>(longest, static_cast<int64_t>(n));
  at::Tensor local = at::zeros({std::max<int64_t>(longest, 1)}, at::kByte);  // (longest,) padded bytes
  std::memcpy(local.data_ptr<uint8_t>(), text.data(), text.size());
  auto gathered = backend_->all_gather(local.to(backend_->device()));
  ++collectives_;
  std::vector<std::string> out;
  for (size_t r = 0; r < gathered.size(); ++r) {
    at::Tensor cpu = gathered[r].to(at::kCPU).contiguous();
    out.emplace_back(reinterpret_cast<const char*>(cpu.data_ptr<uint8_t>()), static_cast<size_t>(lengths[r]));
  }
  return out;
}

namespace {
DistContext& world_storage() {
  static DistContext context;
  return context;
}
}  // namespace

DistContext& world() { return world_storage(); }
void set_world(DistContext context) { world_storage() = std::move(context); }

}  // namespace retort::dist
