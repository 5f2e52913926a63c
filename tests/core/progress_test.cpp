// Progress bar text: counts, bar, percentage, rate and ETA.
#include <gtest/gtest.h>

#include "core/progress.h"

TEST(Progress, KnownTotal) {
  // 25 of 100 after 5 s: 5 it/s, 75 left -> 15 s.
  EXPECT_EQ(retort::format_progress("train", 25, 100, 5.0, 10),
            "train 25/100 [==>       ]  25% 5.0 it/s ETA 0:15");
}

TEST(Progress, SlowRateAndSuffix) {
  EXPECT_EQ(retort::format_progress("rl", 1, 4, 8.0, 4, "reward=0.50"),
            "rl 1/4 [=>  ]  25% 8.0 s/it ETA 0:24 reward=0.50");
}

TEST(Progress, CompleteAndUnknownTotal) {
  EXPECT_EQ(retort::format_progress("x", 10, 10, 2.0, 4), "x 10/10 [====] 100% 5.0 it/s ETA 0:00");
  EXPECT_EQ(retort::format_progress("oracle", 7, 0, 3725.0), "oracle 7 532.1 s/it 1:02:05");
}

TEST(Progress, Durations) {
  EXPECT_EQ(retort::format_duration(59.4), "0:59");
  EXPECT_EQ(retort::format_duration(3600), "1:00:00");
  EXPECT_EQ(retort::format_duration(-1), "?");
}
