// End-to-end runs of `retort al`'s loop on the drug-like objective (QED/SA, no oracle) with a very
// small generator: rounds.csv written with the right rows, scores equal to QED * (10 - SA) / 9,
// resume after a simulated kill repeats the uninterrupted run, and the GRPO baseline keeps the budget.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "al/al_run.h"
#include "al/molecule_pool.h"
#include "al/objective.h"
#include "core/config.h"

using namespace retort::al;
namespace fs = std::filesystem;

namespace {

fs::path temp_dir(const std::string& name) {
  fs::path p = fs::temp_directory_path() / ("retort_al_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(p);
  return p;
}

// A corpus a 35k-parameter generator learns in seconds: chain alcohols, amines, acids and alkylbenzenes
// (chains of 1-9 carbons; the model's longer or shorter chains are novel molecules).
std::string write_simple_corpus() {
  fs::path path = fs::temp_directory_path() / ("retort_al_corpus_" + std::to_string(::getpid()) + ".csv");
  std::ofstream out(path);
  out << "SMILES\n";
  for (int n = 1; n <= 9; ++n) {
    std::string chain(n, 'C');
    out << chain << "O\n" << chain << "N\n" << chain << "C(=O)O\n" << "c1ccccc1" << chain << "\n";
  }
  return path.string();
}

nlohmann::json small_config(const fs::path& run_dir) {
  static const std::string corpus = write_simple_corpus();
  return {
      {"name", "test"},
      {"run_dir", run_dir.string()},
      {"seed", 3},
      {"threads", 1},
      {"objective", "druglike"},
      {"corpus", {{"path", corpus}, {"max_rows", 300}}},
      {"generator",
       {{"model", {{"hidden_size", 48}, {"intermediate_size", 96}, {"num_hidden_layers", 1}, {"num_attention_heads", 2},
                   {"num_key_value_heads", 1}, {"head_dim", 24}}},
        {"max_new_tokens", 32},
        {"pretrain_steps", 150},
        {"pretrain_batch_size", 16},
        {"pretrain_lr", 3e-3}}},
      {"rounds", {{"count", 3}, {"generate", 24}, {"oracle_per_round", 8}, {"sample_batch_size", 24}}},
      {"finetune", {{"steps", 4}, {"batch_size", 8}, {"top_k", 4}, {"random", 4}, {"lr", 1e-3}}},
  };
}

AlConfig resolve(const nlohmann::json& j) {
  retort::Config config = retort::Config::from_json(j, "test.json");
  AlConfig c = AlConfig::from(config);
  config.check_all_used();
  return c;
}

std::vector<std::string> lines_of(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// A rounds.csv line without its seconds column (the 12th).
std::string without_seconds(const std::string& line) {
  std::stringstream in(line);
  std::string cell, out;
  for (int i = 0; std::getline(in, cell, ','); ++i)
    if (i != 11) out += cell + ",";
  return out;
}

}  // namespace

TEST(AlRun, DruglikeRunWritesRoundsPoolAndPlots) {
  fs::path dir = temp_dir("druglike");
  AlConfig config = resolve(small_config(dir));
  RunOptions options;
  options.quiet = true;
  RunSummary summary = run_active_learning(config, small_config(dir), options);
  ASSERT_EQ(summary.rows.size(), 3u);
  EXPECT_TRUE(std::isfinite(summary.pretrain_loss));
  auto lines = lines_of(dir / "rounds.csv");
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], "round,generated,valid,unique,novel,oracle_calls,failures,top1,top10_mean,top100_mean,mean_sa,"
                      "seconds,batch_mean_score,oracle_calls_total");
  int total = 0;
  for (int r = 0; r < 3; ++r) {
    const RoundRow& row = summary.rows[r];
    EXPECT_EQ(row.round, r + 1);
    EXPECT_EQ(row.generated, 24);
    EXPECT_LE(row.valid, row.generated);
    EXPECT_LE(row.unique, row.valid);
    EXPECT_LE(row.novel, row.unique);
    EXPECT_LE(row.oracle_calls, 8);
    EXPECT_LE(row.oracle_calls, row.novel);
    total += row.oracle_calls;
    EXPECT_EQ(row.oracle_calls_total, total);
    if (row.oracle_calls > 0) {
      EXPECT_GE(row.top1, row.top10_mean);
      EXPECT_GE(row.top10_mean, row.top100_mean - 1e-12);
    }
  }
  EXPECT_GT(total, 0) << "the pretrained generator wrote no valid novel molecule in 3 rounds";
  // Pool scores are QED * (10 - SA) / 9 of each molecule, recomputed here.
  MoleculePool pool = MoleculePool::load((dir / "pool.csv").string(), {"qed", "sa"});
  EXPECT_EQ(static_cast<int>(pool.size()), total);
  for (const auto& e : pool.entries()) {
    auto props = druglike_properties(e.smiles);
    ASSERT_TRUE(props.has_value()) << e.smiles;
    ASSERT_TRUE(e.score.has_value());
    EXPECT_NEAR(*e.score, props->at("qed") * (10 - props->at("sa")) / 9, 1e-6) << e.smiles;
    EXPECT_GE(e.round, 1);
    EXPECT_LE(e.round, 3);
  }
  EXPECT_NEAR(summary.rows[2].top1, *pool.top_mean(1), 1e-6);
  EXPECT_TRUE(fs::exists(dir / "plots/rounds.png"));
  EXPECT_TRUE(fs::exists(dir / "plots/filter_rates.png"));
  EXPECT_TRUE(fs::exists(dir / "plots/best_molecules.png"));
  EXPECT_TRUE(fs::exists(dir / "checkpoints/round-3/model.safetensors"));
  EXPECT_FALSE(fs::exists(dir / "checkpoints/round-1"));  // only the last two are kept
  EXPECT_EQ(lines_of(dir / "rounds/round-2.jsonl").size(), 24u);
  fs::remove_all(dir);
}

TEST(AlRun, ResumeAfterAKillMidRoundRepeatsTheUninterruptedRun) {
  fs::path a = temp_dir("uninterrupted"), b = temp_dir("killed");
  RunOptions quiet;
  quiet.quiet = true;
  run_active_learning(resolve(small_config(a)), small_config(a), quiet);

  // Killed in round 2 after the pool was written with round-2 molecules, before the round finished.
  RunOptions kill = quiet;
  kill.stop_round = 2;
  kill.stop_phase = "evaluate";
  RunSummary killed = run_active_learning(resolve(small_config(b)), small_config(b), kill);
  EXPECT_TRUE(killed.stopped_early);
  std::ifstream state_in(b / "state.json");
  auto state = nlohmann::json::parse(state_in);
  EXPECT_EQ(state["completed_round"], 1);
  EXPECT_EQ(lines_of(b / "rounds.csv").size(), 2u);  // header + round 1
  MoleculePool half = MoleculePool::load((b / "pool.csv").string(), {"qed", "sa"});
  bool has_round_two = false;
  for (const auto& e : half.entries()) has_round_two |= e.round == 2;
  EXPECT_TRUE(has_round_two) << "the simulated kill should leave round-2 molecules in pool.csv";

  // Killed again in round 3 after fine-tuning, then resumed to the end.
  RunSummary resumed = run_active_learning(resolve(small_config(b)), small_config(b), quiet);
  EXPECT_EQ(resumed.resumed_from_round, 1);
  EXPECT_FALSE(resumed.stopped_early);
  auto rows_a = lines_of(a / "rounds.csv"), rows_b = lines_of(b / "rounds.csv");
  ASSERT_EQ(rows_a.size(), 4u);
  ASSERT_EQ(rows_b.size(), 4u);
  for (std::size_t i = 0; i < rows_a.size(); ++i) EXPECT_EQ(without_seconds(rows_a[i]), without_seconds(rows_b[i]));
  EXPECT_EQ(MoleculePool::load((a / "pool.csv").string(), {"qed", "sa"}).to_csv(),
            MoleculePool::load((b / "pool.csv").string(), {"qed", "sa"}).to_csv());
  // A finished run re-run does nothing more.
  RunSummary again = run_active_learning(resolve(small_config(b)), small_config(b), quiet);
  EXPECT_EQ(again.resumed_from_round, 3);
  EXPECT_EQ(lines_of(b / "rounds.csv").size(), 4u);
  fs::remove_all(a);
  fs::remove_all(b);
}

TEST(AlRun, GrpoBaselineStopsAtTheEvaluationBudget) {
  fs::path dir = temp_dir("grpo");
  nlohmann::json j = small_config(dir);
  j["method"] = "grpo";
  j["rounds"] = {{"count", 20}, {"oracle_budget", 10}, {"sample_batch_size", 32}};
  j["grpo"] = {{"prompts_per_step", 2}, {"group_size", 4}, {"lr", 1e-3}};
  j.erase("finetune");
  RunOptions quiet;
  quiet.quiet = true;
  RunSummary summary = run_active_learning(resolve(j), j, quiet);
  ASSERT_FALSE(summary.rows.empty());
  EXPECT_LE(summary.rows.back().oracle_calls_total, 10);
  for (const auto& row : summary.rows) EXPECT_EQ(row.generated, 8);
  // Either the budget is spent or the 20 steps ran out.
  EXPECT_TRUE(summary.rows.back().oracle_calls_total == 10 || summary.rows.size() == 20u);
  fs::remove_all(dir);
}

std::string file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The GRPO baseline's checkpoint holds its AdamW moments: a run killed after step 2 and resumed ends
// with the same weights (byte for byte), rounds and pool as the uninterrupted run. With fresh moments
// after the resume (the behaviour before) the step-3 update differs and so do the weights.
TEST(AlRun, GrpoResumeAfterAKillContinuesWithTheSavedOptimiserState) {
  fs::path a = temp_dir("grpo_uninterrupted"), b = temp_dir("grpo_killed");
  auto config_for = [](const fs::path& dir) {
    nlohmann::json j = small_config(dir);
    j["method"] = "grpo";
    j["rounds"] = {{"count", 4}, {"oracle_budget", 1000}, {"sample_batch_size", 32}};
    j["grpo"] = {{"prompts_per_step", 2}, {"group_size", 4}, {"lr", 1e-3}};
    j["filter"] = {{"novel", false}, {"unique", false}};  // rewards for every valid sample
    j.erase("finetune");
    return j;
  };
  RunOptions quiet;
  quiet.quiet = true;
  RunSummary full = run_active_learning(resolve(config_for(a)), config_for(a), quiet);
  ASSERT_EQ(full.rows.size(), 4u);
  int rewarded = 0;
  for (const auto& row : full.rows) rewarded += row.oracle_calls;
  ASSERT_GT(rewarded, 0) << "no sample scored: every GRPO step had zero advantages";
  EXPECT_TRUE(fs::exists(a / "checkpoints/round-4/optimizer.pt"));
  EXPECT_TRUE(fs::exists(a / "checkpoints/round-4/trainer_state.json"));

  RunOptions kill = quiet;
  kill.stop_round = 3;
  kill.stop_phase = "finetune";  // step 3's update done in memory, its checkpoint never written
  EXPECT_TRUE(run_active_learning(resolve(config_for(b)), config_for(b), kill).stopped_early);
  RunSummary resumed = run_active_learning(resolve(config_for(b)), config_for(b), quiet);
  EXPECT_EQ(resumed.resumed_from_round, 2);
  auto rows_a = lines_of(a / "rounds.csv"), rows_b = lines_of(b / "rounds.csv");
  ASSERT_EQ(rows_a.size(), rows_b.size());
  for (std::size_t i = 0; i < rows_a.size(); ++i) EXPECT_EQ(without_seconds(rows_a[i]), without_seconds(rows_b[i]));
  for (const char* round : {"round-3", "round-4"}) {
    std::string wa = file_bytes(a / "checkpoints" / round / "model.safetensors");
    ASSERT_FALSE(wa.empty());
    EXPECT_TRUE(wa == file_bytes(b / "checkpoints" / round / "model.safetensors")) << round << " weights differ";
  }
  fs::remove_all(a);
  fs::remove_all(b);
}

TEST(AlRun, ConfigErrorsNameTheKey) {
  nlohmann::json j = small_config(temp_dir("bad"));
  j["objective"] = "colour";
  try {
    resolve(j);
    FAIL();
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("objective"), std::string::npos) << e.what();
  }
  j = small_config(temp_dir("bad"));
  j["rounds"]["temperatures"] = {1.0, -0.5};
  EXPECT_THROW(resolve(j), std::exception);
}

TEST(AlRun, OracleKeysUseTheOracleCommandsSpelling) {
  // Without oracle keys: the session-3 oracle and its wavelength fit.
  AlConfig plain = resolve(small_config(temp_dir("oracle_keys")));
  EXPECT_EQ(plain.oracle_settings.settings_text(),
            "v=1;conformer=openbabel_mmff94;seed=42;geometry=gfnff;gfn2_opt=-;gap=1;ci=20,10;maxci=400;wrtci=20");
  EXPECT_DOUBLE_EQ(plain.oracle_settings.wavelength_scale, 0.654);
  EXPECT_DOUBLE_EQ(plain.oracle_settings.wavelength_offset_nm, 138.4);
  EXPECT_DOUBLE_EQ(plain.oracle_settings.timeout_seconds, 120);

  // The calibrated oracle of chem/oracle/README.md, spelled as `retort oracle`'s flags.
  nlohmann::json j = small_config(temp_dir("oracle_keys"));
  j["oracle"] = {{"timeout", 90},        {"conformers", "etkdg:10"}, {"geometry", "gfn2:crude"},
                 {"ci", "30,15"},        {"pick", "first"},          {"pick_f", "window:0.1"},
                 {"wavelength_fit", {0.9313, 21.2}}};
  AlConfig c = resolve(j);
  EXPECT_EQ(c.oracle_settings.settings_text(),
            "v=1;conformer=rdkit_etkdg*10;seed=42;geometry=gfn2;gfn2_opt=crude;gap=1;ci=30,15;maxci=400;wrtci=20");
  EXPECT_DOUBLE_EQ(c.oracle_settings.pick.f_window_ev, 0.1);
  EXPECT_DOUBLE_EQ(c.oracle_settings.wavelength_scale, 0.9313);
  EXPECT_DOUBLE_EQ(c.oracle_settings.wavelength_offset_nm, 21.2);
  EXPECT_DOUBLE_EQ(c.oracle_settings.wavelength_gap_coefficient, 0);
  EXPECT_DOUBLE_EQ(c.oracle_settings.timeout_seconds, 90);

  j["oracle"]["wavelength_fit"] = {1.0, 2.0, 3.0};
  EXPECT_DOUBLE_EQ(resolve(j).oracle_settings.wavelength_gap_coefficient, 3.0);

  // Bad values name the key and quote the text.
  j["oracle"]["geometry"] = "gfn2:fast";
  try {
    resolve(j);
    FAIL();
  } catch (const std::exception& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("oracle.geometry"), std::string::npos) << what;
    EXPECT_NE(what.find("'gfn2:fast'"), std::string::npos) << what;
  }
  j["oracle"]["geometry"] = "gfnff";
  j["oracle"]["wavelength_fit"] = {1.0};
  EXPECT_THROW(resolve(j), std::exception);
}
