// `retort data build --task med_kg`'s builder: counts, the fact-disjoint split, balanced answer letters,
// the test files carried over unchanged as task lines, and the cold-start hook the trainer's SFT step
// uses (cold_start_completion on a train line gives the med/ trace).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "core/example.h"
#include "datasets/cold_start.h"
#include "datasets/med_kg_tasks.h"
#include "med/kg_traces.h"
#include "med/question_synthesis.h"

using namespace retort;
using namespace retort::datasets;

namespace {

std::vector<nlohmann::json> read_lines(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<nlohmann::json> out;
  std::string line;
  while (std::getline(in, line)) out.push_back(nlohmann::json::parse(line));
  return out;
}

MedKgOptions options_with_seed(uint64_t seed) {
  MedKgOptions o;
  o.medqa_dir = std::string(RETORT_SOURCE_DIR) + "/datasets/medqa";
  o.seed = seed;
  return o;
}

}  // namespace

TEST(MedKgTasks, CountsSplitLettersAndTestFiles) {
  const auto build = build_med_kg_tasks(options_with_seed(0));
  // The split is med::synthesize_questions' fact-disjoint one, nothing else is dropped.
  med::SynthesisOptions s;
  s.fact_disjoint = true;
  auto reference = med::synthesize_questions(med::KnowledgeGraph::builtin(), s);
  EXPECT_EQ(build.train.size(), reference.train.size());
  EXPECT_EQ(build.held_out.size(), reference.held_out.size());
  EXPECT_EQ(build.dropped_across_split, reference.dropped_across_split);
  EXPECT_GT(build.train.size(), 150u);
  EXPECT_GT(build.held_out.size(), 20u);
  // Row counts of the shipped test files (datasets/medqa/README.md).
  EXPECT_EQ(build.tests.at("medqa").size(), 1273u);
  EXPECT_EQ(build.tests.at("medmcqa").size(), 2816u);
  EXPECT_EQ(build.tests.at("pubmedqa").size(), 500u);
  EXPECT_EQ(build.tests.at("medqa")[0].answer, 'B');  // realidx 0: "Tell the attending that he cannot fail to disclose ..."

  std::set<std::string> train_facts, held_facts, train_questions;
  for (const auto* split : {&build.train, &build.held_out}) {
    std::map<char, int> letters;
    for (const auto& item : *split) {
      ++letters[item.answer];
      for (const auto& f : item.meta["facts"])
        (split == &build.train ? train_facts : held_facts).insert(f.dump());
      if (split == &build.train) train_questions.insert(item.question);
      else EXPECT_FALSE(train_questions.count(item.question)) << item.id;
    }
    ASSERT_EQ(letters.size(), 4u);
    int lo = 1 << 30, hi = 0;
    for (const auto& [l, n] : letters) lo = std::min(lo, n), hi = std::max(hi, n);
    EXPECT_LE(hi - lo, 1) << "letters unbalanced";
  }
  for (const auto& f : held_facts) EXPECT_FALSE(train_facts.count(f)) << "fact in both splits: " << f;
}

TEST(MedKgTasks, WrittenFilesAndTheTrainersColdStartHook) {
  const auto dir = std::filesystem::temp_directory_path() / "retort_med_kg_tasks_test";
  std::filesystem::remove_all(dir);
  const auto build = build_med_kg_tasks(options_with_seed(1));
  const std::string summary = write_med_kg_tasks(build, dir.string());
  EXPECT_NE(summary.find("med_kg: train " + std::to_string(build.train.size())), std::string::npos) << summary;
  const auto train = read_lines(dir / "med_kg" / "train.jsonl");
  const auto held = read_lines(dir / "med_kg" / "heldout.jsonl");
  const auto traces = read_lines(dir / "med_kg" / "cold_start.jsonl");
  ASSERT_EQ(train.size(), build.train.size());
  EXPECT_EQ(held.size(), build.held_out.size());
  ASSERT_EQ(traces.size(), train.size());
  EXPECT_EQ(read_lines(dir / "med_kg" / "medqa_test.jsonl").size(), 1273u);
  EXPECT_EQ(read_lines(dir / "med_kg" / "medmcqa_test.jsonl").size(), 2816u);
  const auto pubmed = read_lines(dir / "med_kg" / "pubmedqa_test.jsonl");
  ASSERT_EQ(pubmed.size(), 500u);
  EXPECT_EQ(pubmed[0]["task"], "mcq");
  EXPECT_EQ(pubmed[0]["meta"]["dataset"], "pubmedqa");
  EXPECT_EQ(pubmed[0]["meta"]["options"]["C"], "maybe");
  EXPECT_FALSE(pubmed[0]["meta"].contains("facts"));  // test questions carry no trace
  std::mt19937_64 rng(0);
  for (size_t i = 0; i < train.size(); ++i) {
    Example e = example_from_json(train[i], "train.jsonl line " + std::to_string(i + 1));
    ASSERT_TRUE(is_kg_trace_example(e));
    EXPECT_EQ(e.answer, std::string(1, build.train[i].answer));
    // What the SFT step trains on is the trace written next to it.
    EXPECT_EQ(cold_start_completion(e, rng), traces[i]["completion"].get<std::string>()) << e.id;
    EXPECT_EQ(traces[i]["completion"].get<std::string>(), med::kg_trace_completion(build.train[i]));
  }
  Example test_line = example_from_json(pubmed[0], "pubmedqa_test.jsonl line 1");
  EXPECT_FALSE(is_kg_trace_example(test_line));
  std::filesystem::remove_all(dir);
}
