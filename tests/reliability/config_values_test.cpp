// Config values that do not fit the type asked for (fuzz/config.cpp's findings, fixed in
// src/core/config.cpp): a number too large for a double in the file (nlohmann's out_of_range escaped
// Config::load instead of a ConfigError naming the file), a float beyond int64 (casting it was
// undefined behaviour), an unsigned above 2^63 (it wrapped to a negative number), and a --set string
// with invalid UTF-8 (the error message's dump() threw nlohmann's type_error, not a ConfigError).
#include <gtest/gtest.h>

#include <fstream>

#include "core/config.h"
#include "core/errors.h"

using retort::Config;
using retort::ConfigError;

namespace {

std::string error_of(const Config& c, const std::string& key) {
  try {
    c.get_int(key);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST(ConfigValues, IntegersThatDoNotFitInt64AreErrors) {
  auto c = Config::from_json(nlohmann::json::parse(R"({"big": 1e300, "neg": -1e19, "huge": 18446744073709551615,
      "max": 9223372036854775807, "min": -9223372036854775807, "float_int": 4.0, "half": 2.5})"), "run.json");
  EXPECT_EQ(error_of(c, "big"), "run.json: big: must be an integer, got 1e+300");
  EXPECT_EQ(error_of(c, "neg"), "run.json: neg: must be an integer, got -1e+19");
  EXPECT_EQ(error_of(c, "huge"), "run.json: huge: must be an integer below 2^63, got 18446744073709551615");
  EXPECT_EQ(error_of(c, "half"), "run.json: half: must be an integer, got 2.5");
  EXPECT_EQ(c.get_int("max"), INT64_MAX);
  EXPECT_EQ(c.get_int("min"), -INT64_MAX);
  EXPECT_EQ(c.get_int("float_int"), 4);
}

TEST(ConfigValues, InvalidUtf8OverrideIsAConfigError) {
  auto c = Config::from_json(nlohmann::json::parse(R"({"rl": {"steps": 5}})"), "run.json");
  c.apply_override("rl.steps=\xff\xfe");  // not JSON: kept as a string
  EXPECT_EQ(error_of(c, "rl.steps"), "run.json: rl.steps: must be an integer, got \"\xEF\xBF\xBD\xEF\xBF\xBD\"");
  try {
    c.get_bool("rl.steps");
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("must be true or false"), std::string::npos) << e.what();
  }
}

TEST(ConfigValues, NumberTooLargeForADoubleInTheFileIsAConfigErrorNamingIt) {
  const std::string path = testing::TempDir() + "overflow_config.json";
  { std::ofstream(path) << "{\"rl\": {\"lr\": 1e400}}\n"; }
  try {
    Config::load(path);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    const std::string message = e.what();
    EXPECT_EQ(message.rfind("overflow_config.json: invalid JSON", 0), 0u) << message;
    EXPECT_NE(message.find("number overflow"), std::string::npos) << message;
  }
}
