// Evaluation metrics against hand-checked values.
#include <gtest/gtest.h>

#include <cmath>

#include "core/eval_metrics.h"

TEST(EvalMetrics, RocAucHandChecked) {
  // Positives {0.8, 0.4}, negatives {0.6, 0.2}: pairs (0.8>0.6, 0.8>0.2, 0.4<0.6, 0.4>0.2) -> 3/4.
  EXPECT_DOUBLE_EQ(*retort::roc_auc({0.8, 0.6, 0.4, 0.2}, {1, 0, 1, 0}), 0.75);
  // A tie between a positive and a negative counts half: {0.5+, 0.5-, 0.1-} -> (0.5 + 1) / 2.
  EXPECT_DOUBLE_EQ(*retort::roc_auc({0.5, 0.5, 0.1}, {1, 0, 0}), 0.75);
  EXPECT_FALSE(retort::roc_auc({0.1, 0.2}, {1, 1}).has_value());
}

TEST(EvalMetrics, Rmse) {
  EXPECT_DOUBLE_EQ(retort::rmse({1, 2, 3}, {1, 2, 5}), std::sqrt(4.0 / 3.0));
  EXPECT_THROW(retort::rmse({}, {}), std::invalid_argument);
}

TEST(EvalMetrics, PassAtK) {
  EXPECT_DOUBLE_EQ(retort::pass_at_k(10, 0, 1), 0.0);
  EXPECT_NEAR(retort::pass_at_k(10, 3, 1), 0.3, 1e-12);
  // n=5, c=2, k=2: 1 - C(3,2)/C(5,2) = 1 - 3/10.
  EXPECT_NEAR(retort::pass_at_k(5, 2, 2), 0.7, 1e-12);
  EXPECT_DOUBLE_EQ(retort::pass_at_k(4, 3, 2), 1.0);
}
