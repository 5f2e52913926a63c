// The torchrun launch environment: RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT (plus
// torchrun's TORCHELASTIC_* variables), read and checked once. Torch-free.
#pragma once
#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace retort::dist {

struct LaunchEnvironment {
  int rank = 0;
  int world_size = 1;
  int local_rank = 0;
  std::string master_addr = "127.0.0.1";
  int master_port = 29500;
  // torchrun's agent already serves a TCPStore on MASTER_ADDR:MASTER_PORT (TORCHELASTIC_USE_AGENT_STORE=True):
  // every rank connects as a client under the prefix /worker/attempt_<TORCHELASTIC_RESTART_COUNT>/, as
  // torch.distributed.init_process_group does. Otherwise (scripts/launch) rank 0 serves the store.
  bool use_agent_store = false;
  int restart_count = 0;
  std::chrono::milliseconds timeout{1800 * 1000};  // RETORT_DIST_TIMEOUT_S (torch's default 30 min)

  bool distributed() const { return world_size > 1; }
};

// Reads the variables through GETENV (std::getenv by default). Unset RANK and WORLD_SIZE mean one
// process. Bad values are one-line errors naming the variable (ConfigError).
LaunchEnvironment launch_environment_from(const std::function<std::optional<std::string>(const std::string&)>& getenv);
LaunchEnvironment launch_environment_from_process();

}  // namespace retort::dist
