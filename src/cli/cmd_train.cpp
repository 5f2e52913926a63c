// `retort train`: SFT and/or RL training run as the config says; resumes from the run directory.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "cli/commands.h"
#include "cli/stage_table.h"
#include "core/config.h"
#include "core/errors.h"
#include "core/log.h"
#include "dist/dist_context.h"
#include "rl/train_config.h"
#include "rl/trainer.h"

namespace retort::cli {
namespace {

int run(const std::vector<std::string>& argv) {
  Args args(argv);
  args.allow_only({"set"});
  if (args.positionals().size() != 1) throw UsageError("expected exactly one CONFIG.json");
  auto start = std::chrono::steady_clock::now();
  Config config = Config::load(args.positionals()[0]);
  for (const auto& assignment : args.all("set")) config.apply_override(assignment);
  rl::TrainConfig train = rl::TrainConfig::from(config);
  config.check_all_used();
  // torchrun / scripts/launch: WORLD_SIZE > 1 joins a c10d process group (docs/distributed.md).
  auto launch = dist::launch_environment_from_process();
  if (launch.world_size > 1 && train.sft.steps > 0 && train.sft.batch_size < launch.world_size)
    throw ConfigError("sft.batch_size " + std::to_string(train.sft.batch_size) + " is below WORLD_SIZE " +
                      std::to_string(launch.world_size) + ": every rank needs at least one row per SFT step");
  if (launch.rank > 0 && std::getenv("RETORT_LOG") == nullptr) log::set_level(log::Level::warn);  // rank 0 narrates
  at::Device device = train.model.device == "cuda" ? at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(launch.local_rank))
                                                   : at::Device(at::kCPU);
  dist::set_world(dist::DistContext(launch, device));
  rl::Trainer trainer(train, config.root());
  nlohmann::json stages = trainer.run();
  dist::world().barrier();
  if (!dist::world().is_main()) return 0;  // rank 0 writes the summary
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  nlohmann::json summary = {{"stages", stages}, {"seconds", seconds}};
  std::ofstream(train.run_dir + "/summary.json") << summary.dump(2) << "\n";
  std::printf("\n%s\n", format_stage_table(stages).c_str());
  if (std::string line = main_metric_line(stages); !line.empty()) std::printf("%s\n", line.c_str());
  std::printf("run: %s  (metrics.jsonl, plots/, checkpoints/, summary.json)\n", train.run_dir.c_str());
  return 0;
}

}  // namespace

Command train_command() {
  return {"train", "SFT and/or RL training run as the config says; resumes from the run directory",
          "usage: retort train CONFIG.json [--set key=value ...]\n"
          "\n"
          "Runs the SFT and/or RL stages of CONFIG.json into runs/NAME/ (config.json, metrics.jsonl,\n"
          "TensorBoard events, samples.jsonl, plots/, checkpoints/, summary.json). Re-running the same\n"
          "command continues from the last checkpoint. Evaluates on data.eval before SFT, after SFT and\n"
          "after RL and prints a table of the three stages.\n"
          "\n"
          "  --set key=value   override a config value (dotted key; value parsed as JSON, else a string)\n"
          "\n"
          "Data-parallel: `torchrun --nproc-per-node N --no-python retort train CONFIG.json` (or scripts/launch N\n"
          "retort train CONFIG.json) runs N ranks (Gloo on CPU, NCCL with model.device cuda); each takes its share\n"
          "of every batch's prompts, gradients are all-reduced, rank 0 writes the run directory (docs/distributed.md).\n"
          "\n"
          "Config keys (defaults in src/rl/train_config.cpp): name, run_dir, seed, threads,\n"
          "model.{init,tiny,vision,dtype,device}, data.{train,eval,eval_limit,images,balance_labels,system_prompt},\n"
          "sft.{steps,batch_size,trace_length,lr,warmup_steps,schedule,...},\n"
          "rl.{steps,prompts_per_step,group_size,epochs,micro_batch_size,advantage,loss,aggregation,\n"
          "scaling,kl_coef,kl_estimator,entropy_coef,old_logprobs,dynamic_sampling,overlong_buffer,\n"
          "max_new_tokens,temperature,top_p,top_k,min_p,lr,...}, eval.{max_new_tokens,batch_size,\n"
          "at_stage_ends}, reward (core/reward_spec.h), checkpoint.{every,keep}, log.samples_per_step.\n",
          run};
}

}  // namespace retort::cli
