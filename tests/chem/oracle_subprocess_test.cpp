// Tests of the oracle's subprocess runner: argv passed verbatim (no shell), environment and working
// directory, exit codes and signals, PATH lookup failures, the deadline killing the whole process
// group, rlimits, and job directories being removed.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "chem/oracle/subprocess.h"

namespace fs = std::filesystem;
using namespace retort::chem::oracle;

namespace {

const fs::path kFakeBin = fs::path(RETORT_SOURCE_DIR) / "tests/chem/fake_bin";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

SubprocessRequest request_in(const fs::path& dir, const std::string& program, std::vector<std::string> args,
                             double seconds = 20) {
  SubprocessRequest r;
  r.program = program;
  r.arguments = std::move(args);
  r.working_directory = dir;
  r.search_path = (kFakeBin / "tools").string() + ":/usr/bin:/bin";
  r.environment_overrides = {{"OMP_NUM_THREADS", "1"}};
  r.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(static_cast<long>(seconds * 1000));
  return r;
}

// True when PID is gone or a zombie (a reparented zombie may linger if PID 1 does not reap).
bool process_dead(pid_t pid) {
  if (::kill(pid, 0) != 0) return true;
  std::string stat = slurp("/proc/" + std::to_string(pid) + "/stat");
  auto close = stat.rfind(')');
  return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] == 'Z';
}

}  // namespace

TEST(OracleSubprocess, PassesArgvVerbatimWithSpacesQuotesAndShellCharacters) {
  JobDirectory dir;
  std::vector<std::string> args = {"plain", "two words", "it's \"quoted\"", "$HOME;rm -rf x|`id`", "", "*"};
  SubprocessResult r = run_subprocess(request_in(dir.path(), "print_args", args));
  ASSERT_EQ(r.outcome, SubprocessOutcome::exited) << r.message;
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_FALSE(r.succeeded());
  std::string bin = slurp(dir.path() / "args.bin");
  std::vector<std::string> got;
  std::string current;
  for (char c : bin) {
    if (c == '\0') {
      got.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  EXPECT_EQ(got, args);
  EXPECT_EQ(slurp(dir.path() / "omp.txt"), "1");
  EXPECT_EQ(fs::canonical(fs::path(slurp(dir.path() / "cwd.txt").substr(0, slurp(dir.path() / "cwd.txt").size() - 1))),
            fs::canonical(dir.path()));
  EXPECT_EQ(slurp(r.stdout_path), "to stdout\n");
  EXPECT_EQ(slurp(r.stderr_path), "to stderr\n");
}

TEST(OracleSubprocess, MissingProgramIsTypedNotFound) {
  JobDirectory dir;
  auto req = request_in(dir.path(), "xtb", {"--version"});
  req.search_path = dir.path().string();  // an empty directory
  SubprocessResult r = run_subprocess(req);
  EXPECT_EQ(r.outcome, SubprocessOutcome::not_found);
  EXPECT_EQ(r.message, "xtb not found on PATH");
  EXPECT_FALSE(find_executable("xtb", dir.path().string()).has_value());
  EXPECT_EQ(find_executable("print_args", (kFakeBin / "tools").string()).value(), kFakeBin / "tools/print_args");
  // Not executable -> not found; an empty PATH entry means ".".
  std::ofstream(dir.path() / "plainfile") << "x";
  EXPECT_FALSE(find_executable("plainfile", dir.path().string()).has_value());
}

TEST(OracleSubprocess, DeadlineKillsTheWholeProcessGroup) {
  JobDirectory dir;
  auto req = request_in(dir.path(), "xtb", {}, 0.7);
  req.search_path = (kFakeBin / "sleeping").string() + ":/usr/bin:/bin";
  auto start = std::chrono::steady_clock::now();
  SubprocessResult r = run_subprocess(req);
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(r.outcome, SubprocessOutcome::timed_out) << r.message;
  EXPECT_GE(elapsed, 0.65);
  EXPECT_LT(elapsed, 3.0);  // killed, not waited for (the fake sleeps 300 s)
  std::string pid_text = slurp(dir.path() / "sleeper.pid");
  ASSERT_FALSE(pid_text.empty());
  pid_t sleeper = static_cast<pid_t>(std::stol(pid_text));
  // The background child was in the group: it must die too (give the kernel a moment).
  bool dead = false;
  for (int i = 0; i < 100 && !dead; ++i) {
    dead = process_dead(sleeper);
    if (!dead) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(dead) << "background child " << sleeper << " survived the deadline";
}

TEST(OracleSubprocess, ReportsSignals) {
  JobDirectory dir;
  auto req = request_in(dir.path(), "xtb", {});
  req.search_path = (kFakeBin / "killed").string() + ":/usr/bin:/bin";
  SubprocessResult r = run_subprocess(req);
  EXPECT_EQ(r.outcome, SubprocessOutcome::signaled);
  EXPECT_EQ(r.signal, SIGKILL);
  EXPECT_NE(r.message.find("killed by signal 9"), std::string::npos) << r.message;
}

TEST(OracleSubprocess, AppliesTheAddressSpaceLimit) {
  JobDirectory dir;
  // `sh -c 'ulimit -v'` prints the child's RLIMIT_AS in KiB (sh is the program here, not our runner).
  auto req = request_in(dir.path(), "sh", {"-c", "ulimit -v"});
  req.address_space_limit_bytes = std::size_t(1) << 30;
  SubprocessResult r = run_subprocess(req);
  ASSERT_TRUE(r.succeeded()) << r.message;
  EXPECT_EQ(slurp(r.stdout_path), "1048576\n");
}

TEST(OracleSubprocess, JobDirectoryIsRemovedWithItsContents) {
  fs::path kept;
  {
    JobDirectory dir;
    kept = dir.path();
    ASSERT_TRUE(fs::is_directory(kept));
    fs::create_directories(kept / "sub");
    std::ofstream(kept / "sub" / "file.txt") << "data";
    EXPECT_NE(kept.filename().string().find("retort-oracle-"), std::string::npos);
  }
  EXPECT_FALSE(fs::exists(kept));
}

TEST(OracleSubprocess, PassedDeadlineDoesNotStart) {
  JobDirectory dir;
  auto req = request_in(dir.path(), "print_args", {}, -1);
  SubprocessResult r = run_subprocess(req);
  EXPECT_EQ(r.outcome, SubprocessOutcome::timed_out);
  EXPECT_FALSE(fs::exists(dir.path() / "args.bin"));
}
