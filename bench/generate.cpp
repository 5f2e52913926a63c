// bench_generate: batched sampling throughput of retort's KV-cache sampler on a random Qwen2
// (hidden 512, 8 layers, 8 query / 2 key-value heads, SwiGLU 1408, vocab 32000), batch 16,
// prompts of 32 tokens, 128 new tokens, temperature 0.8 / top-k 50 / top-p 0.95, 2 threads, fp32.
// Saves the model and prompts to --dir so bench/generate_hf.py runs transformers on the same ones.
// Prints one JSON line: best-of-N wall seconds (prefill + decode, as transformers' generate call),
// process CPU seconds of the same runs, tokens/s. --profile FILE adds one profiled run (not timed)
// written as a Chrome trace (bench/generate_profile.py summarises it per op).
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <torch/csrc/autograd/profiler_kineto.h>

#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "model/checkpoint.h"
#include "model/safetensors_tensor.h"
#include "rollout/sampler.h"

using namespace retort;

static double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

int main(int argc, char** argv) {
  std::string dir, profile;
  int threads = 2, batch = 16, prompt_len = 32, new_tokens = 128, repeats = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string key = argv[i];
    if (key == "--dir") dir = argv[i + 1];
    else if (key == "--threads") threads = std::stoi(argv[i + 1]);
    else if (key == "--repeats") repeats = std::stoi(argv[i + 1]);
    else if (key == "--new-tokens") new_tokens = std::stoi(argv[i + 1]);
    else if (key == "--profile") profile = argv[i + 1];
    else {
      std::fprintf(stderr, "bench_generate: unknown option %s\n", argv[i]);
      return 2;
    }
  }
  if (dir.empty() || repeats < 1) {
    std::fprintf(stderr, "usage: bench_generate --dir DIR [--threads 2] [--repeats 3] [--new-tokens 128] [--profile TRACE.json]\n");
    return 2;
  }
  at::set_num_threads(threads);
  at::set_num_interop_threads(1);
  model::Qwen2Config config;
  config.vocab_size = 32000;
  config.hidden_size = 512;
  config.intermediate_size = 1408;
  config.num_hidden_layers = 8;
  config.num_attention_heads = 8;
  config.num_key_value_heads = 2;
  config.head_dim = 64;
  config.max_position_embeddings = 2048;
  config.rope_theta = 10000.0;
  config.tie_word_embeddings = false;
  model::Policy policy = model::Policy::create(config, 1234);
  model::save_policy(policy, dir + "/model");

  at::Generator g = at::globalContext().defaultGenerator(at::kCPU).clone();
  g.set_current_seed(99);
  at::Tensor prompt_ids = at::randint(0, config.vocab_size, {batch, prompt_len}, g, at::TensorOptions().dtype(at::kLong));
  model::save_safetensors(dir + "/prompts.safetensors", {{"input_ids", prompt_ids}});
  std::vector<std::vector<int64_t>> prompts(batch);
  for (int b = 0; b < batch; ++b)
    prompts[b].assign(prompt_ids[b].data_ptr<int64_t>(), prompt_ids[b].data_ptr<int64_t>() + prompt_len);

  rollout::GenerationParams params;
  params.sampling.temperature = 0.8;
  params.sampling.top_k = 50;
  params.sampling.top_p = 0.95;
  params.max_new_tokens = new_tokens;
  params.append_capacity = 0;
  double best = 1e30, best_prefill = 0, best_cpu = 1e30;
  int64_t generated = 0;
  auto one_run = [&](int r, double& seconds, double& prefill, double& cpu) {
    params.seed = static_cast<uint64_t>(r);
    rollout::Sampler sampler(policy, params);
    const double c0 = process_cpu_seconds();
    auto t0 = std::chrono::steady_clock::now();
    sampler.start(prompts);
    auto t1 = std::chrono::steady_clock::now();
    sampler.run();
    auto t2 = std::chrono::steady_clock::now();
    cpu = process_cpu_seconds() - c0;
    seconds = std::chrono::duration<double>(t2 - t0).count();
    prefill = std::chrono::duration<double>(t1 - t0).count();
    generated = 0;
    for (const auto& s : sampler.sequences()) generated += static_cast<int64_t>(s.tokens.size());
  };
  for (int r = 0; r < repeats + 1; ++r) {  // the first run warms up
    double seconds, prefill, cpu;
    one_run(r, seconds, prefill, cpu);
    if (r == 0) continue;
    if (seconds < best) {
      best = seconds;
      best_prefill = prefill;
    }
    best_cpu = std::min(best_cpu, cpu);
  }
  if (!profile.empty()) {
    namespace prof = torch::autograd::profiler;
    const std::set<torch::profiler::impl::ActivityType> cpu_only{torch::profiler::impl::ActivityType::CPU};
    const prof::ProfilerConfig profiler_config(prof::ProfilerState::KINETO);
    prof::prepareProfiler(profiler_config, cpu_only);
    prof::enableProfiler(profiler_config, cpu_only);
    double seconds, prefill, cpu;
    one_run(repeats + 1, seconds, prefill, cpu);
    prof::disableProfiler()->save(profile);
  }
  std::printf("{\"retort_seconds\": %.4f, \"retort_prefill_seconds\": %.4f, \"retort_cpu_seconds\": %.4f, "
              "\"retort_tokens\": %lld, \"retort_tokens_per_s\": %.1f, \"retort_cpu_ms_per_token\": %.4f, "
              "\"threads\": %d, \"batch\": %d, \"new_tokens\": %d}\n",
              best, best_prefill, best_cpu, static_cast<long long>(generated), generated / best,
              1000.0 * best_cpu / static_cast<double>(generated), threads, batch, new_tokens);
  return 0;
}
