// TfEventsWriter: a protobuf encoder for the three Event fields scalars use (wall_time=1, step=2,
// file_version=3 / summary=5 -> value=1 -> {tag=1, simple_value=2}); no protobuf dependency needed.
#include "core/tfevents.h"

#include <unistd.h>

#include <boost/crc.hpp>
#include <chrono>
#include <cstring>

#include "core/errors.h"

namespace retort {
namespace {

void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void put_tag(std::string& out, int field, int wire_type) { put_varint(out, (field << 3) | wire_type); }

template <typename T>
void put_fixed(std::string& out, T v) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &v, sizeof(T));  // little-endian host, as protobuf's fixed encodings
  out.append(bytes, sizeof(T));
}

void put_bytes(std::string& out, int field, const std::string& bytes) {
  put_tag(out, field, 2);
  put_varint(out, bytes.size());
  out += bytes;
}

double now_seconds() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

uint32_t crc32c(const void* data, size_t size) {
  boost::crc_optimal<32, 0x1EDC6F41, 0xFFFFFFFF, 0xFFFFFFFF, true, true> crc;
  crc.process_bytes(data, size);
  return crc.checksum();
}

uint32_t masked_crc32c(const void* data, size_t size) {
  uint32_t crc = crc32c(data, size);
  return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
}

std::string encode_scalar_event(double wall_time, int64_t step, const std::string& tag, float value) {
  std::string v;
  put_bytes(v, 1, tag);
  put_tag(v, 2, 5);
  put_fixed(v, value);
  std::string summary;
  put_bytes(summary, 1, v);
  std::string event;
  put_tag(event, 1, 1);
  put_fixed(event, wall_time);
  put_tag(event, 2, 0);
  put_varint(event, static_cast<uint64_t>(step));
  put_bytes(event, 5, summary);
  return event;
}

std::string encode_file_version_event(double wall_time) {
  std::string event;
  put_tag(event, 1, 1);
  put_fixed(event, wall_time);
  put_bytes(event, 3, "brain.Event:2");
  return event;
}

std::string frame_record(const std::string& data) {
  std::string out;
  uint64_t length = data.size();
  put_fixed(out, length);
  put_fixed(out, masked_crc32c(&length, sizeof length));
  out += data;
  put_fixed(out, masked_crc32c(data.data(), data.size()));
  return out;
}

TfEventsWriter::TfEventsWriter(const std::string& dir) {
  char host[256] = "localhost";
  gethostname(host, sizeof host - 1);
  path_ = dir + "/events.out.tfevents." + std::to_string(static_cast<long long>(now_seconds())) + "." + host;
  file_ = std::fopen(path_.c_str(), "ab");
  if (!file_) throw IoError(path_ + ": cannot create TensorBoard event file: " + std::strerror(errno));
  std::string rec = frame_record(encode_file_version_event(now_seconds()));
  std::fwrite(rec.data(), 1, rec.size(), file_);
  flush();
}

TfEventsWriter::~TfEventsWriter() {
  if (file_) std::fclose(file_);
}

void TfEventsWriter::add_scalar(const std::string& tag, float value, int64_t step) {
  std::string rec = frame_record(encode_scalar_event(now_seconds(), step, tag, value));
  if (std::fwrite(rec.data(), 1, rec.size(), file_) != rec.size())
    throw IoError(path_ + ": write failed: " + std::strerror(errno));
}

void TfEventsWriter::flush() { std::fflush(file_); }

}  // namespace retort
