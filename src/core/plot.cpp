// write_line_plot: axes with "nice" ticks, one coloured polyline per series, a legend.
#include "core/plot.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/errors.h"

namespace retort {
namespace {

const cv::Scalar kColours[] = {{180, 119, 31}, {14, 127, 255}, {44, 160, 44}, {40, 39, 214},
                               {189, 103, 148}, {75, 86, 140}};  // tab10, BGR

// Ticks at 1/2/5 x 10^k covering [lo, hi].
std::vector<double> nice_ticks(double lo, double hi, int target = 5) {
  double span = hi - lo;
  double raw = span / target, mag = std::pow(10, std::floor(std::log10(raw)));
  double step = mag * (raw / mag < 1.5 ? 1 : raw / mag < 3.5 ? 2 : raw / mag < 7.5 ? 5 : 10);
  std::vector<double> ticks;
  for (double t = std::ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push_back(t);
  return ticks;
}

std::string tick_text(double v) {
  char buf[32];
  if (v != 0 && (std::fabs(v) < 1e-3 || std::fabs(v) >= 1e5))
    std::snprintf(buf, sizeof buf, "%.1e", v);
  else
    std::snprintf(buf, sizeof buf, "%g", std::fabs(v) < 1e-12 ? 0.0 : v);
  return buf;
}

}  // namespace

void write_line_plot(const std::string& path, const std::string& title, const std::vector<Series>& series,
                     const std::string& x_label, int width, int height) {
  double x0 = std::numeric_limits<double>::infinity(), x1 = -x0, y0 = x0, y1 = -x0;
  for (const auto& s : series)
    for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!std::isfinite(s.y[i])) continue;
      x0 = std::min(x0, s.x[i]), x1 = std::max(x1, s.x[i]);
      y0 = std::min(y0, s.y[i]), y1 = std::max(y1, s.y[i]);
    }
  if (!std::isfinite(x0)) x0 = 0, x1 = 1, y0 = 0, y1 = 1;
  if (x1 == x0) x1 = x0 + 1;
  if (y1 == y0) y0 -= 0.5, y1 += 0.5;
  double pad = (y1 - y0) * 0.05;
  y0 -= pad, y1 += pad;

  cv::Mat img(height, width, CV_8UC3, cv::Scalar(255, 255, 255));
  const int left = 70, right = 20, top = 36, bottom = 50;
  auto px = [&](double x) { return left + (x - x0) / (x1 - x0) * (width - left - right); };
  auto py = [&](double y) { return height - bottom - (y - y0) / (y1 - y0) * (height - top - bottom); };
  const auto font = cv::FONT_HERSHEY_SIMPLEX;
  cv::rectangle(img, {left, top}, {width - right, height - bottom}, {0, 0, 0}, 1);
  for (double t : nice_ticks(y0, y1)) {
    int y = static_cast<int>(py(t));
    cv::line(img, {left, y}, {width - right, y}, {225, 225, 225}, 1);
    cv::putText(img, tick_text(t), {4, y + 4}, font, 0.4, {60, 60, 60}, 1, cv::LINE_AA);
  }
  for (double t : nice_ticks(x0, x1)) {
    int x = static_cast<int>(px(t));
    cv::line(img, {x, height - bottom}, {x, height - bottom + 4}, {0, 0, 0}, 1);
    cv::putText(img, tick_text(t), {x - 10, height - bottom + 18}, font, 0.4, {60, 60, 60}, 1, cv::LINE_AA);
  }
  cv::putText(img, x_label, {width / 2 - 20, height - 10}, font, 0.45, {0, 0, 0}, 1, cv::LINE_AA);
  cv::putText(img, title, {left, 24}, font, 0.6, {0, 0, 0}, 1, cv::LINE_AA);
  for (size_t k = 0; k < series.size(); ++k) {
    const auto& s = series[k];
    cv::Scalar colour = kColours[k % std::size(kColours)];
    std::vector<cv::Point> run;
    auto flush = [&] {
      if (run.size() == 1) cv::circle(img, run[0], 2, colour, cv::FILLED, cv::LINE_AA);
      if (run.size() > 1) cv::polylines(img, run, false, colour, 2, cv::LINE_AA);
      run.clear();
    };
    for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!std::isfinite(s.y[i])) {
        flush();
        continue;
      }
      run.emplace_back(static_cast<int>(px(s.x[i])), static_cast<int>(py(s.y[i])));
    }
    flush();
    int ly = top + 16 + 16 * static_cast<int>(k);
    cv::line(img, {width - right - 150, ly - 4}, {width - right - 130, ly - 4}, colour, 2);
    cv::putText(img, s.name, {width - right - 125, ly}, font, 0.4, {0, 0, 0}, 1, cv::LINE_AA);
  }
  if (!cv::imwrite(path, img)) throw IoError(path + ": cannot write PNG");
}

std::vector<std::string> plot_run_metrics(const std::string& run_dir) {
  std::ifstream in(run_dir + "/metrics.jsonl");
  if (!in) throw IoError(run_dir + "/metrics.jsonl: cannot open");
  std::map<std::string, Series> by_name;
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.contains("step")) continue;  // a torn last line after a crash
    double step = j["step"].get<double>();
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.key() == "step" || !(it->is_number() || it->is_null())) continue;
      auto& s = by_name[it.key()];
      s.name = it.key();
      s.x.push_back(step);
      s.y.push_back(it->is_null() ? std::nan("") : it->get<double>());
    }
  }
  // One figure per theme: every metric whose name contains the theme word.
  const std::vector<std::pair<std::string, std::vector<std::string>>> themes = {
      {"reward", {"reward"}}, {"accuracy", {"accuracy", "correct", "format"}},
      {"length", {"length", "clipped"}}, {"kl", {"kl", "entropy"}}, {"loss", {"loss", "grad_norm"}},
      {"tools", {"tools/"}}};
  std::filesystem::create_directories(run_dir + "/plots");
  std::vector<std::string> written;
  for (const auto& [file, words] : themes) {
    std::vector<Series> chosen;
    for (const auto& [name, s] : by_name)
      for (const auto& w : words)
        if (name.find(w) != std::string::npos) {
          chosen.push_back(s);
          break;
        }
    if (chosen.empty()) continue;
    if (chosen.size() > 6) chosen.resize(6);
    std::string path = run_dir + "/plots/" + file + ".png";
    write_line_plot(path, file, chosen);
    written.push_back(path);
  }
  return written;
}

}  // namespace retort
