// Test helper: run a command line (a Python reference script, a built binary) and capture its
// stdout+stderr and exit status. Only for tests: the command string goes through /bin/sh.
#pragma once
#include <cstdio>
#include <sstream>
#include <string>
#include <sys/wait.h>

namespace retort::testing {

struct CommandResult {
  int status = -1;     // exit status (WEXITSTATUS), -1 if it could not run or was signalled
  std::string output;  // stdout and stderr together
};

inline CommandResult run_command(const std::string& command) {
  CommandResult result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return result;
  std::stringstream out;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, pipe)) out.write(buf, static_cast<std::streamsize>(n));
  int raw = pclose(pipe);
  result.output = out.str();
  result.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return result;
}

}  // namespace retort::testing
