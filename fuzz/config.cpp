// Fuzz target: the run-configuration loader (src/core/config.h): Config::load on a file, `--set`
// overrides, typed reads of every key, and the unknown-key check.
// Input: fields separated by 0x1f: the file's text, an override "key=value", a key to read.
// Invariants: every failure is a ConfigError naming the file (or "--set"), never another
// exception or undefined behaviour; get_json returns exactly the value found; an override that was
// accepted is read back by get_json.
#include <unistd.h>

#include <cstring>
#include <fstream>

#include "core/config.h"
#include "core/errors.h"
#include "fuzz/fuzz_input.h"

namespace {

// Every dotted key path of J (depth-first, at most LIMIT).
void collect_keys(const nlohmann::json& j, const std::string& prefix, std::vector<std::string>& keys, size_t limit) {
  if (!j.is_object()) return;
  for (auto it = j.begin(); it != j.end() && keys.size() < limit; ++it) {
    std::string key = prefix.empty() ? it.key() : prefix + "." + it.key();
    keys.push_back(key);
    collect_keys(it.value(), key, keys, limit);
  }
}

// (Not checked: one line. A key is quoted as written, and a JSON key or a --set may hold a newline.)
void check_error(const retort::ConfigError& e) {
  FUZZ_CHECK(std::strncmp(e.what(), "fuzz_config.json", 16) == 0 || std::strncmp(e.what(), "--set ", 6) == 0);
}

// Reads KEY every typed way; only ConfigError may come out.
void read_every_way(const retort::Config& c, const std::string& key) {
  auto attempt = [&](auto&& read) {
    try {
      read();
    } catch (const retort::ConfigError& e) {
      check_error(e);
    }
  };
  attempt([&] { (void)c.get_int(key); });
  attempt([&] { (void)c.get_int(key, 3, -5, 5); });
  attempt([&] { (void)c.get_double(key); });
  attempt([&] { (void)c.get_double(key, 0.5, 0.0, 1.0); });
  attempt([&] { (void)c.get_bool(key, false); });
  attempt([&] { (void)c.get_string(key); });
  attempt([&] { (void)c.get_string(key, "grpo", {"grpo", "dapo"}); });
  attempt([&] {
    auto v = c.get_json(key);
    FUZZ_CHECK(c.has(key));
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/retort-fuzz-" + std::to_string(getpid()) + "/fuzz_config.json";
  static const bool made_dir = [] {
    std::string dir = path.substr(0, path.find_last_of('/'));
    return std::system(("mkdir -p " + dir).c_str()) == 0;
  }();
  FUZZ_CHECK(made_dir);
  auto fields = retort::fuzz::split_fields(data, size, 3);
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << fields[0];
  }
  std::optional<retort::Config> config;
  try {
    config = retort::Config::load(path);
  } catch (const retort::ConfigError& e) {
    check_error(e);
    return 0;
  }
  std::vector<std::string> keys;
  collect_keys(config->root(), "", keys, 64);
  keys.push_back(fields[2]);
  for (const auto& key : keys) read_every_way(*config, key);
  try {
    config->check_all_used();  // everything was read above except possibly the override's target
  } catch (const retort::ConfigError& e) {
    check_error(e);
  }
  try {
    config->apply_override(fields[1]);
    const std::string key = fields[1].substr(0, fields[1].find('='));
    read_every_way(*config, key);
  } catch (const retort::ConfigError& e) {
    check_error(e);
  }
  return 0;
}
