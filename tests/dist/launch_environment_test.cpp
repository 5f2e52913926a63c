// The torchrun environment parser: defaults, a full torchrun set, torchrun's agent store, bad values.
#include <gtest/gtest.h>

#include <map>

#include "core/errors.h"
#include "dist/launch_environment.h"

using retort::dist::launch_environment_from;

namespace {

retort::dist::LaunchEnvironment parse(const std::map<std::string, std::string>& vars) {
  return launch_environment_from([&](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  });
}

}  // namespace

TEST(LaunchEnvironment, NoVariablesIsOneProcess) {
  auto env = parse({});
  EXPECT_EQ(env.rank, 0);
  EXPECT_EQ(env.world_size, 1);
  EXPECT_FALSE(env.distributed());
}

TEST(LaunchEnvironment, ReadsTorchrunVariables) {
  auto env = parse({{"RANK", "3"}, {"WORLD_SIZE", "8"}, {"LOCAL_RANK", "1"}, {"MASTER_ADDR", "10.0.0.7"},
                    {"MASTER_PORT", "29511"}, {"TORCHELASTIC_USE_AGENT_STORE", "True"},
                    {"TORCHELASTIC_RESTART_COUNT", "2"}, {"RETORT_DIST_TIMEOUT_S", "60"}});
  EXPECT_EQ(env.rank, 3);
  EXPECT_EQ(env.world_size, 8);
  EXPECT_EQ(env.local_rank, 1);
  EXPECT_EQ(env.master_addr, "10.0.0.7");
  EXPECT_EQ(env.master_port, 29511);
  EXPECT_TRUE(env.use_agent_store);
  EXPECT_EQ(env.restart_count, 2);
  EXPECT_EQ(env.timeout.count(), 60000);
  EXPECT_TRUE(env.distributed());
}

TEST(LaunchEnvironment, WorldSizeOneNeedsNoMaster) {
  auto env = parse({{"RANK", "0"}, {"WORLD_SIZE", "1"}});
  EXPECT_FALSE(env.distributed());
}

TEST(LaunchEnvironment, BadValuesAreOneLineErrorsNamingTheVariable) {
  auto message = [](const std::map<std::string, std::string>& vars) {
    try {
      parse(vars);
    } catch (const retort::ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message({{"RANK", "2"}, {"WORLD_SIZE", "2"}, {"MASTER_ADDR", "h"}, {"MASTER_PORT", "1"}}).find("RANK='2'"),
            std::string::npos);
  EXPECT_NE(message({{"RANK", "0"}, {"WORLD_SIZE", "two"}}).find("WORLD_SIZE='two'"), std::string::npos);
  EXPECT_NE(message({{"RANK", "0"}}).find("RANK and WORLD_SIZE"), std::string::npos);
  EXPECT_NE(message({{"RANK", "0"}, {"WORLD_SIZE", "2"}, {"MASTER_PORT", "1"}}).find("MASTER_ADDR"), std::string::npos);
  EXPECT_NE(message({{"RANK", "0"}, {"WORLD_SIZE", "2"}, {"MASTER_ADDR", "h"}, {"MASTER_PORT", "70000"}}).find("MASTER_PORT"),
            std::string::npos);
}
