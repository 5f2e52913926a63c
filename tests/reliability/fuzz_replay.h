// Replays a fuzz target's corpus (fuzz/corpus/<target>/: the seeds and every crash input the fuzzer
// found, kept as regression cases) through the target's LLVMFuzzerTestOneInput in the normal and the
// sanitizer builds. A broken invariant aborts with its message; a sanitizer finding fails the run.
#pragma once
#include <gtest/gtest.h>

#include <dirent.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace retort::reliability {

// The regular files of fuzz/corpus/TARGET, sorted by name.
inline std::vector<std::string> corpus_files(const std::string& target) {
  const std::string dir = std::string(RETORT_SOURCE_DIR) + "/fuzz/corpus/" + target;
  std::vector<std::string> files;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (const dirent* e = ::readdir(d))
      if (e->d_name[0] != '.') files.push_back(dir + "/" + e->d_name);
    ::closedir(d);
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Runs every corpus file of TARGET through ONE_INPUT; returns how many were replayed.
inline size_t replay_corpus(const std::string& target, int (*one_input)(const uint8_t*, size_t)) {
  auto files = corpus_files(target);
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    SCOPED_TRACE(path);
    EXPECT_EQ(one_input(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()), 0) << path;
  }
  return files.size();
}

}  // namespace retort::reliability

// One test per target: TEST(FuzzCorpusReplay, TARGET), with at least MIN_FILES corpus files.
#define RETORT_FUZZ_REPLAY_TEST(target, min_files)                                                  \
  TEST(FuzzCorpusReplay, target) {                                                                \
    EXPECT_GE(::retort::reliability::replay_corpus(#target, fuzz_##target##_one_input), size_t(min_files)); \
  }
