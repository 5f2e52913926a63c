// Per-step metrics of a run: one JSON object per line in metrics.jsonl and the same scalars in a
// TensorBoard event file. Flushed every step so a crash loses nothing written.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "core/tfevents.h"

namespace retort {

class MetricsWriter {
 public:
  // Appends to RUN_DIR/metrics.jsonl (a resumed run continues the same file).
  explicit MetricsWriter(const std::string& run_dir, bool tensorboard = true);
  ~MetricsWriter();
  void write(int64_t step, const std::map<std::string, double>& scalars);

 private:
  std::string path_;
  std::FILE* jsonl_ = nullptr;
  std::unique_ptr<TfEventsWriter> events_;
};

}  // namespace retort
