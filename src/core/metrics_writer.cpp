// MetricsWriter: metrics.jsonl + tfevents, written together.
#include "core/metrics_writer.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/errors.h"

namespace retort {

MetricsWriter::MetricsWriter(const std::string& run_dir, bool tensorboard) {
  std::filesystem::create_directories(run_dir);
  path_ = run_dir + "/metrics.jsonl";
  jsonl_ = std::fopen(path_.c_str(), "a");
  if (!jsonl_) throw IoError(path_ + ": cannot open for append: " + std::strerror(errno));
  if (tensorboard) events_ = std::make_unique<TfEventsWriter>(run_dir);
}

MetricsWriter::~MetricsWriter() {
  if (jsonl_) std::fclose(jsonl_);
}

void MetricsWriter::write(int64_t step, const std::map<std::string, double>& scalars) {
  nlohmann::ordered_json line;
  line["step"] = step;
  for (const auto& [name, value] : scalars) {
    // JSON has no NaN/Inf: write null so the line stays valid and the gap is visible.
    line[name] = std::isfinite(value) ? nlohmann::ordered_json(value) : nlohmann::ordered_json();
    if (events_) events_->add_scalar(name, static_cast<float>(value), step);
  }
  std::string text = line.dump() + "\n";
  if (std::fwrite(text.data(), 1, text.size(), jsonl_) != text.size())
    throw IoError(path_ + ": write failed: " + std::strerror(errno));
  std::fflush(jsonl_);
  if (events_) events_->flush();
}

}  // namespace retort
