// fused_logprob against hand-computed values and against the plain log_softmax path: values and
// gradients (hidden and weight) within 1e-5 in fp32 on sizes that are not multiples of the tiles,
// bf16, one output unused, no-grad mode, bad inputs; on a CUDA device also the kernels (skipped here
// when there is none).
#include <ATen/ATen.h>
#include <ATen/autocast_mode.h>
#include <ATen/core/grad_mode.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "kernels/fused_logprob.h"

using retort::kernels::FusedLogprobOptions;
using retort::kernels::fused_logprob;
using retort::kernels::LogprobsAndEntropy;
using retort::kernels::plain_logprob;

namespace {

struct Problem {
  at::Tensor hidden, weight, targets, grad_logp, grad_entropy;  // (N, H), (V, H), (N,), (N,), (N,)
};

// Logits of spread ~3 (peaked and flat rows both occur); upstream gradients random, fixed seeds.
Problem make_problem(int64_t N, int64_t H, int64_t V, at::ScalarType dtype, at::Device device, uint64_t seed) {
  at::Generator g = at::globalContext().defaultGenerator(at::kCPU).clone();
  g.set_current_seed(seed);
  const auto f32 = at::TensorOptions().dtype(at::kFloat);
  Problem p;
  p.hidden = (at::randn({N, H}, g, f32) * 1.5).to(device, dtype);
  p.weight = (at::randn({V, H}, g, f32) / std::sqrt(static_cast<double>(H)) * 2.0).to(device, dtype);
  p.targets = at::randint(0, V, {N}, g, at::TensorOptions().dtype(at::kLong)).to(device);
  p.grad_logp = at::randn({N}, g, f32).to(device);
  p.grad_entropy = at::randn({N}, g, f32).to(device);
  return p;
}

struct Result {
  at::Tensor logp, entropy, grad_hidden, grad_weight;
};

// Runs PATH on fresh leaves and backpropagates grad_logp . logp + grad_entropy . entropy.
template <typename Path>
Result run_with_grads(const Problem& p, Path path, bool use_logp = true, bool use_entropy = true) {
  at::Tensor hidden = p.hidden.clone().requires_grad_(true);
  at::Tensor weight = p.weight.clone().requires_grad_(true);
  LogprobsAndEntropy r = path(hidden, weight, p.targets);
  at::Tensor loss = at::zeros({}, p.grad_logp.options());
  if (use_logp) loss = loss + (r.logp * p.grad_logp).sum();
  if (use_entropy) loss = loss + (r.entropy * p.grad_entropy).sum();
  loss.backward();
  return {r.logp.detach(), r.entropy.detach(), hidden.grad(), weight.grad()};
}

double max_abs_diff(const at::Tensor& a, const at::Tensor& b) {
  return (a.to(at::kCPU, at::kDouble) - b.to(at::kCPU, at::kDouble)).abs().max().item<double>();
}

// max |a - b| / max |b|: bf16 results compare relative to their scale.
double max_relative_diff(const at::Tensor& a, const at::Tensor& b) {
  return max_abs_diff(a, b) / b.to(at::kCPU, at::kDouble).abs().max().item<double>();
}

// bf16: both paths round the logits to bf16 (2^-8 relative) and differ in GEMM summation order.
void expect_close_bf16(const Result& fused, const Result& plain, const std::string& what) {
  EXPECT_EQ(fused.grad_hidden.scalar_type(), at::kBFloat16) << what;
  EXPECT_EQ(fused.grad_weight.scalar_type(), at::kBFloat16) << what;
  EXPECT_LE(max_relative_diff(fused.logp, plain.logp), 1e-2) << what << ": logp";
  EXPECT_LE(max_relative_diff(fused.entropy, plain.entropy), 1e-2) << what << ": entropy";
  EXPECT_LE(max_relative_diff(fused.grad_hidden, plain.grad_hidden), 2e-2) << what << ": grad hidden";
  EXPECT_LE(max_relative_diff(fused.grad_weight, plain.grad_weight), 2e-2) << what << ": grad weight";
}

// |fused - plain| <= TOLERANCE * max(1, max |plain|): absolute for values up to 1, relative to the
// largest value above that (two fp32 computations of a value near 10 differ by ~1e-5 by rounding
// alone: the plain path's own error against fp64 is 9e-6 on the grad weight of the odd-sizes test).
void expect_close(const Result& fused, const Result& plain, double tolerance, const std::string& what) {
  auto scaled = [](const at::Tensor& a, const at::Tensor& b) {
    return max_abs_diff(a, b) / std::max(1.0, b.to(at::kCPU, at::kDouble).abs().max().item<double>());
  };
  EXPECT_LE(scaled(fused.logp, plain.logp), tolerance) << what << ": logp";
  EXPECT_LE(scaled(fused.entropy, plain.entropy), tolerance) << what << ": entropy";
  EXPECT_LE(scaled(fused.grad_hidden, plain.grad_hidden), tolerance) << what << ": grad hidden";
  EXPECT_LE(scaled(fused.grad_weight, plain.grad_weight), tolerance) << what << ": grad weight";
}

auto fused_with(FusedLogprobOptions options) {
  return [options](const at::Tensor& h, const at::Tensor& w, const at::Tensor& t) { return fused_logprob(h, w, t, options); };
}

const auto plain = [](const at::Tensor& h, const at::Tensor& w, const at::Tensor& t) { return plain_logprob(h, w, t); };

}  // namespace

// Logits [0, 1, 2], target 2, by hand: logsumexp = log(1 + e + e^2) = 2.4076059644, logp = -0.4076059644,
// p = (0.0900306, 0.2447285, 0.6652410), entropy = 0.8323955818; d logp / dz = onehot - p, so
// d logp / dW = (-0.0900306, -0.2447285, 0.3347590) * h and d logp / dh = -0.2447285 + 2 * 0.3347590.
TEST(FusedLogprob, HandComputedThreeTokenVocabulary) {
  at::Tensor hidden = at::ones({1, 1}, at::kFloat).requires_grad_(true);
  at::Tensor weight = at::arange(3, at::kFloat).reshape({3, 1}).requires_grad_(true);
  at::Tensor targets = at::full({1}, 2, at::kLong);
  LogprobsAndEntropy r = fused_logprob(hidden, weight, targets, {/*row_chunk=*/1, /*vocab_chunk=*/2});
  EXPECT_NEAR(r.logp.item<float>(), -0.40760596444438, 1e-6);
  EXPECT_NEAR(r.entropy.item<float>(), 0.83239558183994, 1e-6);
  r.logp.sum().backward();
  EXPECT_NEAR(weight.grad()[0][0].item<float>(), -0.09003057317038, 1e-6);
  EXPECT_NEAR(weight.grad()[1][0].item<float>(), -0.24472847105480, 1e-6);
  EXPECT_NEAR(weight.grad()[2][0].item<float>(), 0.33475904422518, 1e-6);
  EXPECT_NEAR(hidden.grad()[0][0].item<float>(), -0.24472847105480 + 2 * 0.33475904422518, 1e-6);
}

// dH/dz = -p (z - sum p z): with logits [0, 1, 2], (0.1418171, 0.1407704, -0.2825875) times h.
TEST(FusedLogprob, HandComputedEntropyGradient) {
  at::Tensor hidden = at::ones({1, 1}, at::kFloat);
  at::Tensor weight = at::arange(3, at::kFloat).reshape({3, 1}).requires_grad_(true);
  LogprobsAndEntropy r = fused_logprob(hidden, weight, at::zeros({1}, at::kLong), {1, 2});
  r.entropy.sum().backward();
  EXPECT_NEAR(weight.grad()[0][0].item<float>(), 0.14181709360981, 1e-6);
  EXPECT_NEAR(weight.grad()[1][0].item<float>(), 0.14077035746963, 1e-6);
  EXPECT_NEAR(weight.grad()[2][0].item<float>(), -0.28258745107944, 1e-6);
}

// FusedLogprobOptions worth testing on N = 53, V = 1009: tiles that do not divide the sizes, one tile
// for everything, the defaults, and a pathological 3-wide vocabulary tile (337 online rescalings).
const FusedLogprobOptions kOddTiles[] = {{8, 128}, {7, 100}, {53, 1009}, {1024, 8192}, {1000, 3}};

std::string describe(const FusedLogprobOptions& o) {
  return "row_chunk " + std::to_string(o.row_chunk) + ", vocab_chunk " + std::to_string(o.vocab_chunk);
}

TEST(FusedLogprob, EqualsPlainOnOddSizesFp32) {
  const Problem p = make_problem(/*N=*/53, /*H=*/37, /*V=*/1009, at::kFloat, at::kCPU, 1);
  const Result reference = run_with_grads(p, plain);
  for (const FusedLogprobOptions& options : kOddTiles)
    expect_close(run_with_grads(p, fused_with(options)), reference, 1e-5, describe(options));
  // The sizes make a real test: entropies spread from peaked rows to flat ones.
  EXPECT_LT(reference.entropy.min().item<float>(), 1.0);
  EXPECT_GT(reference.entropy.max().item<float>(), 4.5);
}

// Both fp32 paths against the plain path in fp64: the fused one is as accurate as the plain one.
TEST(FusedLogprob, AsAccurateAsPlainAgainstFp64) {
  const Problem p = make_problem(53, 37, 1009, at::kFloat, at::kCPU, 1);
  Problem p64 = p;
  p64.hidden = p.hidden.to(at::kDouble);
  p64.weight = p.weight.to(at::kDouble);
  p64.grad_logp = p.grad_logp.to(at::kDouble);
  p64.grad_entropy = p.grad_entropy.to(at::kDouble);
  // plain_logprob casts logits to fp32: the exact reference is the same formula all in fp64.
  const auto plain_fp64 = [](const at::Tensor& h, const at::Tensor& w, const at::Tensor& t) {
    at::Tensor log_probs = at::log_softmax(at::linear(h, w), -1);  // (N, V) fp64
    return LogprobsAndEntropy{log_probs.gather(-1, t.unsqueeze(-1)).squeeze(-1), -(log_probs.exp() * log_probs).sum(-1)};
  };
  const Result exact = run_with_grads(p64, plain_fp64);
  const Result plain32 = run_with_grads(p, plain);
  auto errors = [&](const Result& r) {
    return std::vector<double>{max_abs_diff(r.logp, exact.logp), max_abs_diff(r.entropy, exact.entropy),
                               max_abs_diff(r.grad_hidden, exact.grad_hidden), max_abs_diff(r.grad_weight, exact.grad_weight)};
  };
  const std::vector<double> plain_errors = errors(plain32);
  const char* names[] = {"logp", "entropy", "grad hidden", "grad weight"};
  for (const FusedLogprobOptions& options : kOddTiles) {
    // Tiles merge sequentially: 3-wide ones sum 337 partial results one by one and lose ~8x the
    // accuracy (1.6e-5 on the entropy); they stay within EqualsPlainOnOddSizesFp32's bound.
    if (options.vocab_chunk < 64) continue;
    const std::vector<double> fused_errors = errors(run_with_grads(p, fused_with(options)));
    for (int i = 0; i < 4; ++i) {
      std::printf("%-32s %-12s fused error %.2e, plain error %.2e\n", describe(options).c_str(), names[i],
                  fused_errors[i], plain_errors[i]);
      EXPECT_LE(fused_errors[i], 4 * plain_errors[i] + 1e-6) << describe(options) << ": " << names[i];
    }
  }
}

TEST(FusedLogprob, EqualsPlainWhenOnlyOneOutputIsUsed) {
  const Problem p = make_problem(29, 16, 515, at::kFloat, at::kCPU, 2);
  for (bool use_logp : {true, false}) {
    const bool use_entropy = !use_logp;
    const Result reference = run_with_grads(p, plain, use_logp, use_entropy);
    const Result fused = run_with_grads(p, fused_with({6, 64}), use_logp, use_entropy);
    expect_close(fused, reference, 1e-5, use_logp ? "logp only" : "entropy only");
  }
}

TEST(FusedLogprob, EqualsPlainInBf16) {
  const Problem p = make_problem(31, 64, 777, at::kBFloat16, at::kCPU, 3);
  const Result reference = run_with_grads(p, plain);
  const Result fused = run_with_grads(p, fused_with({8, 100}));
  expect_close_bf16(fused, reference, "cpu bf16");
}

TEST(FusedLogprob, UnderAutocastEqualsPlainUnderAutocast) {
  // fp32 leaves, bf16 CPU autocast (as the trainer's AutocastScope): both paths compute bf16 logits.
  const Problem p = make_problem(23, 32, 600, at::kFloat, at::kCPU, 9);
  const bool was_enabled = at::autocast::is_autocast_enabled(at::kCPU);
  const at::ScalarType was_dtype = at::autocast::get_autocast_dtype(at::kCPU);
  at::autocast::set_autocast_enabled(at::kCPU, true);
  at::autocast::set_autocast_dtype(at::kCPU, at::kBFloat16);
  const Result reference = run_with_grads(p, plain);
  const Result fused = run_with_grads(p, fused_with({8, 128}));
  at::autocast::set_autocast_enabled(at::kCPU, was_enabled);
  at::autocast::set_autocast_dtype(at::kCPU, was_dtype);
  at::autocast::clear_cache();
  EXPECT_EQ(fused.grad_weight.scalar_type(), at::kFloat);
  EXPECT_LE(max_relative_diff(fused.logp, reference.logp), 1e-2);
  EXPECT_LE(max_relative_diff(fused.entropy, reference.entropy), 1e-2);
  EXPECT_LE(max_relative_diff(fused.grad_hidden, reference.grad_hidden), 2e-2);
  EXPECT_LE(max_relative_diff(fused.grad_weight, reference.grad_weight), 2e-2);
  // ... and both differ from fp32 by bf16 rounding, not less: autocast really was on.
  const Result fp32 = run_with_grads(p, fused_with({8, 128}));
  EXPECT_GT(max_abs_diff(fused.logp, fp32.logp), 1e-4);
}

TEST(FusedLogprob, OnlyTheLeavesThatNeedGradsGetThem) {
  const Problem p = make_problem(9, 8, 50, at::kFloat, at::kCPU, 4);
  at::Tensor weight = p.weight.clone().requires_grad_(true);
  LogprobsAndEntropy r = fused_logprob(p.hidden, weight, p.targets, {4, 16});
  (r.logp.sum() + r.entropy.sum()).backward();
  at::Tensor w2 = p.weight.clone().requires_grad_(true);
  LogprobsAndEntropy q = plain_logprob(p.hidden, w2, p.targets);
  (q.logp.sum() + q.entropy.sum()).backward();
  EXPECT_LE(max_abs_diff(weight.grad(), w2.grad()), 1e-5);
  EXPECT_FALSE(p.hidden.grad().defined());
}

TEST(FusedLogprob, NoGradModeGivesValuesWithoutAGraph) {
  const Problem p = make_problem(12, 8, 70, at::kFloat, at::kCPU, 5);
  at::Tensor weight = p.weight.clone().requires_grad_(true);
  at::NoGradGuard no_grad;
  LogprobsAndEntropy r = fused_logprob(p.hidden, weight, p.targets, {5, 32});
  LogprobsAndEntropy q = plain_logprob(p.hidden, weight, p.targets);
  EXPECT_FALSE(r.logp.requires_grad());
  EXPECT_LE(max_abs_diff(r.logp, q.logp), 1e-5);
  EXPECT_LE(max_abs_diff(r.entropy, q.entropy), 1e-5);
}

TEST(FusedLogprob, EmptyBatch) {
  at::Tensor hidden = at::zeros({0, 4}, at::kFloat).requires_grad_(true);
  at::Tensor weight = at::randn({10, 4}, at::kFloat).requires_grad_(true);
  LogprobsAndEntropy r = fused_logprob(hidden, weight, at::zeros({0}, at::kLong));
  EXPECT_EQ(r.logp.numel(), 0);
  (r.logp.sum() + r.entropy.sum()).backward();
  EXPECT_EQ(weight.grad().abs().sum().item<float>(), 0.0f);
}

TEST(FusedLogprob, BadInputsAreOneLineErrors) {
  const at::Tensor hidden = at::zeros({3, 4}), weight = at::zeros({10, 4});
  auto message = [](auto&& call) {
    try {
      call();
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message([&] { fused_logprob(hidden, weight, at::tensor({0, 10, 2}, at::kLong)); }),
            "fused_logprob: target id 10 is outside the vocabulary [0, 10)");
  EXPECT_EQ(message([&] { fused_logprob(hidden, weight, at::tensor({0, -1, 2}, at::kLong)); }),
            "fused_logprob: target id -1 is outside the vocabulary [0, 10)");
  EXPECT_EQ(message([&] { fused_logprob(hidden, at::zeros({10, 5}), at::zeros({3}, at::kLong)); }),
            "fused_logprob: hidden has width 4 but weight has 5");
  EXPECT_EQ(message([&] { fused_logprob(hidden, weight, at::zeros({2}, at::kLong)); }),
            "fused_logprob: 3 hidden rows but 2 targets");
  EXPECT_EQ(message([&] { fused_logprob(hidden, weight.to(at::kDouble), at::zeros({3}, at::kLong)); }),
            "fused_logprob: hidden and weight must share one floating dtype, got Float and Double");
  EXPECT_EQ(message([&] { fused_logprob(hidden, weight, at::zeros({3}, at::kInt)); }),
            "fused_logprob: targets must be int64, got Int");
  EXPECT_EQ(message([&] { fused_logprob(hidden, weight, at::zeros({3}, at::kLong), {0, 8}); }),
            "fused_logprob: row_chunk and vocab_chunk must be positive");
}

// On a GPU (bench/gpu_check.sh runs these there): the CUDA kernels against the plain path on the
// same device, and against the CPU reference.
TEST(FusedLogprobCuda, EqualsPlainOnTheGpuFp32) {
  if (!at::hasCUDA()) GTEST_SKIP() << "no CUDA device";
  const Problem p = make_problem(301, 96, 10007, at::kFloat, at::kCUDA, 6);
  // TF32 would make the GEMMs differ from fp32 by ~1e-3: keep them exact for this comparison.
  const bool tf32 = at::globalContext().allowTF32CuBLAS();
  at::globalContext().setAllowTF32CuBLAS(false);
  const Result reference = run_with_grads(p, plain);
  const Result fused = run_with_grads(p, fused_with({16, 1000}));
  at::globalContext().setAllowTF32CuBLAS(tf32);
  expect_close(fused, reference, 1e-5, "cuda fp32");
}

TEST(FusedLogprobCuda, EqualsTheCpuReference) {
  if (!at::hasCUDA()) GTEST_SKIP() << "no CUDA device";
  const Problem p = make_problem(130, 64, 5003, at::kFloat, at::kCPU, 7);
  Problem on_gpu = p;
  for (at::Tensor* t : {&on_gpu.hidden, &on_gpu.weight, &on_gpu.targets, &on_gpu.grad_logp, &on_gpu.grad_entropy})
    *t = t->to(at::kCUDA);
  const bool tf32 = at::globalContext().allowTF32CuBLAS();
  at::globalContext().setAllowTF32CuBLAS(false);
  const Result gpu = run_with_grads(on_gpu, fused_with({8, 512}));
  at::globalContext().setAllowTF32CuBLAS(tf32);
  const Result cpu = run_with_grads(p, fused_with({32, 512}));
  expect_close(gpu, cpu, 1e-5, "cuda kernels vs cpu reference");
}

TEST(FusedLogprobCuda, EqualsPlainOnTheGpuBf16) {
  if (!at::hasCUDA()) GTEST_SKIP() << "no CUDA device";
  const Problem p = make_problem(257, 128, 32003, at::kBFloat16, at::kCUDA, 8);
  const Result reference = run_with_grads(p, plain);
  const Result fused = run_with_grads(p, fused_with({64, 4096}));
  expect_close_bf16(fused, reference, "cuda bf16");
}
