// Subprocess runner for the oracle's external programs (xtb, mopac): fork + execve with an argv array
// (never a shell), its own process group, a wall-clock deadline that SIGKILLs the whole group, address
// space / CPU rlimits, death with the thread that started it (PR_SET_PDEATHSIG), a given working
// directory, an explicit environment, and stdout/stderr captured
// to files. Also the per-job temporary directory (mkdtemp, removed afterwards) and PATH lookup.
#pragma once
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace retort::chem::oracle {

// Finds NAME (no slash) as an executable regular file in the ':'-separated SEARCH_PATH, like execvp
// would; a NAME with a slash is checked as given. nullopt when absent.
std::optional<std::filesystem::path> find_executable(const std::string& name, const std::string& search_path);

// A fresh directory from mkdtemp under BASE (default: $TMPDIR or /tmp), removed with everything in it
// when this object dies. Move-only.
class JobDirectory {
 public:
  explicit JobDirectory(const std::filesystem::path& base = {}, const std::string& prefix = "retort-oracle-");
  ~JobDirectory();
  JobDirectory(JobDirectory&& other) noexcept;
  JobDirectory& operator=(JobDirectory&&) = delete;
  JobDirectory(const JobDirectory&) = delete;
  JobDirectory& operator=(const JobDirectory&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct SubprocessRequest {
  std::string program;                 // a name looked up in search_path, or a path with a slash
  std::vector<std::string> arguments;  // argv[1..], passed verbatim (no shell, no splitting)
  std::filesystem::path working_directory;
  std::string search_path;             // PATH used to find `program` and given to the child
  std::map<std::string, std::string> environment_overrides;  // on top of the parent's environment
  std::chrono::steady_clock::time_point deadline;            // wall clock; the group is SIGKILLed then
  std::size_t address_space_limit_bytes = std::size_t(4) << 30;  // RLIMIT_AS; 0 = unlimited
  std::size_t stack_limit_bytes = std::size_t(512) << 20;        // RLIMIT_STACK (xtb needs a deep stack); 0 = keep
  std::string output_stem;  // stdout/stderr go to <working_directory>/<stem>.stdout / .stderr
};

enum class SubprocessOutcome { exited, signaled, timed_out, not_found, spawn_failed };

struct SubprocessResult {
  SubprocessOutcome outcome = SubprocessOutcome::spawn_failed;
  int exit_code = -1;  // when exited
  int signal = 0;      // when signaled
  double seconds = 0;
  std::filesystem::path stdout_path, stderr_path;
  std::string message;  // one line for humans: "xtb exited with code 1", "xtb not found on PATH", ...
  bool succeeded() const { return outcome == SubprocessOutcome::exited && exit_code == 0; }
};

// Runs the request to completion or its deadline. Never throws for child failures; every outcome is
// in the result. The RLIMIT_CPU is set to the seconds left before the deadline (rounded up) + 1.
SubprocessResult run_subprocess(const SubprocessRequest& request);

}  // namespace retort::chem::oracle
