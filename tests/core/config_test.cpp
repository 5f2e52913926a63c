// Config: error messages name the file, the key and the problem; --set overrides; unknown keys caught.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/config.h"
#include "core/errors.h"

using retort::Config;
using retort::ConfigError;

namespace {

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

Config sample() {
  return Config::from_json(nlohmann::json::parse(R"({"rl": {"group_size": 1, "loss": "dapo", "lr": "fast"},
                                                     "name": "demo", "seed": 3})"), "train.json");
}

}  // namespace

TEST(Config, BoundViolationNamesFileKeyAndValue) {
  Config c = sample();
  EXPECT_EQ(message_of([&] { c.get_int("rl.group_size", 8, 2); }),
            "train.json: rl.group_size: must be >= 2, got 1");
}

TEST(Config, WrongTypeAndMissingRequired) {
  Config c = sample();
  EXPECT_EQ(message_of([&] { c.get_double("rl.lr"); }), "train.json: rl.lr: must be a number, got \"fast\"");
  EXPECT_EQ(message_of([&] { c.get_int("rl.epochs"); }), "train.json: rl.epochs: required integer is missing");
  EXPECT_EQ(c.get_int("rl.epochs", 4), 4);
}

TEST(Config, EnumeratedStrings) {
  Config c = sample();
  EXPECT_EQ(message_of([&] { c.get_string("rl.loss", "grpo", {"grpo", "gspo"}); }),
            "train.json: rl.loss: must be one of {grpo, gspo}, got \"dapo\"");
}

TEST(Config, SetOverridesParseJsonElseString) {
  Config c = sample();
  c.apply_override("rl.group_size=8");
  c.apply_override("rl.loss=gspo");
  c.apply_override("new.deep.flag=true");
  EXPECT_EQ(c.get_int("rl.group_size", 0, 2), 8);
  EXPECT_EQ(c.get_string("rl.loss"), "gspo");
  EXPECT_TRUE(c.get_bool("new.deep.flag"));
  EXPECT_EQ(message_of([&] { c.apply_override("noequals"); }), "--set noequals: expected key=value");
  EXPECT_EQ(message_of([&] { c.apply_override("name.x=1"); }), "--set name.x: 'name' is not an object in train.json");
}

TEST(Config, UnknownKeysAreReported) {
  Config c = sample();
  c.get_int("rl.group_size", 8);
  c.get_string("rl.loss");
  c.get_string("name");
  c.get_int("seed");
  EXPECT_EQ(message_of([&] { c.check_all_used(); }),
            "train.json: rl.lr: unknown key (not used by any part of retort; a typo?)");
  c.get_json("rl");
  EXPECT_NO_THROW(c.check_all_used());
}

TEST(Config, LoadReportsSyntaxErrorPosition) {
  auto path = std::filesystem::temp_directory_path() / "retort_bad_config.json";
  std::ofstream(path) << "{\n  \"a\": 1,\n  \"b\": }\n";
  std::string msg = message_of([&] { Config::load(path.string()); });
  EXPECT_NE(msg.find("retort_bad_config.json: invalid JSON at line 3"), std::string::npos) << msg;
  EXPECT_EQ(message_of([&] { Config::load("/nonexistent/x.json"); }), "/nonexistent/x.json: cannot open file");
  std::filesystem::remove(path);
}
