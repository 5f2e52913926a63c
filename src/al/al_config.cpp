// Reads `retort al` configuration keys with their defaults (al_config.h).
#include "al/al_config.h"

#include "chem/oracle/oracle_spec.h"

namespace retort::al {
namespace {

std::vector<double> doubles(const Config& c, const std::string& key, std::vector<double> fallback) {
  if (!c.has(key)) return fallback;
  json j = c.get_json(key);
  if (!j.is_array() || j.empty()) c.fail(key, "must be a non-empty array of numbers");
  std::vector<double> out;
  for (const auto& v : j) {
    if (!v.is_number()) c.fail(key, "must be a non-empty array of numbers, got " + j.dump());
    out.push_back(v.get<double>());
  }
  return out;
}

// oracle.* keys: strings in oracle_spec.h's text forms; wavelength_fit is [A, B] or [A, B, C].
void read_oracle_settings(const Config& c, chem::oracle::OracleSettings& s) {
  namespace oracle = chem::oracle;
  s.timeout_seconds = c.get_double("oracle.timeout", s.timeout_seconds, 1);
  using SpecParser = void (*)(const std::string&, oracle::OracleSettings&);
  const std::pair<const char*, SpecParser> specs[] = {
      {"oracle.geometry", oracle::apply_geometry_spec}, {"oracle.conformers", oracle::apply_conformer_spec},
      {"oracle.ci", oracle::apply_ci_spec},             {"oracle.pick", oracle::apply_pick_spec},
      {"oracle.pick_f", oracle::apply_pick_f_spec}};
  for (const auto& [key, parse] : specs) {
    if (!c.has(key)) continue;
    try {
      parse(c.get_string(key, ""), s);
    } catch (const std::invalid_argument& e) {
      c.fail(key, e.what());
    }
  }
  if (c.has("oracle.wavelength_fit")) {
    auto fit = doubles(c, "oracle.wavelength_fit", {});
    if (fit.size() != 2 && fit.size() != 3) c.fail("oracle.wavelength_fit", "must be [scale, offset_nm] or [scale, offset_nm, gap_coefficient]");
    s.wavelength_scale = fit[0];
    s.wavelength_offset_nm = fit[1];
    s.wavelength_gap_coefficient = fit.size() == 3 ? fit[2] : 0.0;
  }
}

}  // namespace

chem::oracle::OracleSettings default_al_oracle_settings() {
  chem::oracle::OracleSettings s;
  s.timeout_seconds = 120;
  s.wavelength_scale = 0.654;  // chem/oracle/README.md's fit for these settings (first state, 50 molecules)
  s.wavelength_offset_nm = 138.4;
  return s;
}

AlConfig AlConfig::from(const Config& c) {
  AlConfig a;
  a.name = c.get_string("name", "al");
  a.run_dir = c.get_string("run_dir", "runs/" + a.name);
  a.seed = static_cast<uint64_t>(c.get_int("seed", 0, 0));
  a.threads = static_cast<int>(c.get_int("threads", 0, 0, 256));
  a.method = c.get_string("method", "al", {"al", "grpo"});
  a.objective = parse_objective(c.get_string("objective", "fosc", {"fosc", "nir", "druglike"}));

  bool druglike = a.objective == ObjectiveKind::druglike;
  a.corpus_path = c.get_string("corpus.path", druglike ? "datasets/zinc/zinc_moses_train10k.csv"
                                                       : "datasets/conjugated_xtb/conjugated_xtb_a.csv");
  a.corpus_max_rows = static_cast<int>(c.get_int("corpus.max_rows", druglike ? 5000 : 20000, 1));
  a.novel_against_corpus = c.get_bool("corpus.novel_against_corpus", true);
  a.corpus_max_heavy_atoms = static_cast<int>(c.get_int("corpus.max_heavy_atoms", 0, 0));

  a.generator.tiny_overrides = c.get_json("generator.model", json::object());
  if (!a.generator.tiny_overrides.is_object()) c.fail("generator.model", "must be an object of Qwen2 config keys");
  a.generator.tokenizer = c.get_string("generator.tokenizer", "smiles");
  a.generator.seed = a.seed;
  a.generator.max_new_tokens = c.get_int("generator.max_new_tokens", 96, 8, 1024);
  a.generator.threads = a.threads;
  a.generator_init = c.get_string("generator.init", "");
  a.pretrained_dir = c.get_string("generator.pretrained_dir", a.run_dir + "/checkpoints/pretrained");
  a.pretrain_steps = static_cast<int>(c.get_int("generator.pretrain_steps", 1000, 0));
  a.pretrain_batch_size = static_cast<int>(c.get_int("generator.pretrain_batch_size", 32, 1));
  a.pretrain_lr = c.get_double("generator.pretrain_lr", 1e-3, 0.0);
  a.pretrain_smiles_variants = static_cast<int>(c.get_int("generator.pretrain_smiles_variants", 0, 0, 64));

  a.rounds = static_cast<int>(c.get_int("rounds.count", 4, 1));
  a.generate_per_round = static_cast<int>(c.get_int("rounds.generate", 200, 1));
  a.oracle_per_round = static_cast<int>(c.get_int("rounds.oracle_per_round", 40, 1));
  a.oracle_budget = static_cast<int>(c.get_int("rounds.oracle_budget", int64_t(a.rounds) * a.oracle_per_round, 1));
  a.temperatures = doubles(c, "rounds.temperatures", a.temperatures);
  for (double t : a.temperatures)
    if (!(t > 0)) c.fail("rounds.temperatures", "every temperature must be > 0");
  a.sample_batch_size = static_cast<int>(c.get_int("rounds.sample_batch_size", 64, 1));

  a.filter.max_heavy_atoms = static_cast<int>(c.get_int("filter.max_heavy_atoms", 70, 1));
  a.filter.min_heavy_atoms = static_cast<int>(c.get_int("filter.min_heavy_atoms", 1, 1));
  a.filter.max_ring_size = static_cast<int>(c.get_int("filter.max_ring_size", 6, 3));
  a.filter.require_unique = c.get_bool("filter.unique", true);
  a.filter.require_novel = c.get_bool("filter.novel", true);
  a.condition_top_n = static_cast<int>(c.get_int("conditions.top_n", 100, 1));
  a.condition_extrapolate_bins = static_cast<int>(c.get_int("conditions.extrapolate_bins", 1, 0));

  a.finetune_steps = static_cast<int>(c.get_int("finetune.steps", 50, 0));
  a.finetune_batch_size = static_cast<int>(c.get_int("finetune.batch_size", 32, 1));
  a.finetune_top_k = static_cast<int>(c.get_int("finetune.top_k", 50, 0));
  a.finetune_random = static_cast<int>(c.get_int("finetune.random", 50, 0));
  a.finetune_corpus_replay = static_cast<int>(c.get_int("finetune.corpus_replay", 0, 0));
  a.finetune_lr = c.get_double("finetune.lr", 3e-4, 0.0);
  a.finetune_max_per_scaffold = static_cast<int>(c.get_int("finetune.max_per_scaffold", 0, 0));

  a.oracle_workers = static_cast<int>(c.get_int("oracle.workers", 2, 1, 64));
  a.oracle_cache = c.get_string("oracle.cache", a.run_dir + "/oracle_cache.sqlite");
  read_oracle_settings(c, a.oracle_settings);

  a.grpo.lr = c.get_double("grpo.lr", 1e-4, 0.0);
  a.grpo.group_size = static_cast<int>(c.get_int("grpo.group_size", 8, 2));
  a.grpo.advantage = c.get_string("grpo.advantage", "grpo");
  a.grpo.loss = c.get_string("grpo.loss", "ppo_clip");
  a.grpo_prompts_per_step = static_cast<int>(c.get_int("grpo.prompts_per_step", 4, 1));
  a.grpo_temperature = c.get_double("grpo.temperature", 1.0, 1e-3);
  a.grpo_invalid_reward = c.get_double("grpo.invalid_reward", 0.0);

  a.grid_size = static_cast<int>(c.get_int("report.grid_size", 12, 1, 64));
  return a;
}

}  // namespace retort::al
