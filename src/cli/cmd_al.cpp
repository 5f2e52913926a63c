// `retort al`: the molecule-generation active-learning loop (STGG+AL style) and its GRPO baseline.
#include <cmath>
#include <cstdio>

#include "al/al_config.h"
#include "al/al_run.h"
#include "cli/commands.h"
#include "core/config.h"

namespace retort::cli {
namespace {

int run(const std::vector<std::string>& argv) {
  Args args(argv);
  args.allow_only({"set", "probe"});
  if (args.positionals().size() != 1) throw UsageError("expected exactly one CONFIG.json");
  Config config = Config::load(args.positionals()[0]);
  for (const auto& assignment : args.all("set")) config.apply_override(assignment);
  al::AlConfig al_config = al::AlConfig::from(config);
  config.check_all_used();
  al::RunOptions options;
  options.probe_samples = args.get_int("probe", 0);
  if (options.probe_samples < 0) throw UsageError("--probe: expected a sample count >= 0");
  al::RunSummary summary = al::run_active_learning(al_config, config.root(), options);
  if (options.probe_samples > 0) {
    std::printf("\ntemperature,generated,finished,valid,unique,novel\n");
    for (const auto& p : summary.probe)
      std::printf("%.2f,%d,%d,%d,%d,%d\n", p.temperature, p.counts.generated, p.finished, p.counts.valid,
                  p.counts.unique, p.counts.novel);
    std::printf("probe: %s/probe/ (samples with filter verdicts, summary.json)\n", al_config.run_dir.c_str());
    return 0;
  }
  std::printf("\n%s\n", al::rounds_csv_header().c_str());
  for (const auto& row : summary.rows) std::printf("%s\n", al::rounds_csv_line(row).c_str());
  std::printf("run: %s  (rounds.csv, pool.csv, state.json, plots/, checkpoints/)\n", al_config.run_dir.c_str());
  return 0;
}

}  // namespace

Command al_command() {
  return {"al", "the molecule-generation active-learning loop (and its GRPO baseline)",
          "usage: retort al CONFIG.json [--set key=value ...] [--probe N]\n"
          "\n"
          "STGG+AL-style active learning: a conditional SMILES generator (the tiny policy, prompted with\n"
          "property bins such as <fosc=3><wl=5>) is pretrained on a corpus, then each round generates,\n"
          "filters (valid, <= max heavy atoms, ring size <= max, unique, novel), evaluates through the\n"
          "xTB + MOPAC oracle worker pool and SQLite cache (or QED/SA for druglike), adds to the pool,\n"
          "fine-tunes on the pool's best top_k plus a random sample and moves the target property's\n"
          "conditioning range to [bin(mean of top-100), bin(top-1) + extrapolate_bins]. method \"grpo\"\n"
          "runs the baseline: GRPO on the scores as rewards with the same evaluation budget.\n"
          "Writes RUN_DIR/{config.json,state.json,pool.csv,rounds.csv,rounds/,checkpoints/,plots/}.\n"
          "Re-running the same command resumes after the last completed round.\n"
          "\n"
          "  --set key=value   override a config value (dotted key; value parsed as JSON, else a string)\n"
          "  --probe N         only measure the generator (pretraining it first if needed): N samples at each\n"
          "                    of rounds.temperatures with round 1's conditions, filtered and counted into\n"
          "                    RUN_DIR/probe/ (no oracle, no fine-tuning)\n"
          "\n"
          "Config keys (defaults in src/al/al_config.cpp): name, run_dir, seed, threads, method (al|grpo),\n"
          "objective (fosc|nir|druglike), corpus.{path,max_rows,max_heavy_atoms,novel_against_corpus},\n"
          "generator.{model,max_new_tokens,init,pretrained_dir,pretrain_steps,pretrain_batch_size,pretrain_lr,\n"
          "pretrain_smiles_variants},\n"
          "rounds.{count,generate,oracle_per_round,oracle_budget,temperatures,sample_batch_size},\n"
          "filter.{max_heavy_atoms,min_heavy_atoms,max_ring_size,unique,novel}, conditions.{top_n,extrapolate_bins},\n"
          "finetune.{steps,batch_size,lr,top_k,random,corpus_replay,\n"
          "max_per_scaffold}, oracle.{workers,cache,timeout,\n"
          "geometry,conformers,ci,pick,pick_f,wavelength_fit} (the forms of `retort oracle`'s flags;\n"
          "wavelength_fit is [A,B] or [A,B,C]), grpo.{prompts_per_step,group_size,lr,advantage,loss,temperature,invalid_reward},\n"
          "report.grid_size.\n",
          run};
}

}  // namespace retort::cli
