// Deadline: the moment a tool call must be answered by, on std::chrono::steady_clock (immune to wall-clock
// jumps). The registry enforces it from outside (a call that overruns returns a timeout error); tools
// that loop or run subprocesses also read remaining() to stop early.
#pragma once
#include <algorithm>
#include <chrono>

namespace retort::tools {

class Deadline {
 public:
  using Clock = std::chrono::steady_clock;

  // A deadline DURATION from now.
  static Deadline after(std::chrono::milliseconds duration) { return Deadline(Clock::now() + duration); }
  // No deadline: the call runs to completion on the caller's thread.
  static Deadline never() { return Deadline(Clock::time_point::max()); }

  explicit Deadline(Clock::time_point at) : at_(at) {}

  Clock::time_point at() const { return at_; }
  bool is_never() const { return at_ == Clock::time_point::max(); }
  bool expired() const { return !is_never() && Clock::now() >= at_; }
  // Time left, 0 once expired; a very large value for never().
  std::chrono::milliseconds remaining() const {
    if (is_never()) return std::chrono::milliseconds::max();
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(at_ - Clock::now());
    return std::max(left, std::chrono::milliseconds(0));
  }

 private:
  Clock::time_point at_;
};

}  // namespace retort::tools
