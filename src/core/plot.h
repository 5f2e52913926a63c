// Line charts as PNG (OpenCV drawing): training curves for runs/NAME/plots/*.png, where people would
// rather look than read metrics.jsonl.
#pragma once
#include <string>
#include <vector>

namespace retort {

struct Series {
  std::string name;
  std::vector<double> x, y;  // NaN y values are gaps
};

void write_line_plot(const std::string& path, const std::string& title, const std::vector<Series>& series,
                     const std::string& x_label = "step", int width = 640, int height = 400);

// Reads RUN_DIR/metrics.jsonl and writes one plot per group of metric names that are present
// (reward, accuracy, length, kl, loss, ...) into RUN_DIR/plots/. Returns the files written.
std::vector<std::string> plot_run_metrics(const std::string& run_dir);

}  // namespace retort
