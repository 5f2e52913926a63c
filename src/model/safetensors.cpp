// safetensors parsing, validation, memory mapping and writing (torch-free; see safetensors.h).
#include "model/safetensors.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <limits>
#include <set>

#include <nlohmann/json.hpp>

#include "core/errors.h"

namespace retort::model::safetensors {
namespace {

struct DTypeEntry {
  DType dtype;
  const char* name;
  size_t size;
};
constexpr DTypeEntry kDTypes[] = {
    {DType::BOOL, "BOOL", 1}, {DType::U8, "U8", 1},     {DType::I8, "I8", 1},
    {DType::U16, "U16", 2},   {DType::I16, "I16", 2},   {DType::F16, "F16", 2},
    {DType::BF16, "BF16", 2}, {DType::U32, "U32", 4},   {DType::I32, "I32", 4},
    {DType::F32, "F32", 4},   {DType::U64, "U64", 8},   {DType::I64, "I64", 8},
    {DType::F64, "F64", 8},   {DType::F8_E4M3, "F8_E4M3", 1}, {DType::F8_E5M2, "F8_E5M2", 1},
};

[[noreturn]] void fail(const std::string& source, const std::string& problem) {
  throw DataError(source + ": " + problem);
}
[[noreturn]] void fail_tensor(const std::string& source, const std::string& name, const std::string& problem) {
  throw DataError(source + ": tensor '" + name + "': " + problem);
}

uint64_t read_u64_le(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

// A JSON value that must be a non-negative integer fitting in uint64.
bool as_u64(const nlohmann::json& v, uint64_t& out) {
  if (v.is_number_unsigned()) {
    out = v.get<uint64_t>();
    return true;
  }
  if (v.is_number_integer() && v.get<int64_t>() >= 0) {
    out = static_cast<uint64_t>(v.get<int64_t>());
    return true;
  }
  return false;
}

}  // namespace

size_t dtype_size(DType dtype) {
  for (const auto& e : kDTypes)
    if (e.dtype == dtype) return e.size;
  return 0;
}

const char* dtype_name(DType dtype) {
  for (const auto& e : kDTypes)
    if (e.dtype == dtype) return e.name;
  return "?";
}

bool dtype_from_name(const std::string& name, DType& out) {
  for (const auto& e : kDTypes)
    if (name == e.name) {
      out = e.dtype;
      return true;
    }
  return false;
}

int64_t TensorInfo::numel() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

Header parse(std::span<const uint8_t> bytes, const std::string& source) {
  if (bytes.size() < 8) fail(source, "file is " + std::to_string(bytes.size()) + " bytes, shorter than the 8-byte header length");
  const uint64_t header_len = read_u64_le(bytes.data());
  if (header_len > kMaxHeaderBytes)
    fail(source, "header length " + std::to_string(header_len) + " exceeds the limit of " + std::to_string(kMaxHeaderBytes) + " bytes");
  if (header_len > bytes.size() - 8)
    fail(source, "header length " + std::to_string(header_len) + " runs past the end of the file (" +
                     std::to_string(bytes.size()) + " bytes): truncated file");
  if (header_len < 2) fail(source, "header length " + std::to_string(header_len) + " is too small for a JSON object");
  const char* text = reinterpret_cast<const char*>(bytes.data() + 8);
  if (text[0] != '{') fail(source, "header does not start with '{'");

  nlohmann::json root;
  try {
    root = nlohmann::json::parse(text, text + header_len);
  } catch (const nlohmann::json::exception& e) {
    fail(source, std::string("header is not valid JSON: ") + e.what());
  }
  if (!root.is_object()) fail(source, "header is not a JSON object");

  Header header;
  header.data_start = 8 + header_len;
  const uint64_t data_size = bytes.size() - header.data_start;
  for (auto it = root.begin(); it != root.end(); ++it) {
    const std::string& name = it.key();
    const nlohmann::json& entry = it.value();
    if (name == "__metadata__") {
      if (!entry.is_object()) fail(source, "__metadata__ is not an object");
      for (auto m = entry.begin(); m != entry.end(); ++m) {
        if (!m.value().is_string()) fail(source, "__metadata__ '" + m.key() + "' is not a string");
        header.metadata[m.key()] = m.value().get<std::string>();
      }
      continue;
    }
    if (!entry.is_object()) fail_tensor(source, name, "entry is not an object");
    for (auto f = entry.begin(); f != entry.end(); ++f)
      if (f.key() != "dtype" && f.key() != "shape" && f.key() != "data_offsets")
        fail_tensor(source, name, "unknown field '" + f.key() + "'");
    TensorInfo info;
    info.name = name;
    auto dt = entry.find("dtype");
    if (dt == entry.end() || !dt->is_string()) fail_tensor(source, name, "missing or non-string dtype");
    if (!dtype_from_name(dt->get<std::string>(), info.dtype))
      fail_tensor(source, name, "unknown dtype '" + dt->get<std::string>() + "'");
    auto shape = entry.find("shape");
    if (shape == entry.end() || !shape->is_array()) fail_tensor(source, name, "missing or non-array shape");
    if (shape->size() > 64) fail_tensor(source, name, "shape has " + std::to_string(shape->size()) + " dimensions");
    uint64_t numel = 1;
    for (const auto& d : *shape) {
      uint64_t dim = 0;
      if (!as_u64(d, dim) || dim > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
        fail_tensor(source, name, "shape entry " + d.dump() + " is not a non-negative integer");
      if (dim != 0 && numel > std::numeric_limits<uint64_t>::max() / dim)
        fail_tensor(source, name, "shape " + shape->dump() + " overflows");
      numel *= dim;
      info.shape.push_back(static_cast<int64_t>(dim));
    }
    const uint64_t elem = dtype_size(info.dtype);
    if (numel > std::numeric_limits<uint64_t>::max() / elem) fail_tensor(source, name, "shape " + shape->dump() + " overflows");
    auto offsets = entry.find("data_offsets");
    if (offsets == entry.end() || !offsets->is_array() || offsets->size() != 2)
      fail_tensor(source, name, "data_offsets must be [begin, end]");
    if (!as_u64((*offsets)[0], info.begin) || !as_u64((*offsets)[1], info.end))
      fail_tensor(source, name, "data_offsets " + offsets->dump() + " are not non-negative integers");
    if (info.begin > info.end) fail_tensor(source, name, "data_offsets " + offsets->dump() + ": begin after end");
    if (info.end > data_size)
      fail_tensor(source, name, "data_offsets " + offsets->dump() + " run past the data section (" +
                                    std::to_string(data_size) + " bytes): truncated file or bad offset");
    if (info.end - info.begin != numel * elem)
      fail_tensor(source, name, "holds " + std::to_string(info.end - info.begin) + " bytes but dtype " +
                                    dtype_name(info.dtype) + " shape " + shape->dump() + " needs " +
                                    std::to_string(numel * elem));
    header.tensors.push_back(std::move(info));
  }
  std::sort(header.tensors.begin(), header.tensors.end(), [](const TensorInfo& a, const TensorInfo& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  uint64_t cursor = 0;
  for (const auto& t : header.tensors) {
    if (t.begin < cursor) fail_tensor(source, t.name, "data range [" + std::to_string(t.begin) + ", " + std::to_string(t.end) + ") overlaps the previous tensor");
    if (t.begin > cursor) fail_tensor(source, t.name, "data range starts at " + std::to_string(t.begin) + ", leaving a hole after byte " + std::to_string(cursor));
    cursor = t.end;
  }
  if (cursor != data_size)
    fail(source, "data section has " + std::to_string(data_size) + " bytes but the tensors cover " + std::to_string(cursor));
  return header;
}

std::shared_ptr<File> File::open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw IoError(path + ": cannot open: " + std::strerror(errno));
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw IoError(path + ": not a regular file");
  }
  std::shared_ptr<File> file(new File());
  file->path_ = path;
  file->size_ = static_cast<size_t>(st.st_size);
  if (file->size_ > 0) {
    void* p = mmap(nullptr, file->size_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
      ::close(fd);
      throw IoError(path + ": mmap failed: " + std::strerror(errno));
    }
    file->map_ = static_cast<const uint8_t*>(p);
  }
  ::close(fd);
  file->header_ = parse(std::span<const uint8_t>(file->map_, file->size_), path);
  for (size_t i = 0; i < file->header_.tensors.size(); ++i) file->index_[file->header_.tensors[i].name] = i;
  return file;
}

File::~File() {
  if (map_) munmap(const_cast<uint8_t*>(map_), size_);
}

const TensorInfo* File::find(const std::string& name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &header_.tensors[it->second];
}

std::span<const uint8_t> File::bytes(const TensorInfo& info) const {
  return std::span<const uint8_t>(map_ + header_.data_start + info.begin, info.end - info.begin);
}

namespace {

// The padded header (with its 8-byte length prefix) for TENSORS laid out in order.
std::string header_block(const std::vector<TensorBytes>& tensors, const std::map<std::string, std::string>& metadata) {
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  std::set<std::string> names;
  uint64_t offset = 0;
  for (const auto& t : tensors) {
    if (t.name == "__metadata__" || !names.insert(t.name).second)
      throw DataError("safetensors write: duplicate or reserved tensor name '" + t.name + "'");
    uint64_t numel = 1;
    for (int64_t d : t.shape) {
      if (d < 0) throw DataError("safetensors write: tensor '" + t.name + "': negative dimension");
      numel *= static_cast<uint64_t>(d);
    }
    if (numel * dtype_size(t.dtype) != t.bytes.size())
      throw DataError("safetensors write: tensor '" + t.name + "': " + std::to_string(t.bytes.size()) +
                      " bytes given, shape needs " + std::to_string(numel * dtype_size(t.dtype)));
    header[t.name] = {{"dtype", dtype_name(t.dtype)}, {"shape", t.shape}, {"data_offsets", {offset, offset + t.bytes.size()}}};
    offset += t.bytes.size();
  }
  std::string text = header.dump();
  while (text.size() % 8 != 0) text.push_back(' ');
  std::string block(8, '\0');
  uint64_t n = text.size();
  for (int i = 0; i < 8; ++i) block[i] = static_cast<char>(n >> (8 * i));
  return block + text;
}

}  // namespace

std::vector<uint8_t> serialize(const std::vector<TensorBytes>& tensors, const std::map<std::string, std::string>& metadata) {
  std::string head = header_block(tensors, metadata);
  std::vector<uint8_t> out(head.begin(), head.end());
  for (const auto& t : tensors) out.insert(out.end(), t.bytes.begin(), t.bytes.end());
  return out;
}

void write_file(const std::string& path, const std::vector<TensorBytes>& tensors, const std::map<std::string, std::string>& metadata) {
  std::string head = header_block(tensors, metadata);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw IoError(path + ": cannot open for writing");
  out.write(head.data(), static_cast<std::streamsize>(head.size()));
  for (const auto& t : tensors)
    out.write(reinterpret_cast<const char*>(t.bytes.data()), static_cast<std::streamsize>(t.bytes.size()));
  out.flush();
  if (!out) {
    const int err = errno;  // set by the failed write(2), e.g. ENOSPC: the reason a user can act on
    throw IoError(path + ": write failed" + (err != 0 ? std::string(": ") + std::strerror(err) : std::string()));
  }
}

}  // namespace retort::model::safetensors
