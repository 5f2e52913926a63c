// ProgressBar: redraws at most 10 times a second on a TTY.
#include "core/progress.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace retort {

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  long s = std::lround(seconds);
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

std::string format_progress(const std::string& label, int64_t done, int64_t total,
                            double elapsed_seconds, int width, const std::string& suffix) {
  double rate = elapsed_seconds > 0 ? done / elapsed_seconds : 0.0;
  char rate_text[32];
  if (rate >= 1.0 || rate == 0.0)
    std::snprintf(rate_text, sizeof rate_text, "%.1f it/s", rate);
  else
    std::snprintf(rate_text, sizeof rate_text, "%.1f s/it", 1.0 / rate);
  std::string out = label + " " + std::to_string(done);
  if (total > 0) {
    double frac = std::min(1.0, static_cast<double>(done) / total);
    int filled = static_cast<int>(frac * width);
    std::string bar(width, ' ');
    for (int i = 0; i < filled; ++i) bar[i] = '=';
    if (filled < width) bar[filled] = '>';
    char pct[8];
    std::snprintf(pct, sizeof pct, "%3d%%", static_cast<int>(frac * 100));
    double eta = rate > 0 ? (total - done) / rate : -1;
    out += "/" + std::to_string(total) + " [" + bar + "] " + pct + " " + rate_text + " ETA " +
           format_duration(eta);
  } else {
    out += std::string(" ") + rate_text + " " + format_duration(elapsed_seconds);
  }
  if (!suffix.empty()) out += " " + suffix;
  return out;
}

ProgressBar::ProgressBar(std::string label, int64_t total)
    : label_(std::move(label)), total_(total), enabled_(isatty(STDOUT_FILENO) == 1) {
  start_ = last_draw_ = std::chrono::steady_clock::now();
}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::update(int64_t done, const std::string& suffix) {
  done_ = done;
  if (!enabled_ || finished_) return;
  auto now = std::chrono::steady_clock::now();
  bool last = total_ > 0 && done_ >= total_;
  if (!last && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  double elapsed = std::chrono::duration<double>(now - start_).count();
  std::printf("\r\033[K%s", format_progress(label_, done_, total_, elapsed, 30, suffix).c_str());
  std::fflush(stdout);
}

void ProgressBar::finish() {
  if (finished_) return;
  finished_ = true;
  if (enabled_) {
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    std::printf("\r\033[K%s\n", format_progress(label_, done_, total_, elapsed).c_str());
    std::fflush(stdout);
  }
}

}  // namespace retort
