// safetensors reader/writer: round trips, a file written by the Python safetensors library, and
// hostile files (wrong offsets, huge header, truncation, overlap, bad dtype, size mismatch) that must
// fail with an error naming the file and the tensor, never crash. Plus random single-byte mutations.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include "core/errors.h"
#include "model/safetensors.h"

namespace st = retort::model::safetensors;

namespace {

std::vector<uint8_t> bytes_of(const std::vector<float>& v) {
  std::vector<uint8_t> out(v.size() * 4);
  std::memcpy(out.data(), v.data(), out.size());
  return out;
}

// A file from a hand-written header and DATA_SIZE bytes of data (0x11 filled).
std::vector<uint8_t> file_with_header(const std::string& header, size_t data_size) {
  std::vector<uint8_t> out(8 + header.size() + data_size, 0x11);
  uint64_t n = header.size();
  for (int i = 0; i < 8; ++i) out[i] = static_cast<uint8_t>(n >> (8 * i));
  std::memcpy(out.data() + 8, header.data(), header.size());
  return out;
}

std::string error_of(const std::vector<uint8_t>& file) {
  try {
    st::parse(file, "model.safetensors");
  } catch (const retort::DataError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Safetensors, RoundTripKeepsBytesShapesAndMetadata) {
  auto a = bytes_of({1.0f, -2.0f, 3.5f, 4.0f, 5.0f, 6.0f});
  std::vector<uint8_t> b = {1, 2, 3};
  auto file = st::serialize({{"a", st::DType::F32, {2, 3}, a}, {"b", st::DType::U8, {3}, b}, {"empty", st::DType::BF16, {0, 4}, {}}},
                            {{"format", "pt"}});
  // Header padded to a multiple of 8, as the reference writer does.
  uint64_t header_len = 0;
  std::memcpy(&header_len, file.data(), 8);
  EXPECT_EQ(header_len % 8, 0u);
  auto header = st::parse(file, "x");
  ASSERT_EQ(header.tensors.size(), 3u);
  EXPECT_EQ(header.metadata.at("format"), "pt");
  const auto& ta = header.tensors[0];
  EXPECT_EQ(ta.name, "a");
  EXPECT_EQ(ta.shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(ta.begin, 0u);
  EXPECT_EQ(ta.end, 24u);
  EXPECT_EQ(0, std::memcmp(file.data() + header.data_start, a.data(), 24));
  EXPECT_EQ(header.tensors[1].numel(), 3);
  EXPECT_EQ(header.tensors[2].numel(), 0);
}

TEST(Safetensors, ReadsAFileWrittenByThePythonLibrary) {
  auto dir = std::filesystem::temp_directory_path() / "retort_st_python";
  std::filesystem::create_directories(dir);
  auto path = (dir / "py.safetensors").string();
  std::string cmd = std::string(RETORT_PYTHON) +
                    " -c \"import torch; from safetensors.torch import save_file; "
                    "save_file({'w': torch.arange(6, dtype=torch.float32).reshape(2, 3) / 4, "
                    "'i': torch.tensor([7, -8], dtype=torch.int64), 'h': torch.tensor([1.5], dtype=torch.bfloat16)}, '" +
                    path + "', metadata={'format': 'pt'})\"";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  auto file = st::File::open(path);
  const auto* w = file->find("w");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->dtype, st::DType::F32);
  EXPECT_EQ(w->shape, (std::vector<int64_t>{2, 3}));
  auto wb = file->bytes(*w);
  float values[6];
  std::memcpy(values, wb.data(), 24);
  EXPECT_FLOAT_EQ(values[5], 1.25f);
  const auto* i = file->find("i");
  ASSERT_NE(i, nullptr);
  int64_t ints[2];
  std::memcpy(ints, file->bytes(*i).data(), 16);
  EXPECT_EQ(ints[1], -8);
  const auto* h = file->find("h");
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->dtype, st::DType::BF16);
  uint16_t bf;
  std::memcpy(&bf, file->bytes(*h).data(), 2);
  EXPECT_EQ(bf, 0x3FC0);  // 1.5 in bfloat16
  EXPECT_EQ(file->header().metadata.at("format"), "pt");
  std::filesystem::remove_all(dir);
}

TEST(Safetensors, HostileFilesFailWithClearErrors) {
  struct Case {
    std::string header;
    size_t data;
    std::string expect;
  };
  std::vector<Case> cases = {
      {R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,16]}})", 8, "tensor 'w': data_offsets [0,16] run past the data section"},
      {R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", 4, "tensor 'w': data_offsets [0,8] run past"},
      {R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", 8, "tensor 'w': holds 8 bytes but dtype F32 shape [3] needs 12"},
      {R"({"w":{"dtype":"Q4","shape":[2],"data_offsets":[0,8]}})", 8, "tensor 'w': unknown dtype 'Q4'"},
      {R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})", 12, "overlaps the previous tensor"},
      {R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})", 12, "leaving a hole"},
      {R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}})", 8, "begin after end"},
      {R"({"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})", 4, "shape entry -1 is not a non-negative integer"},
      {R"({"w":{"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,4]}})", 4, "overflows"},
      {R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", 12, "data section has 12 bytes but the tensors cover 4"},
      {R"({"w":{"dtype":"F32","shape":[1]}})", 4, "data_offsets must be [begin, end]"},
      {R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1}})", 4, "unknown field 'x'"},
      {R"({"w": 5})", 0, "tensor 'w': entry is not an object"},
      {R"([1,2])", 0, "header does not start with '{'"},
      {R"({"w":)", 0, "header is not valid JSON"},
  };
  for (const auto& c : cases) {
    std::string err = error_of(file_with_header(c.header, c.data));
    EXPECT_NE(err.find(c.expect), std::string::npos) << c.header << " -> '" << err << "'";
    EXPECT_EQ(err.rfind("model.safetensors: ", 0), 0u) << err;
  }
}

TEST(Safetensors, HeaderLengthAndTruncationChecks) {
  // Huge header length (the 8-byte prefix claims 2^63).
  std::vector<uint8_t> huge = {0, 0, 0, 0, 0, 0, 0, 0x80, '{', '}'};
  EXPECT_NE(error_of(huge).find("exceeds the limit"), std::string::npos);
  // Header length within the limit but past the end of the file.
  auto ok = st::serialize({{"w", st::DType::F32, {1}, bytes_of({1.0f})}});
  std::vector<uint8_t> cut(ok.begin(), ok.begin() + 20);
  EXPECT_NE(error_of(cut).find("runs past the end of the file"), std::string::npos) << error_of(cut);
  // Data truncated by one byte.
  std::vector<uint8_t> short_data(ok.begin(), ok.end() - 1);
  EXPECT_NE(error_of(short_data).find("tensor 'w'"), std::string::npos) << error_of(short_data);
  // Shorter than the length prefix.
  EXPECT_NE(error_of({1, 2, 3}).find("shorter than the 8-byte header length"), std::string::npos);
}

TEST(Safetensors, OpeningAMissingOrTruncatedFileNamesIt) {
  auto dir = std::filesystem::temp_directory_path() / "retort_st_open";
  std::filesystem::create_directories(dir);
  auto path = (dir / "bad.safetensors").string();
  auto ok = st::serialize({{"w", st::DType::F32, {4}, bytes_of({1, 2, 3, 4})}});
  {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(ok.data()), static_cast<std::streamsize>(ok.size() - 5));
  }
  try {
    st::File::open(path);
    FAIL() << "truncated file accepted";
  } catch (const retort::DataError& e) {
    EXPECT_NE(std::string(e.what()).find(path + ": tensor 'w'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(st::File::open((dir / "absent.safetensors").string()), retort::IoError);
  std::filesystem::remove_all(dir);
}

TEST(Safetensors, RandomMutationsNeverReadOutOfBounds) {
  auto base = st::serialize({{"a", st::DType::F32, {2, 2}, bytes_of({1, 2, 3, 4})}, {"b", st::DType::I64, {1}, std::vector<uint8_t>(8, 7)}});
  std::mt19937 rng(1234);
  int accepted = 0, rejected = 0;
  for (int trial = 0; trial < 4000; ++trial) {
    auto file = base;
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits; ++e) file[rng() % file.size()] = static_cast<uint8_t>(rng());
    if (rng() % 4 == 0) file.resize(rng() % file.size());
    try {
      auto header = st::parse(file, "fuzz");
      for (const auto& t : header.tensors) {
        ASSERT_LE(header.data_start + t.end, file.size());
        ASSERT_EQ(t.end - t.begin, static_cast<uint64_t>(t.numel()) * st::dtype_size(t.dtype));
      }
      ++accepted;
    } catch (const retort::DataError&) {
      ++rejected;
    }
  }
  EXPECT_GT(rejected, 100);
  EXPECT_GT(accepted, 0);  // mutations inside the data bytes keep the file valid
}

TEST(Safetensors, WriterRejectsSizeMismatchAndDuplicates) {
  auto four = bytes_of({1});
  EXPECT_THROW(st::serialize({{"w", st::DType::F32, {2}, four}}), retort::DataError);
  EXPECT_THROW(st::serialize({{"w", st::DType::F32, {1}, four}, {"w", st::DType::F32, {1}, four}}), retort::DataError);
}
