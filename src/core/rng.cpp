// RngStreams: per-purpose mt19937_64 streams derived from one run seed.
#include "core/rng.h"

#include <sstream>

#include "core/errors.h"

namespace retort {

uint64_t mix_seed(uint64_t seed, const std::string& stream_name) {
  uint64_t h = seed ^ 0x9E3779B97F4A7C15ull;
  for (unsigned char c : stream_name) {  // FNV-style fold of the name, then SplitMix64
    h = (h ^ c) * 0x100000001B3ull;
  }
  h += 0x9E3779B97F4A7C15ull;
  h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ull;
  h = (h ^ (h >> 27)) * 0x94D049BB133111EBull;
  return h ^ (h >> 31);
}

std::mt19937_64& RngStreams::stream(const std::string& name) {
  auto it = streams_.find(name);
  if (it == streams_.end()) it = streams_.emplace(name, std::mt19937_64(mix_seed(seed_, name))).first;
  return it->second;
}

std::map<std::string, std::string> RngStreams::save() const {
  std::map<std::string, std::string> out;
  for (const auto& [name, engine] : streams_) {
    std::ostringstream s;
    s << engine;
    out[name] = s.str();
  }
  return out;
}

void RngStreams::load(const std::map<std::string, std::string>& states) {
  for (const auto& [name, text] : states) {
    std::istringstream s(text);
    std::mt19937_64 engine;
    s >> engine;
    if (s.fail()) throw DataError("rng state for stream '" + name + "' is corrupt");
    streams_[name] = engine;
  }
}

}  // namespace retort
