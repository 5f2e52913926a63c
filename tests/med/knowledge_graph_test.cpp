// Knowledge graph: every fact has a source, drug_lookup resolves synonyms case-insensitively, and the
// synthesized questions are well formed, answerable from the graph, split by anchor drug and seeded.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <set>

#include "core/errors.h"
#include "med/knowledge_graph.h"
#include "med/question_synthesis.h"

using namespace retort::med;

TEST(KnowledgeGraph, BuiltinFactsAllHaveSources) {
  const auto& g = KnowledgeGraph::builtin();
  EXPECT_GT(g.facts().size(), 300u);
  for (const auto& f : g.facts()) EXPECT_FALSE(f.source.empty()) << f.subject << " " << f.relation;
  // Same content as the TSV on disk.
  auto disk = KnowledgeGraph::load(std::string(RETORT_SOURCE_DIR) + "/med/data/knowledge_graph.tsv");
  EXPECT_EQ(disk.facts().size(), g.facts().size());
}

TEST(KnowledgeGraph, DrugLookup) {
  auto para = drug_lookup("  Paracetamol ");
  ASSERT_TRUE(para);
  EXPECT_EQ(para->name, "acetaminophen");
  EXPECT_EQ(para->reversal_agents, std::vector<std::string>{"N-acetylcysteine"});
  auto warfarin = drug_lookup("WARFARIN");
  ASSERT_TRUE(warfarin);
  EXPECT_EQ(warfarin->targets, std::vector<std::string>{"vitamin K epoxide reductase (VKORC1)"});
  EXPECT_NE(describe_drug(*warfarin).find("reversed by: vitamin K"), std::string::npos);
  EXPECT_NE(describe_drug(*warfarin).find("DrugBank DB00682"), std::string::npos);
  EXPECT_FALSE(drug_lookup("unobtainium"));
}

TEST(KnowledgeGraph, ParseErrorsNameTheLine) {
  try {
    KnowledgeGraph::parse("subject\trelation\tobject\tsource\naspirin\tcures\teverything\tme\n", "kg.tsv");
    FAIL();
  } catch (const retort::DataError& e) {
    EXPECT_EQ(std::string(e.what()), "kg.tsv line 2: unknown relation 'cures'");
  }
  EXPECT_THROW(KnowledgeGraph::parse("subject\trelation\tobject\tsource\na\tis_a\tb\n", "kg.tsv"), retort::DataError);
}

TEST(QuestionSynthesis, WellFormedAnswerableSplitAndSeeded) {
  const auto& g = KnowledgeGraph::builtin();
  auto q = synthesize_questions(g, {.seed = 3, .option_count = 4, .held_out_fraction = 0.2});
  ASSERT_GT(q.train.size(), 200u);
  ASSERT_GT(q.held_out.size(), 20u);
  std::set<std::string> train_anchors, held_anchors, difficulties;
  for (const auto& item : q.train) train_anchors.insert(item.meta["anchor"].get<std::string>());
  for (const auto& item : q.held_out) held_anchors.insert(item.meta["anchor"].get<std::string>());
  for (const auto& a : held_anchors) EXPECT_FALSE(train_anchors.count(a)) << a;  // split by drug
  for (const auto* split : {&q.train, &q.held_out}) {
    for (const auto& item : *split) {
      ASSERT_EQ(item.options.size(), 4u);
      std::set<std::string> texts;
      for (const auto& [l, t] : item.options) texts.insert(t);
      EXPECT_EQ(texts.size(), 4u) << item.id;
      EXPECT_FALSE(item.meta["sources"].empty()) << item.id;
      difficulties.insert(item.meta["difficulty"].get<std::string>());
      // The graph supports the keyed answer for the easy template.
      if (item.meta["template"] == "target_of") {
        auto targets = g.objects(item.meta["anchor"], "targets");
        EXPECT_NE(std::find(targets.begin(), targets.end(), item.options.at(item.answer)), targets.end());
        for (const auto& [l, t] : item.options)
          if (l != item.answer) EXPECT_EQ(std::find(targets.begin(), targets.end(), t), targets.end()) << item.id;
      }
    }
  }
  EXPECT_EQ(difficulties, (std::set<std::string>{"easy", "moderate", "hard"}));
  std::map<std::string, std::map<std::string, int>> table;  // difficulty -> split -> count
  for (const auto& item : q.train) ++table[item.meta["difficulty"]]["train"];
  for (const auto& item : q.held_out) ++table[item.meta["difficulty"]]["held_out"];
  std::printf("| difficulty | train | held-out |\n|---|---|---|\n");
  for (auto& [d, c] : table) std::printf("| %s | %d | %d |\n", d.c_str(), c["train"], c["held_out"]);
  std::printf("| all | %zu | %zu |\n(held-out anchor drugs: %zu of %zu)\n", q.train.size(), q.held_out.size(),
              held_anchors.size(), held_anchors.size() + train_anchors.size());
  auto again = synthesize_questions(g, {.seed = 3, .option_count = 4, .held_out_fraction = 0.2});
  ASSERT_EQ(again.train.size(), q.train.size());
  EXPECT_EQ(again.train[5].options, q.train[5].options);
  auto other = synthesize_questions(g, {.seed = 4, .option_count = 4, .held_out_fraction = 0.2});
  std::set<std::string> other_held;
  for (const auto& item : other.held_out) other_held.insert(item.meta["anchor"].get<std::string>());
  EXPECT_NE(other_held, held_anchors);  // the split depends on the seed
}

TEST(QuestionSynthesis, FiveOptions) {
  auto q = synthesize_questions(KnowledgeGraph::builtin(), {.seed = 1, .option_count = 5, .held_out_fraction = 0.0});
  EXPECT_TRUE(q.held_out.empty());
  for (const auto& item : q.train) EXPECT_EQ(item.options.size(), 5u);
}
