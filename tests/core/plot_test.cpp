// Plots: a PNG of the right size whose series pixels land where the data says.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <opencv2/imgcodecs.hpp>

#include "core/metrics_writer.h"
#include "core/plot.h"

TEST(Plot, WritesPngWithSeriesColour) {
  auto path = (std::filesystem::temp_directory_path() / "retort_plot_test.png").string();
  retort::write_line_plot(path, "t", {{"a", {0, 1, 2}, {0, 1, 2}}}, "step", 320, 200);
  cv::Mat img = cv::imread(path);
  ASSERT_EQ(img.cols, 320);
  ASSERT_EQ(img.rows, 200);
  // The first series is drawn in tab:blue (BGR 180,119,31); the data's midpoint (1,1) maps to the
  // centre of the plot area: x = 70 + 0.5*(320-90) = 185, y = 200-50 - 0.5*(200-86) = 93.
  cv::Vec3b centre = img.at<cv::Vec3b>(93, 185);
  EXPECT_GT(centre[0], 120);
  EXPECT_LT(centre[2], 120);
  std::filesystem::remove(path);
}

TEST(Plot, RunMetricsGroupsByTheme) {
  auto dir = std::filesystem::temp_directory_path() / "retort_plot_run";
  std::filesystem::remove_all(dir);
  {
    retort::MetricsWriter w(dir.string(), /*tensorboard=*/false);
    for (int s = 1; s <= 5; ++s) w.write(s, {{"reward/mean", 0.1 * s}, {"kl", 0.01 * s}});
  }
  std::ofstream(dir / "metrics.jsonl", std::ios::app) << "{\"step\": 6, \"rew";  // torn last line
  auto files = retort::plot_run_metrics(dir.string());
  ASSERT_EQ(files.size(), 2u);
  EXPECT_TRUE(std::filesystem::exists(dir / "plots" / "reward.png"));
  EXPECT_TRUE(std::filesystem::exists(dir / "plots" / "kl.png"));
  std::filesystem::remove_all(dir);
}
