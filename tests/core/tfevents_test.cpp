// TensorBoard events: CRC32C known answers, and a round trip read back by the tensorboard package.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/metrics_writer.h"
#include "core/tfevents.h"
#include "tests/support/run_command.h"

TEST(TfEvents, Crc32cKnownAnswers) {
  // RFC 3720 / the standard check value for CRC-32C.
  EXPECT_EQ(retort::crc32c("123456789", 9), 0xE3069283u);
  std::string zeros(32, '\0');
  EXPECT_EQ(retort::crc32c(zeros.data(), zeros.size()), 0x8A9136AAu);  // RFC 3720 B.4
}

TEST(TfEvents, RecordFramingLength) {
  std::string rec = retort::frame_record("abc");
  ASSERT_EQ(rec.size(), 8u + 4 + 3 + 4);
  EXPECT_EQ(rec.substr(12, 3), "abc");
  EXPECT_EQ(static_cast<unsigned char>(rec[0]), 3);
}

TEST(TfEvents, RoundTripThroughTensorboardEventAccumulator) {
  auto dir = std::filesystem::temp_directory_path() / "retort_tb_roundtrip";
  std::filesystem::remove_all(dir);
  {
    retort::MetricsWriter w(dir.string());
    w.write(1, {{"reward/mean", 0.25}, {"kl", 1e-3}});
    w.write(2, {{"reward/mean", 0.5}, {"kl", 2e-3}});
    w.write(10, {{"reward/mean", -1.5}, {"kl", 0.0}});
  }
  // metrics.jsonl: one object per step.
  std::ifstream jsonl(dir / "metrics.jsonl");
  std::string first;
  std::getline(jsonl, first);
  EXPECT_EQ(first, R"({"step":1,"kl":0.001,"reward/mean":0.25})");

  auto run = retort::testing::run_command(std::string(RETORT_PYTHON) + " " + RETORT_SOURCE_DIR +
                                          "/tests/parity/read_tfevents.py '" + dir.string() + "'");
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_EQ(run.output,
            "kl 1 0.001\nkl 2 0.002\nkl 10 0\nreward/mean 1 0.25\nreward/mean 2 0.5\nreward/mean 10 -1.5\n");
  std::filesystem::remove_all(dir);
}
