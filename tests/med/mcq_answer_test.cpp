// MCQ answer reading: every accepted notation of the same choice, exact option text, and hedges that
// name two options (hand-written expectations).
#include <gtest/gtest.h>

#include "med/mcq_answer.h"

using retort::med::Options;
using retort::med::read_mcq_choice;

namespace {

const Options kOptions = {{'A', "Aspirin"}, {'B', "Vitamin C deficiency"}, {'C', "Ibuprofen"}, {'D', "None of the above"}};

char choice(const std::string& answer, const Options& options = kOptions) {
  auto c = read_mcq_choice(answer, options);
  return c.letter ? *c.letter : '-';
}

}  // namespace

TEST(McqAnswer, AcceptedNotations) {
  for (const char* a : {"B", "(B)", "B.", "B)", "B) Vitamin C deficiency", "B. Vitamin C deficiency", "The answer is B",
                        "The answer is (B).", "Answer: (B) Vitamin C deficiency", "**B**", "Option B", "b",
                        "vitamin c deficiency", "Vitamin C deficiency.", "The correct answer is B: Vitamin C deficiency",
                        "B because ascorbate is needed for collagen", "[B]"}) {
    EXPECT_EQ(choice(a), 'B') << a;
  }
  EXPECT_EQ(choice("Based on the findings, the answer is C."), 'C');
}

TEST(McqAnswer, HedgesAndConflictsFail) {
  for (const char* a : {"B or C", "A, C", "A/B", "A and C", "B) Ibuprofen", "either A or B", "Aspirin or Ibuprofen",
                        "I don't know", "", "E", "a drug", "The answer is B. Actually, the answer is C"}) {
    EXPECT_EQ(choice(a), '-') << a;
  }
}

TEST(McqAnswer, MoreThanFourOptionsAndNoOptionTable) {
  Options ten;
  for (char c = 'A'; c <= 'J'; ++c) ten[c] = std::string("option ") + c;
  EXPECT_EQ(choice("J", ten), 'J');
  EXPECT_EQ(choice("(G) option G", ten), 'G');
  EXPECT_EQ(choice("G) option H", ten), '-');
  EXPECT_EQ(choice("E", {}), 'E');   // no option table: any letter A-J
  EXPECT_EQ(choice("K", {}), '-');
}

TEST(McqAnswer, PubMedQaWords) {
  Options yes_no_maybe = {{'A', "yes"}, {'B', "no"}, {'C', "maybe"}};
  EXPECT_EQ(choice("Yes", yes_no_maybe), 'A');
  EXPECT_EQ(choice("maybe.", yes_no_maybe), 'C');
  EXPECT_EQ(choice("B", yes_no_maybe), 'B');
  EXPECT_EQ(choice("yes or no", yes_no_maybe), '-');
}
