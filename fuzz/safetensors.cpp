// Fuzz target: the safetensors reader (src/model/safetensors.h) on whole files as bytes.
// Invariants: parse() returns a header or throws DataError naming the source on one line, nothing
// else; an accepted header's tensors lie inside the file, sorted, tiling the data section exactly,
// each with numel * dtype size bytes; writing the accepted tensors back with serialize() and parsing
// that gives the same names, dtypes, shapes and bytes.
#include <cstring>

#include "core/errors.h"
#include "fuzz/fuzz_input.h"
#include "model/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace st = retort::model::safetensors;
  std::span<const uint8_t> file(data, size);
  st::Header header;
  try {
    header = st::parse(file, "fuzz.safetensors");
  } catch (const retort::DataError& e) {
    FUZZ_CHECK(std::strncmp(e.what(), "fuzz.safetensors", 16) == 0);
    FUZZ_CHECK(std::strchr(e.what(), '\n') == nullptr);
    return 0;
  }
  FUZZ_CHECK(header.data_start >= 8 && header.data_start <= size);
  const uint64_t data_size = size - header.data_start;
  uint64_t expected_begin = 0;
  std::vector<st::TensorBytes> tensors;
  for (const auto& info : header.tensors) {
    FUZZ_CHECK(info.begin == expected_begin);
    FUZZ_CHECK(info.begin <= info.end && info.end <= data_size);
    FUZZ_CHECK(info.numel() >= 0);
    FUZZ_CHECK(info.end - info.begin == static_cast<uint64_t>(info.numel()) * st::dtype_size(info.dtype));
    expected_begin = info.end;
    tensors.push_back({info.name, info.dtype, info.shape,
                       file.subspan(header.data_start + info.begin, info.end - info.begin)});
  }
  FUZZ_CHECK(expected_begin == data_size);

  std::vector<uint8_t> written = st::serialize(tensors, header.metadata);
  st::Header again = st::parse(written, "fuzz-rewritten.safetensors");
  FUZZ_CHECK(again.tensors.size() == header.tensors.size());
  FUZZ_CHECK(again.metadata == header.metadata);
  for (const auto& info : again.tensors) {
    const st::TensorBytes* original = nullptr;
    for (const auto& t : tensors)
      if (t.name == info.name) original = &t;
    FUZZ_CHECK(original != nullptr);
    FUZZ_CHECK(original->dtype == info.dtype && original->shape == info.shape);
    FUZZ_CHECK(info.end - info.begin == original->bytes.size());
    FUZZ_CHECK(original->bytes.empty() ||
               std::memcmp(written.data() + again.data_start + info.begin, original->bytes.data(),
                           original->bytes.size()) == 0);
  }
  return 0;
}
