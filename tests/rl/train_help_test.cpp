// `retort train --help` lists exactly the config keys the loader (TrainConfig::from) accepts: the keys
// it prints equal the keys TrainConfig::from reads for a config with every optional feature switched on
// (recorded here independently with a ConfigKeyLog), each printed default is accepted when written back
// into a config, and the keys added in session 2 are there by name.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>

#include "core/config.h"
#include "core/config_key_log.h"
#include "core/errors.h"
#include "rl/train_config.h"
#include "tests/support/run_command.h"
#include "tests/support/retort_binary.h"

namespace fs = std::filesystem;
using namespace retort;

namespace {

using retort::testing::retort_binary;

struct ListedKey {
  std::string key;
  std::string description;
};

// The "Config keys:" block of the help text: one "  key  description" line per key.
std::vector<ListedKey> listed_keys(const std::string& help) {
  std::vector<ListedKey> keys;
  std::istringstream in(help);
  bool in_block = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("Config keys:", 0) == 0) in_block = true;
    if (!in_block || line.rfind("  ", 0) != 0) continue;
    auto end = line.find(' ', 2);
    if (end == std::string::npos) continue;
    keys.push_back({line.substr(2, end - 2), line.substr(line.find_first_not_of(' ', end))});
  }
  return keys;
}

// Every optional section switched on (the loader reads the same keys either way, except the two
// feature switches' "enabled", which it reads only when the section is an object).
nlohmann::json everything_on() {
  return {{"name", "n"},
          {"data", {{"train", "t.jsonl"}, {"balance_labels", true}}},
          {"sft", {{"steps", 1}}},
          {"rl", {{"steps", 2}, {"dynamic_sampling", true}, {"max_refill_rounds", 2}, {"kl_coef", 0.1}, {"sar_weight", 0.2},
                  {"hard_sample_mining", {{"enabled", true}}}, {"hints", {{"patience", 2}}},
                  {"likelihood_reward", {{"kind", "rlpr"}, {"std_filter", true}}},
                  {"noisy_verifier", {{"correction", "backward"}, {"false_positive_rate", 0.1}}}}},
          {"model", {{"autocast", "bf16"}}},
          {"tools", {{"enabled", true}, {"names", nlohmann::json::array({"calculator"})}}}};
}

void set_key(nlohmann::json& root, const std::string& dotted, const nlohmann::json& value) {
  nlohmann::json* node = &root;
  for (const auto& part : split_key(dotted)) node = &(*node)[part];
  *node = value;
}

}  // namespace

TEST(TrainHelp, ListsExactlyTheKeysTheLoaderReads) {
  fs::path binary = retort_binary();
  ASSERT_FALSE(binary.empty()) << "the retort binary is not built next to test_rl (build the `retort` target, or set RETORT_BINARY)";
  auto result = retort::testing::run_command(binary.string() + " train --help");
  ASSERT_EQ(result.status, 0) << result.output;
  auto listed = listed_keys(result.output);
  ASSERT_GT(listed.size(), 50u) << result.output;
  std::set<std::string> listed_set;
  for (const auto& k : listed) EXPECT_TRUE(listed_set.insert(k.key).second) << "listed twice: " << k.key;

  Config config = Config::from_json(everything_on(), "everything_on");
  std::set<std::string> read_set;
  {
    ConfigKeyLog log;
    (void)rl::TrainConfig::from(config);
    for (const auto& r : log.reads()) read_set.insert(r.key);
  }
  config.check_all_used();
  for (const auto& key : read_set) EXPECT_TRUE(listed_set.count(key)) << "the loader reads " << key << " but --help does not list it";
  for (const auto& key : listed_set) EXPECT_TRUE(read_set.count(key)) << "--help lists " << key << " but the loader does not read it";

  // The keys session 2 added, by name.
  for (const char* key : {"rl.max_refill_rounds", "rl.hard_sample_mining.enabled", "rl.hard_sample_mining.pass_threshold",
                          "rl.hard_sample_mining.hard_pass_rate", "rl.hard_sample_mining.min_attempts",
                          "rl.hard_sample_mining.oversample_factor", "rl.hard_sample_mining.hard_group_size",
                          "rl.hard_sample_mining.sparse_window", "rl.hard_sample_mining.sparse_pass_rate",
                          "rl.hard_sample_mining.stage2_step", "rl.hints.enabled", "rl.hints.patience",
                          "rl.hints.warmup_fraction", "rl.hints.meta_key", "rl.likelihood_reward.kind",
                          "rl.likelihood_reward.weight", "rl.likelihood_reward.per_token", "rl.likelihood_reward.format_bonus",
                          "rl.likelihood_reward.std_filter", "rl.noisy_verifier.correction",
                          "rl.noisy_verifier.false_positive_rate", "rl.noisy_verifier.false_negative_rate", "rl.sar_weight",
                          "model.autocast", "data.balance_labels", "tools.enabled", "tools.names", "tools.max_calls",
                          "tools.max_response_tokens", "tools.deadline_ms", "tools.threads", "tools.error_cost",
                          "tools.max_error_cost"})
    EXPECT_TRUE(listed_set.count(key)) << key << " is missing from retort train --help";
  for (const auto& k : listed)
    if (k.key == "model.autocast") EXPECT_EQ(k.description, "one of auto | bf16 | none (default \"auto\")");
    else if (k.key == "rl.max_refill_rounds") EXPECT_EQ(k.description, "integer in [0, 1000] (default 4)");
}

TEST(TrainHelp, EveryListedDefaultIsAcceptedByTheLoader) {
  fs::path binary = retort_binary();
  ASSERT_FALSE(binary.empty()) << "the retort binary is not built next to test_rl";
  auto listed = listed_keys(retort::testing::run_command(binary.string() + " train --help").output);
  ASSERT_GT(listed.size(), 50u);
  nlohmann::json config = nlohmann::json::object();
  int64_t defaults = 0;
  for (const auto& k : listed) {
    auto at = k.description.find("(default ");
    if (at != std::string::npos) {
      std::string text = k.description.substr(at + 9);
      text = text.substr(0, text.rfind(')'));
      set_key(config, k.key, nlohmann::json::parse(text));  // every default is printed as JSON
      ++defaults;
    } else if (k.description.rfind("boolean", 0) == 0) {
      set_key(config, k.key, true);
    }
  }
  EXPECT_GT(defaults, 50);
  set_key(config, "name", "n");
  set_key(config, "data.train", "t.jsonl");
  set_key(config, "sft.steps", 1);
  Config parsed = Config::from_json(config, "defaults");
  rl::TrainConfig train = rl::TrainConfig::from(parsed);
  EXPECT_NO_THROW(parsed.check_all_used()) << config.dump();
  EXPECT_EQ(train.rl.max_refill_rounds, 4);
  EXPECT_EQ(train.model.autocast, "auto");
  EXPECT_TRUE(train.rl.hints.enabled);
  // A misspelt key next to them is still rejected.
  set_key(config, "rl.hints.patiense", 2);
  Config typo = Config::from_json(config, "typo");
  (void)rl::TrainConfig::from(typo);
  EXPECT_THROW(typo.check_all_used(), ConfigError);
}
