// safetensors, byte level and torch-free: parse and validate a file (8-byte little-endian header
// length, JSON header, raw data), read tensors as byte spans from a memory map, and write files.
// Every offset, dtype and shape is checked; a truncated or hostile file throws retort::DataError
// "FILE: tensor 'NAME': PROBLEM", never an out-of-bounds read. safetensors_tensor.h adapts to at::Tensor.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace retort::model::safetensors {

// The dtypes of the safetensors spec (names as written in the header).
enum class DType { BOOL, U8, I8, U16, I16, F16, BF16, U32, I32, F32, U64, I64, F64, F8_E4M3, F8_E5M2 };

// Bytes per element; the header name ("BF16") and its inverse (false when unknown).
size_t dtype_size(DType dtype);
const char* dtype_name(DType dtype);
bool dtype_from_name(const std::string& name, DType& out);

// Largest header accepted (the reference implementation's limit).
inline constexpr uint64_t kMaxHeaderBytes = 100u * 1024 * 1024;

struct TensorInfo {
  std::string name;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  uint64_t begin = 0, end = 0;  // byte offsets into the data section, [begin, end)
  int64_t numel() const;
};

// A parsed header: tensors sorted by data offset, the metadata strings, and where data starts.
struct Header {
  std::vector<TensorInfo> tensors;
  std::map<std::string, std::string> metadata;
  uint64_t data_start = 0;  // 8 + header length
};

// Validates FILE_BYTES (a whole file) and returns its header. SOURCE names the file in errors.
// Checks: header length within limits and the file; JSON object; each entry's dtype, shape
// (non-negative, no overflow), offsets (begin <= end <= data size, size == numel * dtype size);
// the sorted ranges tile the data section exactly (no overlap, no hole, nothing trailing).
Header parse(std::span<const uint8_t> file_bytes, const std::string& source);

// A read-only memory-mapped safetensors file.
class File {
 public:
  static std::shared_ptr<File> open(const std::string& path);
  ~File();
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  const std::string& path() const { return path_; }
  const Header& header() const { return header_; }
  // nullptr when absent.
  const TensorInfo* find(const std::string& name) const;
  // The tensor's raw little-endian bytes (inside the map; valid while this File lives).
  std::span<const uint8_t> bytes(const TensorInfo& info) const;

 private:
  File() = default;
  std::string path_;
  const uint8_t* map_ = nullptr;
  size_t size_ = 0;
  Header header_;
  std::map<std::string, size_t> index_;
};

// One tensor to write: BYTES must hold numel(shape) * dtype_size(dtype) bytes.
struct TensorBytes {
  std::string name;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  std::span<const uint8_t> bytes;
};

// The whole file as bytes (header padded with spaces to a multiple of 8, as the reference does).
// Throws DataError on a size mismatch or a duplicate name.
std::vector<uint8_t> serialize(const std::vector<TensorBytes>& tensors,
                               const std::map<std::string, std::string>& metadata = {});
// serialize() written to PATH (IoError when it cannot be written).
void write_file(const std::string& path, const std::vector<TensorBytes>& tensors,
                const std::map<std::string, std::string>& metadata = {});

}  // namespace retort::model::safetensors
