// The tool_agent task builder: answers are the tool values (Python RDKit: MolWt(CCO) = 46.069,
// MolWt(c1ccccc1) = 78.11399999999999, TPSA(CCO) = 20.23), traces call the right tool last and copy its
// number cut after 3 decimals, a share of traces recover from a wrong tool, the split is by scaffold
// and only train examples carry traces; every train molecule is asked all three kinds, test molecules one,
// and questions quote their SMILES as the call's arguments do.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "chem/molecule.h"
#include "chem/structure.h"
#include "datasets/tool_agent_tasks.h"

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

}  // namespace
}  // namespace retort::datasets
