// ConfigKeyLog: while one is alive on a thread, every typed Config read on that thread (get_int,
// get_double, get_bool, get_string, get_json) is recorded with its type, default, bounds and allowed
// values, present in the file or not. A command can thus list the keys its loader accepts from the
// loader itself (`retort train --help`), so the list cannot drift from what the loader validates.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace retort {

struct ConfigKeyRead {
  std::string key;                   // dotted
  std::string type;                  // "integer" | "number" | "boolean" | "string" | "json"
  nlohmann::json fallback;           // the default; null when the key is required
  bool required = false;
  std::optional<double> min, max;    // inclusive bounds (integer / number)
  std::vector<std::string> allowed;  // string: the allowed values (empty = any)
};

class ConfigKeyLog {
 public:
  ConfigKeyLog();   // starts recording on this thread (nests: the innermost log records)
  ~ConfigKeyLog();  // stops, restoring an outer log
  ConfigKeyLog(const ConfigKeyLog&) = delete;
  ConfigKeyLog& operator=(const ConfigKeyLog&) = delete;

  // In first-read order; a key read twice is listed once (its first read).
  const std::vector<ConfigKeyRead>& reads() const { return reads_; }

  // Whether a log is alive on this thread (Config's reads skip building a record otherwise).
  static bool active();
  // Called by Config's typed reads; a no-op when no log is alive on this thread.
  static void note(ConfigKeyRead read);

 private:
  std::vector<ConfigKeyRead> reads_;
  ConfigKeyLog* outer_ = nullptr;
};

}  // namespace retort
