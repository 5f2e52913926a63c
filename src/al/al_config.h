// The resolved configuration of `retort al CONFIG.json` (keys and defaults in al_config.cpp and
// `retort al --help`). Torch-free.
#pragma once
#include <string>
#include <vector>

#include "al/candidate_filter.h"
#include "al/objective.h"
#include "al/smiles_generator.h"
#include "chem/oracle/oracle.h"
#include "core/config.h"

namespace retort::al {

chem::oracle::OracleSettings default_al_oracle_settings();

struct AlConfig {
  std::string name = "al";
  std::string run_dir;             // default runs/NAME
  uint64_t seed = 0;
  int threads = 0;                 // LibTorch intra-op threads (0: LibTorch's default)
  std::string method = "al";       // "al" (generate -> filter -> oracle -> fine-tune) or "grpo" (baseline)
  ObjectiveKind objective = ObjectiveKind::fosc;

  // Pretraining corpus (conditions from its labels; QED/SA computed for druglike).
  std::string corpus_path;         // default: conjugated_xtb (oracle objectives) or zinc (druglike)
  int corpus_max_rows = 20000;
  bool novel_against_corpus = true;
  int corpus_max_heavy_atoms = 0;  // > 0: only corpus molecules this small (cheaper oracle calls)

  GeneratorSettings generator;
  std::string generator_init;      // a checkpoint dir to start from instead of pretraining
  std::string pretrained_dir;      // where the pretrained generator is kept (reused when present)
  int pretrain_steps = 1000, pretrain_batch_size = 32;
  int pretrain_smiles_variants = 0;  // > 0: add up to this many rooted SMILES spellings per corpus molecule
  double pretrain_lr = 1e-3;

  int rounds = 4;                  // AL rounds (GRPO: upper bound on steps; the budget ends it)
  int generate_per_round = 200;
  int oracle_per_round = 40;
  int oracle_budget = 0;           // total evaluations (default rounds * oracle_per_round)
  std::vector<double> temperatures{0.8, 1.0, 1.2};
  int sample_batch_size = 64;

  FilterSettings filter;
  int condition_top_n = 100;
  int condition_extrapolate_bins = 1;

  int finetune_steps = 50, finetune_batch_size = 32, finetune_top_k = 50, finetune_random = 50;
  int finetune_corpus_replay = 0;
  int finetune_max_per_scaffold = 0;  // > 0: at most this many of the best top_k per Murcko scaffold
  double finetune_lr = 3e-4;

  int oracle_workers = 2;
  std::string oracle_cache;        // default RUN_DIR/oracle_cache.sqlite
  // oracle.{timeout, geometry, conformers, ci, pick, pick_f, wavelength_fit}; the text forms are
  // chem/oracle/oracle_spec.h's (those of `retort oracle`'s flags). Defaults: the session-3 oracle
  // (Open Babel start, gfnff, C.I.=(20,10), first state) with its wavelength fit 0.654 * nm + 138.4.
  chem::oracle::OracleSettings oracle_settings = default_al_oracle_settings();

  GrpoSettings grpo;
  int grpo_prompts_per_step = 4;
  double grpo_temperature = 1.0;
  double grpo_invalid_reward = 0.0;

  int grid_size = 12;

  static AlConfig from(const Config& config);
};

}  // namespace retort::al
