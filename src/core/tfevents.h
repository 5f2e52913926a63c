// TensorBoard event files written natively: Event protos (hand-encoded, only the fields scalars need)
// in TFRecord framing (uint64 length, masked CRC32C of the length, data, masked CRC32C of the data).
#pragma once
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace retort {

// CRC-32C (Castagnoli) and TFRecord's masking of it.
uint32_t crc32c(const void* data, size_t size);
uint32_t masked_crc32c(const void* data, size_t size);

// The serialised tensorflow.Event for one scalar, and the file-version header event.
std::string encode_scalar_event(double wall_time, int64_t step, const std::string& tag, float value);
std::string encode_file_version_event(double wall_time);
// One TFRecord: framing around DATA.
std::string frame_record(const std::string& data);

class TfEventsWriter {
 public:
  // Creates DIR/events.out.tfevents.<unix time>.<host> and writes the version header.
  explicit TfEventsWriter(const std::string& dir);
  ~TfEventsWriter();
  TfEventsWriter(const TfEventsWriter&) = delete;
  TfEventsWriter& operator=(const TfEventsWriter&) = delete;
  void add_scalar(const std::string& tag, float value, int64_t step);
  void flush();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
};

}  // namespace retort
