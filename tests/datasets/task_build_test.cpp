// Task building on the shipped CSVs: known Example JSON lines, split properties on real scaffolds,
// invalid-SMILES handling (error by default, skip-and-count on request), label errors.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "core/errors.h"
#include "datasets/moleculenet_tasks.h"
#include "datasets/task_examples.h"
#include "datasets/task_files.h"

using namespace retort;
using namespace retort::datasets;

namespace {

BuildOptions shipped(uint64_t seed) {
  BuildOptions o;
  o.data_dir = std::string(RETORT_SOURCE_DIR) + "/datasets/moleculenet";
  o.seed = seed;
  return o;
}

const Example* find_id(const TaskBuild& b, const std::string& id) {
  for (const auto* split : {&b.train, &b.valid, &b.test})
    for (const auto& e : *split)
      if (e.id == id) return &e;
  return nullptr;
}

std::filesystem::path temp_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace

TEST(TaskExamples, ExampleJsonMatchesHandWrittenLines) {
  // Expected lines written by hand from the CSV rows; scaffolds from Python RDKit 2022.09.3
  // MurckoScaffold.MurckoScaffoldSmiles(mol=m).
  struct Case {
    std::string task, id, expected;
  };
  const std::vector<Case> cases = {
      {"esol", "esol-00003",
       R"J({"id":"esol-00003","task":"esol","prompt":"<|image|>\nSMILES: Cc1occc1C(=O)Nc2ccccc2\nWhat is the aqueous solubility of this molecule, as log S (log10 of mol/L)?\nThink inside <think>...</think>, then give one number inside <answer>...</answer>.","smiles":"Cc1occc1C(=O)Nc2ccccc2","image":true,"answer":{"value":-3.3,"tolerance":0.7},"meta":{"scaffold":"O=C(Nc1ccccc1)c1ccoc1","dataset":"ESOL","source":"datasets/moleculenet/esol.csv","source_line":3,"unit":"log10(mol/L)"}})J"},
      {"freesolv", "freesolv-00003",
       R"J({"id":"freesolv-00003","task":"freesolv","prompt":"<|image|>\nSMILES: CS(=O)(=O)Cl\nWhat is the hydration free energy of this molecule in water, in kcal/mol?\nThink inside <think>...</think>, then give one number inside <answer>...</answer>.","smiles":"CS(=O)(=O)Cl","image":true,"answer":{"value":-4.87,"tolerance":1.0},"meta":{"scaffold":"","dataset":"FreeSolv","source":"datasets/moleculenet/freesolv.csv","source_line":3,"unit":"kcal/mol"}})J"},
      {"bbbp", "bbbp-00002",
       R"J({"id":"bbbp-00002","task":"bbbp","prompt":"<|image|>\nSMILES: [Cl].CC(C)NCC(O)COc1cccc2ccccc12\nDoes this molecule penetrate the blood-brain barrier?\nThink inside <think>...</think>, then give yes or no inside <answer>...</answer>.","smiles":"[Cl].CC(C)NCC(O)COc1cccc2ccccc12","image":true,"answer":true,"meta":{"scaffold":"c1ccc2ccccc2c1","dataset":"BBBP","source":"datasets/moleculenet/bbbp.csv","source_line":2}})J"},
      {"bace", "bace-00002",
       R"J({"id":"bace-00002","task":"bace","prompt":"<|image|>\nSMILES: O1CC[C@@H](NC(=O)[C@@H](Cc2cc3cc(ccc3nc2N)-c2ccccc2C)C)CC1(C)C\nIs this molecule a BACE-1 inhibitor with IC50 of 100 nM or better?\nThink inside <think>...</think>, then give yes or no inside <answer>...</answer>.","smiles":"O1CC[C@@H](NC(=O)[C@@H](Cc2cc3cc(ccc3nc2N)-c2ccccc2C)C)CC1(C)C","image":true,"answer":true,"meta":{"scaffold":"O=C(CCc1cnc2ccc(-c3ccccc3)cc2c1)NC1CCOCC1","dataset":"BACE","source":"datasets/moleculenet/bace.csv","source_line":2}})J"},
      {"clintox", "clintox-00002",
       R"J({"id":"clintox-00002","task":"clintox","prompt":"<|image|>\nSMILES: *C(=O)[C@H](CCCCNC(=O)OCCOC)NC(=O)OCCOC\nDid this molecule fail clinical trials because of toxicity?\nThink inside <think>...</think>, then give yes or no inside <answer>...</answer>.","smiles":"*C(=O)[C@H](CCCCNC(=O)OCCOC)NC(=O)OCCOC","image":true,"answer":false,"meta":{"scaffold":"","dataset":"ClinTox","source":"datasets/moleculenet/clintox.csv","source_line":2}})J"},
      {"lipophilicity", "lipophilicity-00002",
       R"J({"id":"lipophilicity-00002","task":"lipophilicity","prompt":"<|image|>\nSMILES: Cn1c(CN2CCN(CC2)c3ccc(Cl)cc3)nc4ccccc14\nWhat is the octanol/water distribution coefficient of this molecule, logD at pH 7.4?\nThink inside <think>...</think>, then give one number inside <answer>...</answer>.","smiles":"Cn1c(CN2CCN(CC2)c3ccc(Cl)cc3)nc4ccccc14","image":true,"answer":{"value":3.54,"tolerance":0.5},"meta":{"scaffold":"c1ccc(N2CCN(Cc3nc4ccccc4[nH]3)CC2)cc1","dataset":"Lipophilicity","source":"datasets/moleculenet/lipophilicity.csv","source_line":2,"unit":"log units"}})J"},
  };
  for (const auto& c : cases) {
    TaskBuild b = build_task(find_task(c.task), shipped(0));
    const Example* e = find_id(b, c.id);
    ASSERT_NE(e, nullptr) << c.id;
    nlohmann::json got = example_to_json(*e);
    const std::string split = got["meta"]["split"];
    EXPECT_TRUE(split == "train" || split == "valid" || split == "test");
    got["meta"].erase("split");  // depends on the seed; checked against the file it is in below
    EXPECT_EQ(got, nlohmann::json::parse(c.expected)) << c.id;
    // The JSON line round-trips through core's parser.
    EXPECT_EQ(example_to_json(example_from_json(example_to_json(*e), c.id)), example_to_json(*e));
  }
}

TEST(TaskBuild, RealScaffoldSplitsAreDisjointSizedAndSeeded) {
  for (const auto& spec : moleculenet_tasks()) {
    TaskBuild a = build_task(spec, shipped(0));
    const size_t n = a.train.size() + a.valid.size() + a.test.size();
    EXPECT_EQ(static_cast<int>(n), a.rows_read) << spec.name;
    EXPECT_TRUE(a.invalid.empty()) << spec.name;
    std::map<std::string, std::set<std::string>> splits_of;
    for (const auto* split : {&a.train, &a.valid, &a.test})
      for (const auto& e : *split) splits_of[e.meta["scaffold"].get<std::string>()].insert(e.meta["split"]);
    for (const auto& [scaffold, splits] : splits_of)
      EXPECT_EQ(splits.size(), 1u) << spec.name << " scaffold '" << scaffold << "' in several splits";
    EXPECT_LE(a.train.size(), 0.8 * n) << spec.name;
    EXPECT_GE(a.train.size(), 0.8 * n - 1) << spec.name;
    EXPECT_LE(a.valid.size(), 0.1 * n) << spec.name;
    EXPECT_GE(a.valid.size(), 0.1 * n - 1) << spec.name;
    EXPECT_NEAR(static_cast<double>(a.test.size()), 0.1 * n, 2.0) << spec.name;
    for (const auto& e : a.test) EXPECT_EQ(e.meta["split"], "test");

    TaskBuild same = build_task(spec, shipped(0)), other = build_task(spec, shipped(1));
    auto ids = [](const std::vector<Example>& v) {
      std::vector<std::string> out;
      for (const auto& e : v) out.push_back(e.id);
      return out;
    };
    EXPECT_EQ(ids(a.test), ids(same.test)) << spec.name;
    EXPECT_EQ(ids(a.valid), ids(same.valid)) << spec.name;
    EXPECT_NE(ids(a.test), ids(other.test)) << spec.name;
  }
}

TEST(TaskBuild, InvalidSmilesAreAnErrorUnlessSkippedAndCounted) {
  auto dir = temp_dir("retort_task_build_test");
  std::ofstream(dir / "esol.csv") << "smiles,logp\nCCO,0.5\nC1CC,-1\n\nc1ccccc1,-2\nXyz,1\n";
  BuildOptions o;
  o.data_dir = dir.string();
  try {
    build_task(find_task("esol"), o);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("esol.csv: 2 rows with invalid SMILES (esol.csv line 3: SMILES 'C1CC' does not parse"),
              std::string::npos) << msg;
    EXPECT_NE(msg.find("esol.csv line 6: SMILES 'Xyz' does not parse"), std::string::npos) << msg;
    EXPECT_NE(msg.find("--skip-invalid"), std::string::npos) << msg;
  }
  o.skip_invalid = true;
  TaskBuild b = build_task(find_task("esol"), o);
  EXPECT_EQ(b.rows_read, 4);
  EXPECT_EQ(b.train.size() + b.valid.size() + b.test.size(), 2u);
  ASSERT_EQ(b.invalid.size(), 2u);
  EXPECT_EQ(b.invalid[0], "esol.csv line 3: SMILES 'C1CC' does not parse: unclosed ring");
  EXPECT_EQ(b.invalid[1].find("does not parse"), b.invalid[1].rfind("does not parse")) << "reason stated once";
  const std::string summary = summary_line(b);
  EXPECT_EQ(summary.rfind("esol: read 4 rows, wrote train ", 0), 0u) << summary;
  EXPECT_NE(summary.find(", invalid SMILES 2 skipped (first: esol.csv line 3: "), std::string::npos) << summary;

  write_task_files(b, (dir / "out").string());
  std::ifstream invalid(dir / "out" / "esol" / "invalid.txt");
  std::string first;
  std::getline(invalid, first);
  EXPECT_EQ(first.rfind("esol.csv line 3:", 0), 0u);
  size_t lines = 0;
  for (const char* split : {"train", "valid", "test"}) {
    std::ifstream in(dir / "out" / "esol" / (std::string(split) + ".jsonl"));
    ASSERT_TRUE(in) << split;
    for (std::string line; std::getline(in, line);) {
      Example e = example_from_json(nlohmann::json::parse(line), split);
      EXPECT_EQ(e.meta["split"], split);
      ++lines;
    }
  }
  EXPECT_EQ(lines, 2u);
  std::filesystem::remove_all(dir);
}

TEST(TaskBuild, BadLabelsAndMissingColumnsNameFileLineAndColumn) {
  auto dir = temp_dir("retort_task_build_labels");
  BuildOptions o;
  o.data_dir = dir.string();
  auto error_of = [&](const std::string& task) -> std::string {
    try {
      build_task(find_task(task), o);
    } catch (const std::exception& e) {
      return e.what();
    }
    return "(no error)";
  };
  std::ofstream(dir / "bbbp.csv") << "smiles,p_np\nCCO,1\nCCN,2\n";
  EXPECT_EQ(error_of("bbbp"), "bbbp.csv line 3: column 'p_np': '2' is not 0 or 1");
  std::ofstream(dir / "esol.csv") << "smiles,logp\nCCO,abc\n";
  EXPECT_EQ(error_of("esol"), "esol.csv line 2: column 'logp': 'abc' is not a number");
  std::ofstream(dir / "bace.csv") << "smiles,Class\nCCO,1\n";
  EXPECT_EQ(error_of("bace"), "bace.csv: no column 'mol' (columns: smiles, Class)");
  std::ofstream(dir / "freesolv.csv") << "smiles,freesolv\nCCO,-5\nCCC\n";
  EXPECT_EQ(error_of("freesolv"), "freesolv.csv line 3: expected 2 fields, got 1");
  EXPECT_NE(error_of("clintox").find("clintox.csv: cannot open"), std::string::npos);
  EXPECT_THROW(find_task("tox21"), DataError);
  std::filesystem::remove_all(dir);
}
