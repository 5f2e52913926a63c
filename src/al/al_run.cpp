// The active-learning loop and the GRPO baseline over a run directory (al_run.h).
#include "al/al_run.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>

#include "al/condition_bins.h"
#include "al/corpus.h"
#include "al/finetune_selection.h"
#include "al/molecule_pool.h"
#include "al/smiles_generator.h"
#include "al/smiles_variants.h"
#include "chem/descriptors.h"
#include "chem/molecule.h"
#include "chem/oracle/oracle_cache.h"
#include "chem/oracle/oracle_pool.h"
#include "core/errors.h"
#include "core/progress.h"
#include "core/rng.h"

namespace retort::al {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct RunState {
  int completed_round = 0;
  ConditionRange range;
  std::vector<RoundRow> rows;
  int oracle_calls_total = 0;
};

json state_json(const RunState& s, const AlConfig& c) {
  json rows = json::array();
  for (const auto& r : s.rows) rows.push_back(r.to_json());
  return {{"completed_round", s.completed_round}, {"method", c.method},
          {"objective", objective_name(c.objective)}, {"range", {{"low", s.range.low}, {"high", s.range.high}}},
          {"oracle_calls_total", s.oracle_calls_total}, {"rows", rows}};
}

std::optional<RunState> load_state(const std::string& path, const AlConfig& c) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  json j = json::parse(in, nullptr, false);
  if (j.is_discarded()) throw DataError(path + ": not valid JSON (remove it to start the run afresh)");
  try {
    if (j.at("method").get<std::string>() != c.method || j.at("objective").get<std::string>() != objective_name(c.objective))
      throw DataError(path + ": the run directory holds a " + j.at("method").get<std::string>() + "/" +
                      j.at("objective").get<std::string>() + " run; this config asks for " + c.method + "/" +
                      objective_name(c.objective));
    RunState s;
    s.completed_round = j.at("completed_round").get<int>();
    s.range.low = j.at("range").at("low").get<int>();
    s.range.high = j.at("range").at("high").get<int>();
    s.oracle_calls_total = j.at("oracle_calls_total").get<int>();
    for (const auto& r : j.at("rows")) s.rows.push_back(RoundRow::from_json(r));
    return s;
  } catch (const json::exception& e) {
    throw DataError(path + ": " + e.what());
  }
}

std::string target_property(ObjectiveKind kind) {
  switch (kind) {
    case ObjectiveKind::fosc: return "f_osc";
    case ObjectiveKind::nir: return "wavelength";
    case ObjectiveKind::druglike: return "qed";
  }
  return "f_osc";
}

std::vector<std::string> pool_properties(ObjectiveKind kind) {
  auto props = objective_properties(kind);
  if (objective_needs_oracle(kind)) {
    props.push_back("gap_ev");
    props.push_back("sa");
  }
  return props;
}

// Scores molecules: the oracle (worker pool + SQLite cache) or QED/SA.
class Evaluator {
 public:
  explicit Evaluator(const AlConfig& c) : config_(c) {
    if (!objective_needs_oracle(c.objective)) return;
    const chem::oracle::OracleSettings& settings = c.oracle_settings;
    if (!c.oracle_cache.empty()) {
      fs::path p(c.oracle_cache);
      if (p.has_parent_path()) fs::create_directories(p.parent_path());
      cache_ = std::make_unique<chem::oracle::OracleCache>(c.oracle_cache);
    }
    pool_ = std::make_unique<chem::oracle::OraclePool>(settings, c.oracle_workers, cache_.get());
  }

  std::vector<PoolEntry> evaluate(const std::vector<std::string>& smiles, int round) {
    std::vector<PoolEntry> out;
    ProgressBar bar((pool_ ? "oracle round " : "score round ") + std::to_string(round), smiles.size());
    if (!pool_) {
      for (const auto& s : smiles) {
        PoolEntry e{s, round, "ok", std::nullopt, {}};
        if (auto props = druglike_properties(s)) {
          e.props = *props;
          e.score = objective_score(config_.objective, e.props);
        } else {
          e.status = "parse_error";
        }
        out.push_back(std::move(e));
        bar.advance();
      }
      bar.finish();
      return out;
    }
    auto results = pool_->run(smiles, [&](std::size_t, const chem::oracle::OracleResult&) { bar.advance(); });
    bar.finish();
    for (std::size_t i = 0; i < results.size(); ++i) {
      const auto& r = results[i];
      PoolEntry e{smiles[i], round, chem::oracle::status_name(r.status), std::nullopt, {}};
      if (r.ok() && r.oscillator_strength && r.wavelength_nm) {
        e.props["f_osc"] = *r.oscillator_strength;
        e.props["wavelength"] = *r.wavelength_nm;
        if (r.gap_ev) e.props["gap_ev"] = *r.gap_ev;
        e.score = objective_score(config_.objective, e.props);
      }
      if (auto mol = chem::Molecule::try_from_smiles(smiles[i])) e.props["sa"] = chem::sa_score(*mol);
      out.push_back(std::move(e));
    }
    return out;
  }

 private:
  const AlConfig& config_;
  std::unique_ptr<chem::oracle::OracleCache> cache_;
  std::unique_ptr<chem::oracle::OraclePool> pool_;
};

double mean_or_nan(const std::vector<double>& v) {
  if (v.empty()) return std::nan("");
  double s = 0;
  for (double x : v) s += x;
  return s / static_cast<double>(v.size());
}

class Run {
 public:
  Run(const AlConfig& c, const RunOptions& o)
      : c_(c), o_(o), properties_(pool_properties(c.objective)), pool_(properties_), evaluator_(c) {
    auto names = objective_properties(c.objective);
    for (const auto& n : names) conditions_.push_back(default_condition_property(n));
    std::string target = target_property(c.objective);
    for (std::size_t i = 0; i < conditions_.size(); ++i)
      if (conditions_[i].property == target) target_index_ = i;
  }

  RunSummary run(const json& resolved) {
    fs::create_directories(c_.run_dir);
    write_file_atomic(c_.run_dir + "/config.json", resolved.dump(2) + "\n");
    RunSummary summary;
    summary.pretrain_loss = std::nan("");
    auto loaded = load_state(state_path(), c_);
    RunState state = loaded.value_or(RunState{});
    summary.resumed_from_round = state.completed_round;
    pool_ = MoleculePool::load(c_.run_dir + "/pool.csv", properties_);
    pool_.drop_after_round(state.completed_round);

    log("corpus " + c_.corpus_path + " ...");
    corpus_ = load_corpus(c_.corpus_path, c_.objective, c_.corpus_max_rows, c_.novel_against_corpus,
                          c_.corpus_max_heavy_atoms);
    if (c_.novel_against_corpus) corpus_set_ = corpus_.canonical_set();
    log("corpus: " + std::to_string(corpus_.molecules.size()) + " molecules (" + std::to_string(corpus_.skipped) +
        " rows skipped)");
    if (!loaded) state.range = initial_range();

    SmilesGenerator generator = init_generator(state.completed_round, summary);
    if (o_.probe_samples > 0) {
      summary.probe = probe(generator);
      summary.rows = state.rows;
      return summary;
    }
    if (c_.method == "al") {
      for (int r = state.completed_round + 1; r <= c_.rounds; ++r)
        if (!al_round(r, generator, state, summary)) return summary;
    } else {
      for (int r = state.completed_round + 1; r <= c_.rounds && state.oracle_calls_total < c_.oracle_budget; ++r)
        if (!grpo_round(r, generator, state, summary)) return summary;
    }
    summary.rows = state.rows;
    return summary;
  }

 private:
  std::string state_path() const { return c_.run_dir + "/state.json"; }
  std::string checkpoint_dir(int round) const { return c_.run_dir + "/checkpoints/round-" + std::to_string(round); }
  void log(const std::string& line) const {
    if (!o_.quiet) std::printf("[al] %s\n", line.c_str()), std::fflush(stdout);
  }
  bool stop_here(int round, const char* phase, RunSummary& summary, const RunState& state) const {
    if (o_.stop_round != round || o_.stop_phase != phase) return false;
    summary.stopped_early = true;
    summary.rows = state.rows;
    return true;
  }

  std::vector<ScoredProperties> corpus_scored() const {
    std::vector<ScoredProperties> out;
    for (const auto& m : corpus_.molecules)
      if (auto s = objective_score(c_.objective, m.props)) out.push_back({*s, m.props});
    return out;
  }
  std::vector<ScoredProperties> pool_scored() const {
    std::vector<ScoredProperties> out;
    for (const PoolEntry* e : pool_.ranked()) out.push_back({*e->score, e->props});
    return out;
  }
  ConditionRange initial_range() const {
    ConditionRange fallback{0, conditions_[target_index_].bin_count() - 1};
    return update_condition_range(conditions_[target_index_], corpus_scored(), c_.condition_top_n,
                                  c_.condition_extrapolate_bins, fallback);
  }
  // Bins of the top-N molecules (pool when it has scores, else the corpus): the other conditions.
  std::vector<std::vector<int>> context_bins() const {
    auto scored = pool_.ranked().empty() ? corpus_scored() : pool_scored();
    std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.score > b.score; });
    std::vector<std::vector<int>> out;
    for (std::size_t i = 0; i < scored.size() && i < static_cast<std::size_t>(c_.condition_top_n); ++i)
      out.push_back(bins_of(conditions_, scored[i].props));
    return out;
  }

  std::vector<TrainingPair> corpus_pairs() const {
    std::vector<TrainingPair> pairs;
    for (const auto& m : corpus_.molecules) pairs.push_back({condition_prompt(conditions_, bins_of(conditions_, m.props)), m.smiles});
    return pairs;
  }

  SmilesGenerator init_generator(int completed_round, RunSummary& summary) {
    if (completed_round > 0) {
      log("resuming after round " + std::to_string(completed_round) + " (" + std::to_string(pool_.size()) +
          " molecules in the pool)");
      return SmilesGenerator::load(checkpoint_dir(completed_round), c_.generator);
    }
    if (!c_.generator_init.empty()) return SmilesGenerator::load(c_.generator_init, c_.generator);
    if (fs::exists(c_.pretrained_dir + "/config.json")) {
      log("pretrained generator from " + c_.pretrained_dir);
      return SmilesGenerator::load(c_.pretrained_dir, c_.generator);
    }
    SmilesGenerator g = SmilesGenerator::create(c_.generator);
    log("pretraining a " + std::to_string(g.parameter_count()) + "-parameter generator for " +
        std::to_string(c_.pretrain_steps) + " steps");
    std::vector<TrainingPair> pairs = corpus_pairs();
    if (c_.pretrain_smiles_variants > 0) {
      // Augmentation: each molecule also spelled from other start atoms, same condition.
      std::mt19937_64 rng(mix_seed(c_.seed, "al/pretrain-variants"));
      std::size_t originals = pairs.size();
      for (std::size_t i = 0; i < originals; ++i)
        for (auto& v : smiles_variants(pairs[i].smiles, c_.pretrain_smiles_variants, rng))
          pairs.push_back({pairs[i].condition, std::move(v)});
      log("pretraining pairs: " + std::to_string(originals) + " corpus SMILES + " +
          std::to_string(pairs.size() - originals) + " rooted variants");
    }
    TrainSettings t;
    t.steps = c_.pretrain_steps;
    t.batch_size = c_.pretrain_batch_size;
    t.lr = c_.pretrain_lr;
    t.warmup_steps = std::min(50, c_.pretrain_steps / 10);
    t.seed = mix_seed(c_.seed, "al/pretrain");
    t.label = "pretrain";
    auto start = std::chrono::steady_clock::now();
    summary.pretrain_loss = g.train(pairs, t);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    g.save(c_.pretrained_dir);
    char line[160];
    std::snprintf(line, sizeof line, "pretrained: loss %.3f in %.0f s -> %s", summary.pretrain_loss, seconds,
                  c_.pretrained_dir.c_str());
    log(line);
    return g;
  }

  std::unordered_set<std::string> known_smiles() const {
    auto known = pool_.smiles_set();
    known.insert(corpus_set_.begin(), corpus_set_.end());
    return known;
  }

  // Generates COUNT samples in batches, each batch with its own temperature, conditions from RANGE.
  std::vector<GeneratedSmiles> generate(SmilesGenerator& generator, int round, int count, const ConditionRange& range,
                                        int repeat, std::optional<double> fixed_temperature) {
    std::mt19937_64 rng(mix_seed(c_.seed, "al/round-" + std::to_string(round) + "/conditions"));
    auto context = context_bins();
    std::vector<GeneratedSmiles> out;
    ProgressBar bar("generate round " + std::to_string(round), count);
    int batch_index = 0;
    while (static_cast<int>(out.size()) < count) {
      int per_batch = std::max(repeat, (c_.sample_batch_size / repeat) * repeat);  // whole groups per batch
      int n = std::min(per_batch, count - static_cast<int>(out.size()));
      std::vector<std::string> conditions;
      while (static_cast<int>(conditions.size()) < n) {
        std::string prompt = condition_prompt(conditions_, sample_condition_bins(conditions_, target_index_, range, context, rng));
        for (int k = 0; k < repeat && static_cast<int>(conditions.size()) < n; ++k) conditions.push_back(prompt);
      }
      std::uniform_int_distribution<std::size_t> pick(0, c_.temperatures.size() - 1);
      double temperature = fixed_temperature ? *fixed_temperature : c_.temperatures[pick(rng)];
      uint64_t seed = mix_seed(c_.seed, "al/round-" + std::to_string(round) + "/sample-" + std::to_string(batch_index++));
      auto batch = generator.sample(conditions, temperature, seed, n);
      out.insert(out.end(), batch.begin(), batch.end());
      bar.update(out.size());
    }
    bar.finish();
    return out;
  }

  // The generator's validity at each temperature on round 1's conditions (RunOptions::probe_samples).
  std::vector<ProbeRow> probe(SmilesGenerator& generator) {
    std::vector<ProbeRow> rows;
    ConditionRange range = initial_range();
    json summary = json::array();
    for (double temperature : c_.temperatures) {
      auto samples = generate(generator, 1, o_.probe_samples, range, 1, temperature);
      std::vector<std::string> smiles;
      ProbeRow row;
      row.temperature = temperature;
      for (const auto& s : samples) {
        smiles.push_back(s.smiles);
        row.finished += s.finished ? 1 : 0;
      }
      FilterResult filtered = filter_candidates(smiles, c_.filter, known_smiles());
      row.counts = filtered.counts;
      char name[64];
      std::snprintf(name, sizeof name, "/probe/T%.2f.jsonl", temperature);
      write_samples_to(c_.run_dir + name, samples, filtered);
      char line[200];
      std::snprintf(line, sizeof line, "probe T=%.2f range %d-%d: %d samples, finished %d, valid %d (%.1f%%), unique %d, novel %d",
                    temperature, range.low, range.high, row.counts.generated, row.finished, row.counts.valid,
                    100.0 * row.counts.valid / std::max(1, row.counts.generated), row.counts.unique, row.counts.novel);
      log(line);
      summary.push_back({{"temperature", temperature}, {"generated", row.counts.generated}, {"finished", row.finished},
                         {"valid", row.counts.valid}, {"unique", row.counts.unique}, {"novel", row.counts.novel},
                         {"range", {range.low, range.high}}});
      rows.push_back(row);
    }
    write_file_atomic(c_.run_dir + "/probe/summary.json", summary.dump(2) + "\n");
    return rows;
  }

  void write_samples(int round, const std::vector<GeneratedSmiles>& samples, const FilterResult& filtered) const {
    write_samples_to(c_.run_dir + "/rounds/round-" + std::to_string(round) + ".jsonl", samples, filtered);
  }
  void write_samples_to(const std::string& path, const std::vector<GeneratedSmiles>& samples,
                        const FilterResult& filtered) const {
    std::string text;
    for (std::size_t i = 0; i < samples.size(); ++i) {
      json j = {{"condition", samples[i].condition},      {"temperature", samples[i].temperature},
                {"smiles", samples[i].smiles},            {"finished", samples[i].finished},
                {"verdict", verdict_name(filtered.outcomes[i].verdict)}, {"canonical", filtered.outcomes[i].canonical}};
      text += j.dump() + "\n";
    }
    write_file_atomic(path, text);
  }

  // Evaluates KEPT (up to the remaining budget and PER_ROUND) into the pool; returns the new entries.
  std::vector<PoolEntry> evaluate_into_pool(const std::vector<std::string>& kept, int round, int per_round,
                                            RunState& state) {
    int remaining = std::max(0, c_.oracle_budget - state.oracle_calls_total);
    std::size_t n = std::min<std::size_t>(kept.size(), static_cast<std::size_t>(std::min(per_round, remaining)));
    std::vector<std::string> chosen(kept.begin(), kept.begin() + n);
    auto entries = evaluator_.evaluate(chosen, round);
    for (const auto& e : entries) pool_.add(e);
    pool_.save(c_.run_dir + "/pool.csv");
    return entries;
  }

  RoundRow make_row(int round, const FilterCounts& counts, const std::vector<PoolEntry>& entries, double seconds,
                    const RunState& state) const {
    RoundRow row;
    row.round = round;
    row.generated = counts.generated;
    row.valid = counts.valid;
    row.unique = counts.unique;
    row.novel = counts.novel;
    row.oracle_calls = static_cast<int>(entries.size());
    std::vector<double> scores, sa;
    for (const auto& e : entries) {
      if (!e.score) ++row.failures;
      else scores.push_back(*e.score);
      if (auto it = e.props.find("sa"); it != e.props.end()) sa.push_back(it->second);
    }
    row.batch_mean_score = mean_or_nan(scores);
    row.mean_sa = mean_or_nan(sa);
    auto ranked = pool_.ranked();
    row.top1 = ranked.empty() ? std::nan("") : *ranked[0]->score;
    row.top10_mean = pool_.top_mean(10).value_or(std::nan(""));
    row.top100_mean = pool_.top_mean(100).value_or(std::nan(""));
    row.seconds = seconds;
    row.oracle_calls_total = state.oracle_calls_total + row.oracle_calls;
    return row;
  }

  void finish_round(int round, RoundRow row, RunState& state) {
    state.completed_round = round;
    state.oracle_calls_total = row.oracle_calls_total;
    state.rows.push_back(row);
    write_rounds_csv(c_.run_dir + "/rounds.csv", state.rows);
    write_round_plots(c_.run_dir, state.rows, objective_name(c_.objective));
    write_best_grid(c_.run_dir + "/plots/best_molecules.png", pool_, c_.grid_size);
    write_file_atomic(state_path(), state_json(state, c_).dump(2) + "\n");
    // Keep the last two round checkpoints.
    if (round > 2) fs::remove_all(checkpoint_dir(round - 2));
    char line[256];
    std::snprintf(line, sizeof line,
                  "round %d: generated %d valid %d unique %d novel %d | evaluated %d (%d failed) | top1 %.4g "
                  "top10 %.4g top100 %.4g | range %d-%d | %.0f s",
                  row.round, row.generated, row.valid, row.unique, row.novel, row.oracle_calls, row.failures, row.top1,
                  row.top10_mean, row.top100_mean, state.range.low, state.range.high, row.seconds);
    log(line);
  }

  bool al_round(int round, SmilesGenerator& generator, RunState& state, RunSummary& summary) {
    auto start = std::chrono::steady_clock::now();
    auto samples = generate(generator, round, c_.generate_per_round, state.range, 1, std::nullopt);
    std::vector<std::string> smiles;
    for (const auto& s : samples) smiles.push_back(s.smiles);
    FilterResult filtered = filter_candidates(smiles, c_.filter, known_smiles());
    write_samples(round, samples, filtered);
    if (stop_here(round, "generate", summary, state)) return false;

    auto entries = evaluate_into_pool(filtered.kept, round, c_.oracle_per_round, state);
    if (stop_here(round, "evaluate", summary, state)) return false;

    // Fine-tune on the pool's best top_k plus a random sample of the rest (plus optional corpus replay).
    std::mt19937_64 rng(mix_seed(c_.seed, "al/round-" + std::to_string(round) + "/finetune"));
    FinetuneSelection chosen =
        select_finetune_entries(pool_.ranked(), c_.finetune_top_k, c_.finetune_random, c_.finetune_max_per_scaffold, rng);
    std::vector<TrainingPair> pairs;
    for (const auto* list : {&chosen.top, &chosen.random})
      for (const PoolEntry* e : *list) pairs.push_back({condition_prompt(conditions_, bins_of(conditions_, e->props)), e->smiles});
    if (c_.finetune_corpus_replay > 0) {
      std::uniform_int_distribution<std::size_t> pick(0, corpus_.molecules.size() - 1);
      for (int i = 0; i < c_.finetune_corpus_replay; ++i) {
        const auto& m = corpus_.molecules[pick(rng)];
        pairs.push_back({condition_prompt(conditions_, bins_of(conditions_, m.props)), m.smiles});
      }
    }
    if (c_.finetune_steps > 0 && !pairs.empty()) {
      TrainSettings t;
      t.steps = c_.finetune_steps;
      t.batch_size = c_.finetune_batch_size;
      t.lr = c_.finetune_lr;
      t.seed = mix_seed(c_.seed, "al/round-" + std::to_string(round) + "/finetune-order");
      t.label = "finetune round " + std::to_string(round);
      generator.train(pairs, t);
    }
    if (stop_here(round, "finetune", summary, state)) return false;

    state.range = update_condition_range(conditions_[target_index_], pool_scored(), c_.condition_top_n,
                                         c_.condition_extrapolate_bins, state.range);
    generator.save(checkpoint_dir(round));
    if (stop_here(round, "checkpoint", summary, state)) return false;
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    finish_round(round, make_row(round, filtered.counts, entries, seconds, state), state);
    return true;
  }

  bool grpo_round(int round, SmilesGenerator& generator, RunState& state, RunSummary& summary) {
    auto start = std::chrono::steady_clock::now();
    int group = c_.grpo.group_size;
    auto samples = generate(generator, round, c_.grpo_prompts_per_step * group, state.range, group, c_.grpo_temperature);
    std::vector<std::string> smiles;
    for (const auto& s : samples) smiles.push_back(s.smiles);
    FilterResult filtered = filter_candidates(smiles, c_.filter, known_smiles());
    write_samples(round, samples, filtered);
    if (stop_here(round, "generate", summary, state)) return false;
    auto entries = evaluate_into_pool(filtered.kept, round, static_cast<int>(filtered.kept.size()), state);
    if (stop_here(round, "evaluate", summary, state)) return false;
    // Reward: the score of the sample's molecule (new or already in the pool), else invalid_reward.
    std::vector<double> rewards;
    for (const auto& outcome : filtered.outcomes) {
      double reward = c_.grpo_invalid_reward;
      bool passes_rules = outcome.verdict == FilterVerdict::kept || outcome.verdict == FilterVerdict::duplicate ||
                          outcome.verdict == FilterVerdict::not_novel;
      if (passes_rules)
        if (const PoolEntry* e = pool_.find(outcome.canonical); e && e->score) reward = *e->score;
      rewards.push_back(reward);
    }
    generator.grpo_step(samples, rewards, c_.grpo);
    if (stop_here(round, "finetune", summary, state)) return false;
    generator.save(checkpoint_dir(round));
    if (stop_here(round, "checkpoint", summary, state)) return false;
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    finish_round(round, make_row(round, filtered.counts, entries, seconds, state), state);
    return true;
  }

  const AlConfig& c_;
  const RunOptions& o_;
  std::vector<std::string> properties_;
  MoleculePool pool_;
  Evaluator evaluator_;
  Corpus corpus_;
  std::unordered_set<std::string> corpus_set_;
  std::vector<ConditionProperty> conditions_;
  std::size_t target_index_ = 0;
};

}  // namespace

RunSummary run_active_learning(const AlConfig& config, const json& resolved_config, const RunOptions& options) {
  Run run(config, options);
  return run.run(resolved_config);
}

}  // namespace retort::al
