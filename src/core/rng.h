// Seeded, named random streams. Each consumer (data order, sampler, dropout, ...) draws from its own
// stream so adding draws in one place never shifts another; streams serialise for exact resume.
#pragma once
#include <cstdint>
#include <map>
#include <random>
#include <string>

namespace retort {

// SplitMix64 finaliser: spreads (seed, stream name) into well-separated 64-bit seeds.
uint64_t mix_seed(uint64_t seed, const std::string& stream_name);

class RngStreams {
 public:
  explicit RngStreams(uint64_t seed = 0) : seed_(seed) {}
  // The stream called NAME, created on first use from (seed, NAME).
  std::mt19937_64& stream(const std::string& name);
  uint64_t seed() const { return seed_; }
  // Text form of every stream's state (std::mt19937_64's own serialisation), and its inverse.
  std::map<std::string, std::string> save() const;
  void load(const std::map<std::string, std::string>& states);

 private:
  uint64_t seed_;
  std::map<std::string, std::mt19937_64> streams_;
};

}  // namespace retort
