// Two processes on loopback (Gloo): bucketed all-reduce (sum and mean, bucket count), broadcast,
// all-gather of doubles and strings, and PolicyOptimizer's gradient hook, whose two-rank update must
// equal one process's full-batch update. The test binary re-runs itself as the ranks: with
// RETORT_DIST_WORKER set, a static initialiser runs the worker and exits before GoogleTest starts.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include <ATen/ATen.h>

#include "dist/dist_context.h"
#include "dist/rank_metrics.h"
#include "rl/optimizer.h"
#include "spawn.h"

using namespace retort::dist;

namespace {

int failures = 0;
void check(bool ok, const std::string& what, int rank) {
  if (!ok) {
    std::fprintf(stderr, "rank %d: FAILED %s\n", rank, what.c_str());
    ++failures;
  }
}
bool close_to(const at::Tensor& a, const at::Tensor& b, double tolerance = 0) {
  return a.sizes() == b.sizes() && (a.to(at::kDouble) - b.to(at::kDouble)).abs().max().item<double>() <= tolerance;
}

// Loss of a linear least-squares model on rows X (n, 3), targets y (n,): sum over rows / TOTAL_ROWS.
at::Tensor loss_on(const at::Tensor& W, const at::Tensor& X, const at::Tensor& y, double total_rows) {
  return (at::matmul(X, W).squeeze(1) - y).pow(2).sum() / total_rows;
}

int run_worker() {
  DistContext dist(launch_environment_from_process(), at::Device(at::kCPU));
  const int r = dist.rank();
  check(dist.distributed() && dist.world_size() == 2 && dist.backend_name() == "gloo", "a gloo group of 2", r);

  // Buckets of at most 16 bytes: a (3 floats, 12 B) and b (4 doubles, 32 B, another dtype) and c (5 floats,
  // 20 B, too big to join) go alone; d and e (2 floats each, 8 B) share one bucket -> 4 collectives.
  const double k = r + 1;
  std::vector<at::Tensor> tensors{at::tensor({1.0f, 2.0f, 3.0f}) * k, at::full({2, 2}, 10.0 * k, at::kDouble),
                                  at::full({5}, static_cast<float>(r)), at::full({2}, 1.0f + r), at::full({2}, 5.0f * k)};
  int64_t before = dist.collectives_issued();
  dist.all_reduce(tensors, ReduceOp::sum, /*bucket_bytes=*/16);
  check(dist.collectives_issued() - before == 4, "4 buckets", r);
  check(close_to(tensors[0], at::tensor({3.0f, 6.0f, 9.0f})), "sum a", r);
  check(close_to(tensors[1], at::full({2, 2}, 30.0, at::kDouble)), "sum b", r);
  check(close_to(tensors[2], at::full({5}, 1.0f)), "sum c", r);
  check(close_to(tensors[3], at::full({2}, 3.0f)) && close_to(tensors[4], at::full({2}, 15.0f)), "sum d, e", r);
  std::vector<at::Tensor> means{at::tensor({1.0f, 2.0f, 3.0f}) * k};
  dist.all_reduce(means, ReduceOp::mean);
  check(close_to(means[0], at::tensor({1.5f, 3.0f, 4.5f})), "mean", r);
  check(dist.all_reduce(0.25 * k, ReduceOp::sum) == 0.75, "scalar sum", r);

  std::vector<at::Tensor> from_root{at::full({3}, static_cast<double>(r), at::kDouble)};
  dist.broadcast(from_root, /*root=*/1);
  check(close_to(from_root[0], at::full({3}, 1.0, at::kDouble)), "broadcast from rank 1", r);
  check(dist.all_gather(std::vector<double>{static_cast<double>(r), 10.0 + r}) == std::vector<double>({0, 10, 1, 11}),
        "all_gather doubles", r);
  check(dist.all_gather(std::string(r == 0 ? "a" : "bcd")) == std::vector<std::string>({"a", "bcd"}), "all_gather text", r);
  auto merged = gather_and_merge_metrics(dist, {{"loss", r == 0 ? 0.5 : 0.7}, {"reward/mean", 0.1 * r},
                                                {"grad_norm", r == 0 ? 1.0 : std::nan("")}});
  check(merged["loss"] == 0.5 && merged["reward/mean"] == 0.05 && merged["grad_norm"] == 1.0 && merged.size() == 3,
        "gathered metrics merged (NaN travels)", r);
  auto nan_mean = gather_and_merge_metrics(dist, {{"kl", r == 1 ? std::nan("") : 0.25}});
  check(std::isnan(nan_mean["kl"]), "a NaN on one rank makes the mean NaN", r);
  check(dist.shard(5) == (r == 0 ? std::pair<int64_t, int64_t>{0, 2} : std::pair<int64_t, int64_t>{2, 5}), "shard", r);

  // Gradient hook: each rank holds half the rows; summing the two halves' gradients (loss divided by the
  // global row count) must reproduce the full-batch AdamW step of one process, over three steps.
  at::manual_seed(7);  // the same data on both ranks
  at::Tensor X = at::randn({6, 3}, at::kDouble), y = at::randn({6}, at::kDouble);
  retort::rl::OptimizerOptions options;
  options.lr = 0.1;
  options.schedule = "constant";
  options.max_grad_norm = 0.5;  // clipping acts on the reduced (global) norm
  at::Tensor W_dist = at::full({3, 1}, 0.1, at::kDouble).requires_grad_(true);
  at::Tensor W_single = W_dist.detach().clone().requires_grad_(true);
  retort::rl::PolicyOptimizer dist_optimizer({W_dist}, options), single_optimizer({W_single}, options);
  dist_optimizer.set_gradient_reduce([&](std::vector<at::Tensor>& grads) { dist.all_reduce(grads, ReduceOp::sum); });
  for (int step = 0; step < 3; ++step) {
    auto [a, b] = dist.shard(6);
    loss_on(W_dist, X.narrow(0, a, b - a), y.narrow(0, a, b - a), 6.0).backward();
    auto dist_report = dist_optimizer.step(0.0);
    loss_on(W_single, X, y, 6.0).backward();
    auto single_report = single_optimizer.step(0.0);
    check(std::abs(dist_report.grad_norm - single_report.grad_norm) < 1e-12, "global grad norm", r);
  }
  const double difference = (W_dist - W_single).abs().max().item<double>();
  std::fprintf(stderr, "rank %d: hook update vs full batch max |diff| %.3g\n", r, difference);
  check(difference < 1e-12, "hook update equals the full-batch update", r);
  dist.barrier();
  return failures == 0 ? 0 : 1;
}

const int worker_exit = [] {
  if (std::getenv("RETORT_DIST_WORKER") == nullptr) return 0;
  int code = 1;
  try {
    code = run_worker();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "worker: %s\n", e.what());
  }
  std::fflush(stderr);
  std::_Exit(code);
}();

}  // namespace

TEST(DistContext, OneProcessIsANoOp) {
  DistContext single;
  EXPECT_FALSE(single.distributed());
  EXPECT_EQ(single.backend_name(), "none");
  std::vector<at::Tensor> t{at::ones({2})};
  single.all_reduce(t, ReduceOp::mean);
  single.broadcast(t);
  single.barrier();
  EXPECT_TRUE(at::equal(t[0], at::ones({2})));
  EXPECT_EQ(single.all_gather(std::vector<double>{1.5}), std::vector<double>{1.5});
  EXPECT_EQ(single.shard(7), (std::pair<int64_t, int64_t>{0, 7}));
  EXPECT_EQ(single.collectives_issued(), 0);
}

TEST(DistContext, TwoRanksOnGlooAgreeWithHandComputedCollectives) {
  auto codes = retort::dist::testing::run_ranks({"/proc/self/exe"}, 2, {{"RETORT_DIST_WORKER", "1"}, {"RETORT_DIST_TIMEOUT_S", "60"}});
  EXPECT_EQ(codes, (std::vector<int>{0, 0}));
}
