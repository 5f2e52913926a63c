// The tool_agent task builder: answers are the tool values (Python RDKit: MolWt(CCO) = 46.069,
// MolWt(c1ccccc1) = 78.11399999999999, TPSA(CCO) = 20.23), traces call the right tool last and copy its
// number cut after 3 decimals, a share of traces recover from a wrong tool, the split is by scaffold
// and only train examples carry traces; every train molecule is asked all three kinds, test molecules one,
// and questions quote their SMILES as the call's arguments do. With extra train molecules (the shipped
// ZINC CSV) the ESOL splits are unchanged, and which ZINC rows join train (length, held-out scaffold or
// molecule left out) and their questions' values are checked against Python RDKit.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <unistd.h>

#include "chem/molecule.h"
#include "chem/structure.h"
#include "datasets/tool_agent_tasks.h"
#include "tests/support/run_command.h"

namespace retort::datasets {
namespace {

std::string source_dir() { return std::string(RETORT_SOURCE_DIR) + "/datasets/moleculenet"; }

TEST(ToolAgentTasks, CutDecimalsTruncates) {
  EXPECT_EQ(cut_decimals("78.11399999999999", 3), "78.113");
  EXPECT_EQ(cut_decimals("46.069", 3), "46.069");
  EXPECT_EQ(cut_decimals("20.23", 3), "20.23");
  EXPECT_EQ(cut_decimals("0.0", 3), "0.0");
  EXPECT_EQ(cut_decimals("112.55899999999997", 2), "112.55");
  EXPECT_EQ(cut_decimals("7", 3), "7");
  EXPECT_EQ(cut_decimals("5e-05", 3), "0.000");
}

TEST(ToolAgentTasks, BuildsSplitsWithTracesFromTheToolValues) {
  ToolAgentOptions options;
  options.data_dir = source_dir();
  ToolAgentBuild build = build_tool_agent_tasks(options);
  EXPECT_EQ(build.molecules_read, 1128);
  EXPECT_EQ(static_cast<size_t>(build.molecules_used), build.train.size() / 3 + build.valid.size() + build.test.size());
  EXPECT_GT(build.test.size(), 50u);
  ASSERT_EQ(build.train.size() % 3, 0u);
  std::map<std::string, std::set<std::string>> kinds_of_train_molecule;
  for (const auto& e : build.train) kinds_of_train_molecule[e.meta["source"]].insert(e.meta["kind"].get<std::string>());
  EXPECT_EQ(kinds_of_train_molecule.size() * 3, build.train.size());
  for (const auto& [source, kinds] : kinds_of_train_molecule) EXPECT_EQ(kinds.size(), 3u) << source;
  std::set<std::string> ids;
  for (const auto* split : {&build.train, &build.valid, &build.test})
    for (const auto& e : *split) {
      EXPECT_TRUE(ids.insert(e.id).second) << "duplicate id " << e.id;
      EXPECT_NE(e.prompt.find("\"" + *e.smiles + "\"\n"), std::string::npos) << e.prompt;
      const auto& args = e.meta["tool_checklist"][0]["arguments"];
      for (const auto& [key, value] : args.items())
        EXPECT_NE(e.prompt.find("\"" + value.get<std::string>() + "\""), std::string::npos) << key << " " << e.prompt;
    }
  std::map<std::string, int> kinds;
  int wrong_first = 0;
  for (const auto& e : build.train) {
    ASSERT_TRUE(e.meta.contains("tool_trace")) << e.id;
    const auto& trace = e.meta["tool_trace"];
    ASSERT_GE(trace.size(), 2u);
    const std::string kind = e.meta["kind"];
    ++kinds[kind];
    const std::string right = kind == "molecular_weight" ? "molecular_weight" : kind == "tpsa" ? "descriptors" : "similarity";
    EXPECT_EQ(trace[trace.size() - 2]["tool_call"]["name"], right) << e.id;
    EXPECT_EQ(e.meta["tool_checklist"][0]["tool"], right);
    if (trace.size() == 3) {
      ++wrong_first;
      EXPECT_NE(trace[0]["tool_call"]["name"], right);
    }
    const std::string answer = cut_decimals(nlohmann::json(e.answer["value"].get<double>()).dump(), 3);
    EXPECT_NE(trace.back()["content"].get<std::string>().find("<answer>" + answer + "</answer>"), std::string::npos) << e.id;
    EXPECT_NEAR(std::stod(answer), e.answer["value"].get<double>(), e.answer["tolerance"].get<double>());
    if (*e.smiles == "CCO" && kind == "molecular_weight") {
      EXPECT_DOUBLE_EQ(e.answer["value"].get<double>(), 46.069);
    }
    if (*e.smiles == "CCO" && kind == "tpsa") {
      EXPECT_NEAR(e.answer["value"].get<double>(), 20.23, 1e-9);
    }
    if (*e.smiles == "c1ccccc1" && kind == "molecular_weight") {
      EXPECT_DOUBLE_EQ(e.answer["value"].get<double>(), 78.11399999999999);
    }
  }
  EXPECT_EQ(kinds.size(), 3u);
  for (const auto& [kind, count] : kinds) EXPECT_GT(count, static_cast<int>(build.train.size()) / 5) << kind;
  const double share = static_cast<double>(wrong_first) / static_cast<double>(build.train.size());
  EXPECT_GT(share, 0.15);
  EXPECT_LT(share, 0.35);

  std::set<std::string> train_scaffolds;
  for (const auto& e : build.train) train_scaffolds.insert(chem::murcko_scaffold(chem::Molecule::from_smiles(*e.smiles)));
  for (const auto* split : {&build.valid, &build.test})
    for (const auto& e : *split) {
      EXPECT_FALSE(e.meta.contains("tool_trace")) << e.id;
      EXPECT_EQ(e.task, "numeric");
      EXPECT_LE(e.smiles->size(), options.max_smiles_length);
      EXPECT_EQ(train_scaffolds.count(chem::murcko_scaffold(chem::Molecule::from_smiles(*e.smiles))), 0u) << e.id;
    }
}

TEST(ToolAgentTasks, ExtraTrainMoleculesJoinTrainOnlyWithoutHeldOutScaffolds) {
  ToolAgentOptions plain_options;
  plain_options.data_dir = source_dir();
  const ToolAgentBuild plain = build_tool_agent_tasks(plain_options);
  ToolAgentOptions options = plain_options;
  const std::string zinc_csv = std::string(RETORT_SOURCE_DIR) + "/datasets/zinc/zinc_moses_train10k.csv";
  options.extra_train_csv = zinc_csv;
  const ToolAgentBuild build = build_tool_agent_tasks(options);

  // The ESOL part is the default build, unchanged: same valid/test, train followed by the extra examples.
  ASSERT_EQ(build.valid.size(), plain.valid.size());
  ASSERT_EQ(build.test.size(), plain.test.size());
  for (size_t i = 0; i < plain.test.size(); ++i) EXPECT_EQ(build.test[i].prompt, plain.test[i].prompt);
  for (size_t i = 0; i < plain.valid.size(); ++i) EXPECT_EQ(build.valid[i].prompt, plain.valid[i].prompt);
  ASSERT_EQ(build.train.size(), plain.train.size() + static_cast<size_t>(build.extra_used));
  for (size_t i = 0; i < plain.train.size(); ++i) EXPECT_EQ(build.train[i].id, plain.train[i].id);
  // 9999 rows, 1619 longer than 40 characters (counted by hand with Python's len), none invalid.
  EXPECT_EQ(build.extra_read, 9999);
  EXPECT_EQ(build.extra_too_long, 1619);
  EXPECT_EQ(build.extra_invalid, 0);
  EXPECT_EQ(build.extra_read, build.extra_used + build.extra_too_long + build.extra_invalid + build.extra_duplicate + build.extra_held_out);
  EXPECT_GT(build.extra_used, 8000);

  // No extra molecule has a valid/test scaffold or is a valid/test molecule; ids unique; one kind each.
  std::set<std::string> held_scaffolds, held_molecules;
  const auto dir = std::filesystem::temp_directory_path() / ("tool_agent_extra_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream held(dir / "held_out.txt"), esol_train(dir / "esol_train.txt");
    for (const auto* split : {&build.valid, &build.test})
      for (const auto& e : *split) {
        const auto mol = chem::Molecule::from_smiles(*e.smiles);
        held_scaffolds.insert(chem::murcko_scaffold(mol));
        held_molecules.insert(mol.canonical_smiles());
        held << *e.smiles << "\n";
      }
    for (size_t i = 0; i < plain.train.size(); i += 3) esol_train << *plain.train[i].smiles << "\n";
  }
  std::set<std::string> ids;
  std::map<std::string, int> kinds;
  std::vector<int> lines;
  nlohmann::json questions = nlohmann::json::array();
  for (size_t i = plain.train.size(); i < build.train.size(); ++i) {
    const auto& e = build.train[i];
    EXPECT_TRUE(ids.insert(e.id).second) << e.id;
    EXPECT_EQ(e.id.rfind("tool_agent-extra-", 0), 0u) << e.id;
    const std::string source = e.meta["source"];
    ASSERT_EQ(source.rfind("zinc_moses_train10k.csv line ", 0), 0u) << source;
    lines.push_back(std::stoi(source.substr(source.rfind(' ') + 1)));
    EXPECT_LE(e.smiles->size(), options.max_smiles_length);
    const auto mol = chem::Molecule::from_smiles(*e.smiles);
    EXPECT_EQ(held_scaffolds.count(chem::murcko_scaffold(mol)), 0u) << *e.smiles;
    EXPECT_EQ(held_molecules.count(mol.canonical_smiles()), 0u) << *e.smiles;
    ASSERT_TRUE(e.meta.contains("tool_trace")) << e.id;
    EXPECT_EQ(e.meta["split"], "train");
    const std::string kind = e.meta["kind"];
    ++kinds[kind];
    const std::string answer = cut_decimals(nlohmann::json(e.answer["value"].get<double>()).dump(), 3);
    EXPECT_NE(e.meta["tool_trace"].back()["content"].get<std::string>().find("<answer>" + answer + "</answer>"), std::string::npos);
    if (i % 97 == 0 || i + 1 == build.train.size()) {  // ~85 questions of all kinds against Python RDKit
      const auto& args = e.meta["tool_checklist"][0]["arguments"];
      const std::string partner = kind == "similarity" ? args["smiles_b"].get<std::string>() : "";
      questions.push_back({kind, *e.smiles, partner, e.answer["value"].get<double>()});
    }
  }
  EXPECT_EQ(kinds.size(), 3u);
  for (const auto& [kind, count] : kinds) EXPECT_GT(count, build.extra_used / 4) << kind;
  std::ofstream(dir / "questions.json") << questions.dump();

  // Python RDKit recomputes the used rows from the CSV and the held-out SMILES, and the values.
  const auto result = retort::testing::run_command(
      "/usr/bin/python3 '" + std::string(RETORT_SOURCE_DIR) + "/tests/datasets/data/tool_agent_extra_reference.py' '" +
      zinc_csv + "' '" + (dir / "held_out.txt").string() + "' '" + (dir / "esol_train.txt").string() + "' '" +
      (dir / "questions.json").string() + "' " + std::to_string(options.max_smiles_length));
  std::filesystem::remove_all(dir);
  ASSERT_EQ(result.status, 0) << result.output;
  std::ostringstream want;
  want << "extra " << build.extra_used << " too_long " << build.extra_too_long << " held_out " << build.extra_held_out << " lines ";
  for (size_t k = 0; k < lines.size(); ++k) want << (k ? "," : "") << lines[k];
  EXPECT_EQ(result.output.substr(0, result.output.find('\n')), want.str());
  EXPECT_NE(result.output.find("values ok " + std::to_string(questions.size())), std::string::npos) << result.output;
}

TEST(ToolAgentTasks, ExtraTrainCsvWithoutSmilesColumnIsAClearError) {
  const auto path = std::filesystem::temp_directory_path() / ("tool_agent_no_smiles_" + std::to_string(::getpid()) + ".csv");
  std::ofstream(path) << "name,value\nethanol,1\n";
  ToolAgentOptions options;
  options.data_dir = source_dir();
  options.extra_train_csv = path.string();
  try {
    build_tool_agent_tasks(options);
    ADD_FAILURE() << "no error";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("no column 'smiles'"), std::string::npos) << e.what();
  }
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace retort::datasets
