// Answer protocol: the format verdict and final-answer extraction on well-formed, malformed and
// adversarial completions (hand-checked expectations).
#include <gtest/gtest.h>

#include "core/answer_protocol.h"

using retort::AnswerSource;
using retort::last_boxed;
using retort::parse_completion;

TEST(AnswerProtocol, WellFormedThinkThenAnswer) {
  auto p = parse_completion("<think>ethanol has 2 carbons</think>\n<answer> CCO </answer>\n");
  EXPECT_TRUE(p.well_formed);
  EXPECT_EQ(p.format_reason, "ok");
  ASSERT_TRUE(p.final_answer);
  EXPECT_EQ(*p.final_answer, "CCO");
  EXPECT_EQ(p.source, AnswerSource::answer_tag);
  EXPECT_EQ(p.reasoning, "ethanol has 2 carbons");
}

TEST(AnswerProtocol, LeadingWhitespaceAllowedTrailingTextNot) {
  EXPECT_TRUE(parse_completion("  \n<think>x</think><answer>B</answer>").well_formed);
  auto p = parse_completion("<think>x</think><answer>B</answer> I hope this helps");
  EXPECT_FALSE(p.well_formed);
  EXPECT_EQ(p.format_reason, "text after </answer>");
  EXPECT_EQ(*p.final_answer, "B");  // the answer still counts for `correct`
}

TEST(AnswerProtocol, CountsAndOrderOfTags) {
  EXPECT_EQ(parse_completion("<answer>A</answer>").format_reason,
            "expected one <think> block, found 0 <think> tags and 0 </think> tags");
  auto two = parse_completion("<think>a</think><answer>A</answer><answer>B</answer>");
  EXPECT_FALSE(two.well_formed);
  EXPECT_EQ(*two.final_answer, "B");  // the last answer block
  EXPECT_FALSE(parse_completion("<think>a</think><think>b</think><answer>A</answer>").well_formed);
  EXPECT_EQ(parse_completion("<answer>A</answer><think>a</think>").format_reason,
            "tags out of order: need <think>...</think> then <answer>...</answer>");
  EXPECT_EQ(parse_completion("<think>a</think> so: <answer>A</answer>").format_reason,
            "text between </think> and <answer>");
  EXPECT_EQ(parse_completion("Sure! <think>a</think><answer>A</answer>").format_reason, "text before <think>");
}

TEST(AnswerProtocol, BoxedFallbackWithNestedBraces) {
  auto p = parse_completion("The value is \\boxed{1} or rather \\boxed{\\frac{1}{2}}");
  EXPECT_FALSE(p.well_formed);
  ASSERT_TRUE(p.final_answer);
  EXPECT_EQ(*p.final_answer, "\\frac{1}{2}");
  EXPECT_EQ(p.source, AnswerSource::boxed);
  EXPECT_EQ(*last_boxed("\\boxed {x{y}z}"), "x{y}z");
  EXPECT_FALSE(last_boxed("\\boxed{unclosed"));
  // An unbalanced last box falls back to the previous balanced one.
  EXPECT_EQ(*last_boxed("\\boxed{A} then \\boxed{B"), "A");
}

TEST(AnswerProtocol, BoxedInsideAnswerIsUnwrapped) {
  auto p = parse_completion("<think>t</think><answer>\\boxed{C}</answer>");
  EXPECT_TRUE(p.well_formed);
  EXPECT_EQ(*p.final_answer, "C");
}

TEST(AnswerProtocol, NoAnswerAtAll) {
  auto p = parse_completion("<think>I am not sure</think>");
  EXPECT_FALSE(p.final_answer);
  EXPECT_EQ(p.source, AnswerSource::none);
  // An unclosed answer block is not an answer.
  EXPECT_FALSE(parse_completion("<think>t</think><answer>CCO").final_answer);
  EXPECT_FALSE(parse_completion("").final_answer);
}

TEST(AnswerProtocol, ReasoningWithoutThinkIsTextBeforeAnswer) {
  auto p = parse_completion("logP is 1.2 so it is soluble <answer>yes</answer>");
  EXPECT_EQ(p.reasoning, "logP is 1.2 so it is soluble ");
}
