// Parsing and checking of the torchrun environment variables.
#include "dist/launch_environment.h"

#include <cstdlib>

#include "core/errors.h"

namespace retort::dist {
namespace {

int parse_int(const std::string& name, const std::string& text, int low, int high) {
  size_t used = 0;
  long value = 0;
  try {
    value = std::stol(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || value < low || value > high)
    throw ConfigError("environment " + name + "='" + text + "': expected an integer in [" + std::to_string(low) + ", " +
                      std::to_string(high) + "]");
  return static_cast<int>(value);
}

}  // namespace

LaunchEnvironment launch_environment_from(const std::function<std::optional<std::string>(const std::string&)>& getenv) {
  LaunchEnvironment env;
  auto rank = getenv("RANK"), world = getenv("WORLD_SIZE");
  if (!rank && !world) return env;
  if (!rank || !world) throw ConfigError("environment: RANK and WORLD_SIZE must be set together (torchrun sets both)");
  env.world_size = parse_int("WORLD_SIZE", *world, 1, 1 << 20);
  env.rank = parse_int("RANK", *rank, 0, env.world_size - 1);
  if (auto local = getenv("LOCAL_RANK")) env.local_rank = parse_int("LOCAL_RANK", *local, 0, env.world_size - 1);
  if (auto timeout = getenv("RETORT_DIST_TIMEOUT_S"))
    env.timeout = std::chrono::milliseconds(int64_t{1000} * parse_int("RETORT_DIST_TIMEOUT_S", *timeout, 1, 7 * 24 * 3600));
  if (!env.distributed()) return env;
  auto addr = getenv("MASTER_ADDR"), port = getenv("MASTER_PORT");
  if (!addr || addr->empty()) throw ConfigError("environment: WORLD_SIZE > 1 needs MASTER_ADDR (rank 0's host)");
  if (!port) throw ConfigError("environment: WORLD_SIZE > 1 needs MASTER_PORT (a free TCP port on MASTER_ADDR)");
  env.master_addr = *addr;
  env.master_port = parse_int("MASTER_PORT", *port, 1, 65535);
  if (auto agent = getenv("TORCHELASTIC_USE_AGENT_STORE")) env.use_agent_store = *agent == "True" || *agent == "true" || *agent == "1";
  if (auto restarts = getenv("TORCHELASTIC_RESTART_COUNT")) env.restart_count = parse_int("TORCHELASTIC_RESTART_COUNT", *restarts, 0, 1 << 20);
  return env;
}

LaunchEnvironment launch_environment_from_process() {
  return launch_environment_from([](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (!value) return std::nullopt;
    return std::string(value);
  });
}

}  // namespace retort::dist
