// The active-learning run (issue 9 item 2) and its GRPO baseline (item 4), in a run directory:
//   config.json        the resolved config as given
//   state.json         completed round, condition range, round rows (written last in a round)
//   pool.csv           every evaluated molecule (atomic; rows of an unfinished round are dropped on resume)
//   rounds.csv         one row per completed round (round_report.h)
//   rounds/round-N.jsonl  the round's generated SMILES, conditions, temperatures and filter verdicts
//   checkpoints/pretrained, checkpoints/round-N   the generator after pretraining / after round N
//   plots/rounds.png, plots/filter_rates.png, plots/best_molecules.png
// A round: sample conditions (target bin in the moving range, other bins from a top molecule) and a
// temperature per batch -> generate -> filter -> evaluate (oracle pool + SQLite cache, or QED/SA) ->
// pool -> fine-tune on the pool's best top_k plus a random sample -> move the range -> save.
// GRPO instead samples groups per prompt and updates on the scores as rewards until the same number
// of evaluations is spent. Re-running the same command resumes after the last completed round; every
// seed derives from (seed, round), so a resumed round repeats the uninterrupted one (cached oracle).
#pragma once
#include <string>
#include <vector>

#include "al/al_config.h"
#include "al/round_report.h"

namespace retort::al {

struct RunOptions {
  // Testing hook: return right after this phase of this round, as if killed there
  // ("generate", "evaluate", "finetune", "checkpoint"); round 0 = never.
  int stop_round = 0;
  std::string stop_phase;
  bool quiet = false;  // no per-round lines on stdout
  // > 0: only measure the generator (pretrained, or the last round's): PROBE_SAMPLES samples at each
  // of rounds.temperatures with round 1's conditions from the corpus range, filtered, counted and
  // written to RUN_DIR/probe/; no evaluation, no training after pretraining, no state change.
  int probe_samples = 0;
};

struct ProbeRow {
  double temperature = 1.0;
  FilterCounts counts;
  int finished = 0;  // samples that ended with <|im_end|> (not cut at max_new_tokens)
};

struct RunSummary {
  std::vector<RoundRow> rows;  // every completed round (earlier sessions included)
  int resumed_from_round = 0;  // the last round completed before this call (0: fresh or pretrain only)
  bool stopped_early = false;  // the stop hook fired
  double pretrain_loss = 0;    // NaN when the pretrained generator was loaded
  std::vector<ProbeRow> probe; // RunOptions::probe_samples > 0: one row per temperature
};

RunSummary run_active_learning(const AlConfig& config, const nlohmann::json& resolved_config,
                               const RunOptions& options = {});

}  // namespace retort::al
