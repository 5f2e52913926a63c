// Subprocess runner: fork + execve (argv array, no shell), process group, deadline, rlimits, captured
// output; per-job temporary directories and PATH lookup. See subprocess.h.
#include "chem/oracle/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <system_error>

extern char** environ;

namespace retort::chem::oracle {
namespace fs = std::filesystem;

std::optional<fs::path> find_executable(const std::string& name, const std::string& search_path) {
  auto usable = [](const fs::path& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(p.c_str(), X_OK) == 0;
  };
  if (name.empty()) return std::nullopt;
  if (name.find('/') != std::string::npos) {
    if (usable(name)) return fs::path(name);
    return std::nullopt;
  }
  std::size_t start = 0;
  while (start <= search_path.size()) {
    std::size_t end = search_path.find(':', start);
    if (end == std::string::npos) end = search_path.size();
    std::string dir = search_path.substr(start, end - start);
    if (dir.empty()) dir = ".";  // POSIX: an empty PATH entry means the current directory
    fs::path candidate = fs::path(dir) / name;
    if (usable(candidate)) return candidate;
    start = end + 1;
  }
  return std::nullopt;
}

JobDirectory::JobDirectory(const fs::path& base, const std::string& prefix) {
  fs::path root = base;
  if (root.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    root = (tmp && *tmp) ? fs::path(tmp) : fs::path("/tmp");
  }
  std::string pattern = (root / (prefix + "XXXXXX")).string();
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (::mkdtemp(buffer.data()) == nullptr) {
    throw std::runtime_error("cannot create a job directory under " + root.string() + ": " +
                             std::strerror(errno));
  }
  path_ = buffer.data();
}

JobDirectory::JobDirectory(JobDirectory&& other) noexcept : path_(std::move(other.path_)) {
  other.path_.clear();
}

JobDirectory::~JobDirectory() {
  if (path_.empty()) return;
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

namespace {

std::vector<std::string> build_environment(const SubprocessRequest& request) {
  std::map<std::string, std::string> merged;
  for (char** e = environ; e && *e; ++e) {
    std::string entry(*e);
    auto eq = entry.find('=');
    if (eq == std::string::npos) continue;
    merged[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  merged["PATH"] = request.search_path;
  for (const auto& [k, v] : request.environment_overrides) merged[k] = v;
  std::vector<std::string> out;
  out.reserve(merged.size());
  for (const auto& [k, v] : merged) out.push_back(k + "=" + v);
  return out;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Child side after fork: only async-signal-safe calls until execve. Reports errno on ERROR_FD.
[[noreturn]] void exec_child(const char* program, char* const* argv, char* const* envp, const char* cwd,
                             int stdout_fd, int stderr_fd, int error_fd, rlim_t as_limit, rlim_t stack_limit,
                             rlim_t cpu_seconds, pid_t parent) {
  auto fail = [&](int stage) {
    int payload[2] = {stage, errno};
    ssize_t ignored = ::write(error_fd, payload, sizeof(payload));
    (void)ignored;
    ::_exit(127);
  };
  ::setpgid(0, 0);
  // Die with the thread that started us: a killed oracle run leaves no xtb burning CPU.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(127);
  // Default signal dispositions and an empty mask (the parent may block signals in worker threads).
  sigset_t empty;
  sigemptyset(&empty);
  ::sigprocmask(SIG_SETMASK, &empty, nullptr);
  for (int s : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD}) ::signal(s, SIG_DFL);
  int devnull = ::open("/dev/null", O_RDONLY);
  if (devnull < 0 || ::dup2(devnull, 0) < 0) fail(1);
  if (::dup2(stdout_fd, 1) < 0 || ::dup2(stderr_fd, 2) < 0) fail(1);
  if (::chdir(cwd) != 0) fail(2);
  if (as_limit != 0) {
    struct rlimit lim {as_limit, as_limit};
    if (::setrlimit(RLIMIT_AS, &lim) != 0) fail(3);
  }
  if (stack_limit != 0) {
    struct rlimit cur {};
    ::getrlimit(RLIMIT_STACK, &cur);
    rlim_t soft = stack_limit;
    if (cur.rlim_max != RLIM_INFINITY && soft > cur.rlim_max) soft = cur.rlim_max;
    struct rlimit lim {soft, cur.rlim_max};
    ::setrlimit(RLIMIT_STACK, &lim);  // best effort
  }
  {
    struct rlimit lim {cpu_seconds, cpu_seconds + 1};
    if (::setrlimit(RLIMIT_CPU, &lim) != 0) fail(3);
  }
  ::execve(program, argv, envp);
  fail(4);
  ::_exit(127);
}

int open_output(const fs::path& path) {
  return ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
}

}  // namespace

SubprocessResult run_subprocess(const SubprocessRequest& request) {
  using clock = std::chrono::steady_clock;
  SubprocessResult result;
  const auto start = clock::now();
  std::string label = request.program;
  std::string stem = request.output_stem.empty() ? fs::path(request.program).filename().string() : request.output_stem;
  result.stdout_path = request.working_directory / (stem + ".stdout");
  result.stderr_path = request.working_directory / (stem + ".stderr");

  auto executable = find_executable(request.program, request.search_path);
  if (!executable) {
    result.outcome = SubprocessOutcome::not_found;
    result.message = label + " not found on PATH";
    return result;
  }
  if (start >= request.deadline) {
    result.outcome = SubprocessOutcome::timed_out;
    result.message = label + " not started: deadline already passed";
    return result;
  }

  // Everything the child needs is built before fork (the child may only make async-signal-safe calls).
  std::string program_path = executable->string();
  std::vector<std::string> argv_strings;
  argv_strings.push_back(request.program);
  argv_strings.insert(argv_strings.end(), request.arguments.begin(), request.arguments.end());
  std::vector<std::string> env_strings = build_environment(request);
  std::vector<char*> argv = c_strings(argv_strings);
  std::vector<char*> envp = c_strings(env_strings);
  std::string cwd = request.working_directory.string();
  double seconds_left = std::chrono::duration<double>(request.deadline - start).count();
  rlim_t cpu_seconds = static_cast<rlim_t>(seconds_left) + 2;

  int out_fd = open_output(result.stdout_path);
  int err_fd = open_output(result.stderr_path);
  int error_pipe[2] = {-1, -1};
  if (out_fd < 0 || err_fd < 0 || ::pipe2(error_pipe, O_CLOEXEC) != 0) {
    result.outcome = SubprocessOutcome::spawn_failed;
    result.message = label + ": cannot open output files in " + cwd + ": " + std::strerror(errno);
    for (int fd : {out_fd, err_fd, error_pipe[0], error_pipe[1]})
      if (fd >= 0) ::close(fd);
    return result;
  }

  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid == 0) {
    exec_child(program_path.c_str(), argv.data(), envp.data(), cwd.c_str(), out_fd, err_fd, error_pipe[1],
               request.address_space_limit_bytes, request.stack_limit_bytes, cpu_seconds, parent);
  }
  int fork_errno = errno;
  ::close(out_fd);
  ::close(err_fd);
  ::close(error_pipe[1]);
  if (pid < 0) {
    ::close(error_pipe[0]);
    result.outcome = SubprocessOutcome::spawn_failed;
    result.message = label + ": fork failed: " + std::strerror(fork_errno);
    return result;
  }
  ::setpgid(pid, pid);  // also from the parent, so a kill of the group can never miss the child

  // The pipe closes on a successful execve (CLOEXEC); otherwise the child wrote {stage, errno}.
  int payload[2] = {0, 0};
  ssize_t got;
  do {
    got = ::read(error_pipe[0], payload, sizeof(payload));
  } while (got < 0 && errno == EINTR);
  ::close(error_pipe[0]);
  if (got == static_cast<ssize_t>(sizeof(payload))) {
    ::waitpid(pid, nullptr, 0);
    std::string stage = payload[0] == 1 ? "redirecting stdin/stdout/stderr"
                        : payload[0] == 2 ? "chdir to " + cwd
                        : payload[0] == 3 ? "setrlimit"
                                          : "execve of " + program_path;
    result.outcome = SubprocessOutcome::spawn_failed;
    result.message = label + ": " + stage + " failed: " + std::strerror(payload[1]);
    result.seconds = std::chrono::duration<double>(clock::now() - start).count();
    return result;
  }

  // Wait for the child's exit without reaping it (WNOWAIT keeps its pid, hence the group id, reserved),
  // until the deadline. pidfd + poll when available, else short sleeps.
  int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  bool exited = false;
  int sleep_ms = 1;
  while (true) {
    siginfo_t info {};
    int rc = ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT);
    if (rc == 0 && info.si_pid == pid) {
      exited = true;
      break;
    }
    if (rc != 0 && errno != EINTR) break;  // should not happen; fall through to kill + reap
    auto now = clock::now();
    if (now >= request.deadline) break;
    int ms_left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(request.deadline - now).count()) + 1;
    if (pidfd >= 0) {
      struct pollfd p {pidfd, POLLIN, 0};
      ::poll(&p, 1, ms_left);
    } else {
      int ms = std::min(sleep_ms, ms_left);
      struct timespec ts {ms / 1000, (ms % 1000) * 1000000L};
      ::nanosleep(&ts, nullptr);
      sleep_ms = std::min(sleep_ms * 2, 20);
    }
  }
  if (pidfd >= 0) ::close(pidfd);
  // Kill the whole group: on timeout this stops the job; after a normal exit it removes stragglers the
  // program may have left behind.
  ::kill(-pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.seconds = std::chrono::duration<double>(clock::now() - start).count();
  if (!exited) {
    result.outcome = SubprocessOutcome::timed_out;
    result.message = label + " killed at the deadline after " + std::to_string(result.seconds).substr(0, 6) + " s";
  } else if (WIFEXITED(status)) {
    result.outcome = SubprocessOutcome::exited;
    result.exit_code = WEXITSTATUS(status);
    result.message = label + " exited with code " + std::to_string(result.exit_code);
  } else if (WIFSIGNALED(status)) {
    result.outcome = SubprocessOutcome::signaled;
    result.signal = WTERMSIG(status);
    result.message = label + " killed by signal " + std::to_string(result.signal) + " (" + ::strsignal(result.signal) + ")";
    if (result.signal == SIGXCPU) result.message += ": CPU time limit";
  }
  return result;
}

}  // namespace retort::chem::oracle
