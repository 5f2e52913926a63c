// bench_tokenize: encodes every text of a JSONL file (one JSON string per line) with retort's
// Tokenizer on one thread, after one warm-up pass (the word cache is warm, as in training), and prints
// one JSON line {"texts","tokens","id_checksum","seconds","tokens_per_second"}. bench/tokenize.sh runs
// the `tokenizers` library on the same file and compares.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/tokenizer.h"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: bench_tokenize TOKENIZER_JSON TEXTS_JSONL PASSES\n");
    return 2;
  }
  try {
    auto tokenizer = retort::model::Tokenizer::from_file(argv[1]);
    std::ifstream in(argv[2]);
    if (!in) {
      std::fprintf(stderr, "bench_tokenize: cannot read %s\n", argv[2]);
      return 1;
    }
    std::vector<std::string> texts;
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) texts.push_back(nlohmann::json::parse(line).get<std::string>());
    const int passes = std::stoi(argv[3]);
    long long tokens = 0, checksum = 0;
    for (const auto& t : texts) tokenizer.encode(t);  // warm-up
    auto start = std::chrono::steady_clock::now();
    for (int p = 0; p < passes; ++p) {
      tokens = checksum = 0;
      for (const auto& t : texts) {
        auto ids = tokenizer.encode(t);
        tokens += static_cast<long long>(ids.size());
        for (int32_t id : ids) checksum += id;
      }
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / passes;
    std::printf("{\"texts\": %zu, \"tokens\": %lld, \"id_checksum\": %lld, \"seconds\": %.4f, \"tokens_per_second\": %.0f}\n",
                texts.size(), tokens, checksum, seconds, tokens / seconds);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_tokenize: %s\n", e.what());
    return 1;
  }
  return 0;
}
