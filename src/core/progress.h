// A terminal progress bar: "label  37/120 [=====>     ] 31% 4.2 it/s ETA 0:20". Silent when stdout
// is not a terminal (logs and CI stay clean).
#pragma once
#include <chrono>
#include <cstdint>
#include <string>

namespace retort {

// The bar's text for DONE of TOTAL after ELAPSED seconds (TOTAL 0 = unknown), WIDTH columns of bar.
std::string format_progress(const std::string& label, int64_t done, int64_t total,
                            double elapsed_seconds, int width = 30, const std::string& suffix = "");
// "1:02:03" or "2:03".
std::string format_duration(double seconds);

class ProgressBar {
 public:
  ProgressBar(std::string label, int64_t total);
  ~ProgressBar();
  void update(int64_t done, const std::string& suffix = "");
  void advance(int64_t by = 1, const std::string& suffix = "") { update(done_ + by, suffix); }
  void finish();
  bool enabled() const { return enabled_; }

 private:
  std::string label_;
  int64_t total_;
  int64_t done_ = 0;
  bool enabled_;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace retort
