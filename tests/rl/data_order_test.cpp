// epoch_order: a seeded permutation per epoch; label balancing repeats the minority yes/no answers.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "rl/data_order.h"

namespace {

std::vector<retort::Example> examples(int yes, int no, int numeric) {
  std::vector<retort::Example> out;
  for (int i = 0; i < yes; ++i) out.emplace_back().answer = true;
  for (int i = 0; i < no; ++i) out.emplace_back().answer = false;
  for (int i = 0; i < numeric; ++i) out.emplace_back().answer = 1.5;
  return out;
}

}  // namespace

TEST(DataOrder, PlainOrderIsASeededPermutation) {
  auto train = examples(7, 3, 2);
  auto a = retort::rl::epoch_order(train, 5, 0, false);
  auto sorted = a;
  std::sort(sorted.begin(), sorted.end());
  for (size_t i = 0; i < sorted.size(); ++i) EXPECT_EQ(sorted[i], i);
  EXPECT_EQ(a, retort::rl::epoch_order(train, 5, 0, false));  // same (seed, epoch): same order
  EXPECT_NE(a, retort::rl::epoch_order(train, 5, 1, false));
}

TEST(DataOrder, BalancingRepeatsTheMinorityAnswerUntilCountsAreEqual) {
  auto train = examples(10, 3, 2);  // 10 yes, 3 no -> 10 + 10 + the 2 numeric ones
  auto order = retort::rl::epoch_order(train, 0, 0, true);
  ASSERT_EQ(order.size(), 22u);
  std::map<size_t, int> visits;
  int yes = 0, no = 0, other = 0;
  for (size_t i : order) {
    ++visits[i];
    if (!train[i].answer.is_boolean()) ++other;
    else (train[i].answer.get<bool>() ? yes : no) += 1;
  }
  EXPECT_EQ(yes, 10);
  EXPECT_EQ(no, 10);
  EXPECT_EQ(other, 2);
  for (size_t i = 0; i < 10; ++i) EXPECT_EQ(visits[i], 1);  // the majority appears once
  for (size_t i = 10; i < 13; ++i) EXPECT_GE(visits[i], 3);  // 10 = 3 passes of 3 + 1 more
  EXPECT_EQ(visits[10] + visits[11] + visits[12], 10);
  EXPECT_EQ(order, retort::rl::epoch_order(train, 0, 0, true));
}
