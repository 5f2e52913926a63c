// MCQ loaders on the shipped MedQA / MedMCQA / PubMedQA copies (row counts and first answers checked
// against the files by hand), other option layouts, and errors that name the file and line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/errors.h"
#include "med/answer_consistency.h"
#include "med/mcq_formats.h"

using namespace retort::med;

namespace {
std::string data(const std::string& name) { return std::string(RETORT_SOURCE_DIR) + "/datasets/medqa/" + name; }
}  // namespace

TEST(McqFormats, LoadsShippedFiles) {
  auto medqa = load_mcq_jsonl(data("medqa_test.jsonl"), "medqa");
  ASSERT_EQ(medqa.size(), 1273u);
  EXPECT_EQ(medqa[0].answer, 'B');
  EXPECT_EQ(medqa[0].options.at('B'), "Tell the attending that he cannot fail to disclose this mistake");
  EXPECT_EQ(medqa[0].meta["meta_info"], "step1");
  auto medmcqa = load_mcq_jsonl(data("medmcqa_test.jsonl"), "medmcqa");
  EXPECT_EQ(medmcqa.size(), 2816u);
  EXPECT_EQ(medmcqa[1].answer, 'A');  // "Concentration of tropicamide:" -> 0.01
  auto pubmed = load_mcq_jsonl(data("pubmedqa_test.jsonl"), "pubmedqa");
  EXPECT_EQ(pubmed.size(), 500u);
  EXPECT_EQ(pubmed[0].options.size(), 3u);
  EXPECT_EQ(pubmed[0].options.at(pubmed[0].answer), "yes");
}

TEST(McqFormats, OtherLayouts) {
  auto five = mcq_item_from_json(nlohmann::json::parse(R"({"question": "q", "options": ["a", "b", "c", "d", "e"], "answer_idx": 4})"),
                                 "x", "custom");
  EXPECT_EQ(five.options.size(), 5u);
  EXPECT_EQ(five.answer, 'E');
  auto pubmed = mcq_item_from_json(nlohmann::json::parse(R"({"QUESTION": "q?", "final_decision": "maybe"})"), "x", "pubmedqa");
  EXPECT_EQ(pubmed.answer, 'C');
  auto by_text = mcq_item_from_json(nlohmann::json::parse(R"({"question": "q", "options": {"A": "x", "B": "y"}, "answer": "y"})"), "x", "t");
  EXPECT_EQ(by_text.answer, 'B');
  auto line = mcq_task_line(five);
  EXPECT_EQ(line["answer"], "E");
  EXPECT_EQ(line["meta"]["options"]["E"], "e");
  EXPECT_NE(line["prompt"].get<std::string>().find("E. e\n"), std::string::npos);
}

TEST(McqFormats, ErrorsNameFileLineAndField) {
  auto path = std::filesystem::temp_directory_path() / "retort_mcq_bad.jsonl";
  {
    std::ofstream out(path);
    out << R"({"question": "q", "options": {"A": "x", "B": "y"}, "answer_idx": "A", "answer": "x"})" << "\n\n";
    out << R"({"question": "q", "options": {"A": "x", "B": "y"}, "answer_idx": "C"})" << "\n";
  }
  try {
    load_mcq_jsonl(path.string(), "t");
    FAIL() << "no error";
  } catch (const retort::DataError& e) {
    EXPECT_EQ(std::string(e.what()), path.string() + " line 3: answer_idx: 'C' is not one of the options");
  }
  EXPECT_THROW(mcq_item_from_json(nlohmann::json::parse(R"({"question": "q", "options": {"A": "x", "C": "y"}, "answer_idx": "A"})"), "w", "t"),
               retort::DataError);
  EXPECT_THROW(load_mcq_jsonl("/nonexistent.jsonl", "t"), retort::IoError);
}

TEST(AnswerConsistency, ShuffleMovesTheAnswerAndMapsBack) {
  McqItem item;
  item.id = "q1";
  item.options = {{'A', "w"}, {'B', "x"}, {'C', "y"}, {'D', "z"}};
  item.answer = 'B';
  for (uint64_t seed = 0; seed < 20; ++seed) {
    auto s = shuffle_options(item, seed);
    EXPECT_NE(s.item.answer, 'B');
    EXPECT_EQ(s.item.options.at(s.item.answer), "x");
    EXPECT_EQ(s.original[s.item.answer - 'A'], 'B');
    auto good = answer_consistency(item, s, 'B', s.item.answer);
    EXPECT_DOUBLE_EQ(good.reward, 1.0);
    EXPECT_TRUE(good.consistent);
    // Always answering "A" (position bias) is inconsistent once the answer moved.
    auto biased = answer_consistency(item, s, 'A', 'A');
    EXPECT_DOUBLE_EQ(biased.reward, 0.0);
  }
  auto s = shuffle_options(item, 7);
  EXPECT_EQ(shuffle_options(item, 7).original, s.original);  // seeded
  char wrong_new = s.item.answer == 'A' ? 'B' : 'A';
  auto consistent_wrong = answer_consistency(item, s, s.original[wrong_new - 'A'], wrong_new);
  EXPECT_TRUE(consistent_wrong.consistent);
  EXPECT_DOUBLE_EQ(consistent_wrong.reward, 0.0);
  EXPECT_DOUBLE_EQ(answer_consistency(item, s, 'B', 0).reward, 0.0);
}
