// JSON run configuration: loading, `--set key=value` overrides, and typed, validated reads whose
// errors name the file, the dotted key and the problem. Keys never read are reported as unknown.
#pragma once
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace retort {

using json = nlohmann::json;

class Config {
 public:
  // Parses FILE; a syntax error names the file, line and column.
  static Config load(const std::string& path);
  static Config from_json(json root, std::string source_name);

  // "rl.group_size=8": the value is parsed as JSON when it is valid JSON, else taken as a string.
  void apply_override(const std::string& assignment);

  bool has(const std::string& key) const;
  // Typed reads. Without a default the key is required. Bounds are inclusive.
  int64_t get_int(const std::string& key, std::optional<int64_t> fallback = std::nullopt,
                  std::optional<int64_t> min = std::nullopt,
                  std::optional<int64_t> max = std::nullopt) const;
  double get_double(const std::string& key, std::optional<double> fallback = std::nullopt,
                    std::optional<double> min = std::nullopt,
                    std::optional<double> max = std::nullopt) const;
  bool get_bool(const std::string& key, std::optional<bool> fallback = std::nullopt) const;
  std::string get_string(const std::string& key, std::optional<std::string> fallback = std::nullopt,
                         const std::vector<std::string>& allowed = {}) const;
  // The raw subtree (marks every key under it as used).
  json get_json(const std::string& key, std::optional<json> fallback = std::nullopt) const;

  // Throws ConfigError naming the first key present in the file that nothing read (a typo guard).
  void check_all_used() const;

  // Throws ConfigError "SOURCE: KEY: PROBLEM".
  [[noreturn]] void fail(const std::string& key, const std::string& problem) const;

  const json& root() const { return root_; }
  const std::string& source() const { return source_; }

 private:
  const json* find(const std::string& key) const;
  std::string source_;
  json root_;
  mutable std::set<std::string> used_;
};

// Splits "a.b.c" into {"a","b","c"}.
std::vector<std::string> split_key(const std::string& key);

}  // namespace retort
