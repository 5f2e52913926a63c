// Exact resume after SIGKILL, through the built `retort train` binary: a small SFT -> RL run goes to
// completion once; the same command in a fresh run directory is SIGKILLed at five random moments
// (re-run after each kill) and then left to finish. Its metrics.jsonl must equal the uninterrupted
// run's line for line (every metric except timing_s/* and perf/*), with no duplicated or missing
// step, and samples.jsonl likewise.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/support/retort_binary.h"

namespace fs = std::filesystem;

namespace {

using retort::testing::retort_binary;

// Starts `retort train CONFIG --set run_dir=RUN_DIR` with output to LOG; returns the child's pid.
pid_t start_train(const fs::path& binary, const fs::path& config, const fs::path& run_dir, const fs::path& log) {
  pid_t pid = ::fork();
  if (pid == 0) {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) ::dup2(fd, 1), ::dup2(fd, 2);
    std::string set = "run_dir=" + run_dir.string();
    ::execl(binary.c_str(), binary.c_str(), "train", config.c_str(), "--set", set.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  return pid;
}

int wait_exit_code(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

std::vector<nlohmann::json> read_jsonl(const fs::path& path) {
  std::vector<nlohmann::json> out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
  return out;
}

// The line without wall-clock figures (timing_s/*, perf/*).
nlohmann::json without_timing(nlohmann::json line) {
  for (auto it = line.begin(); it != line.end();) {
    if (it.key().rfind("timing_s/", 0) == 0 || it.key().rfind("perf/", 0) == 0) it = line.erase(it);
    else ++it;
  }
  return line;
}

std::string log_tail(const fs::path& log) {
  std::ifstream in(log);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return text.size() > 2000 ? text.substr(text.size() - 2000) : text;
}

}  // namespace

TEST(SigkillResume, FiveKillsThenFinishReproducesTheUninterruptedMetrics) {
  fs::path binary = retort_binary();
  ASSERT_FALSE(binary.empty()) << "the retort binary is not built next to test_rl (build the `retort` target, or set RETORT_BINARY)";
  fs::path dir = fs::temp_directory_path() / ("retort_sigkill_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  {
    std::ofstream data(dir / "train.jsonl");
    const char* smiles[] = {"CCO", "c1ccccc1O", "CC(=O)Oc1ccccc1C(=O)O", "CCN(CC)CC", "OC(=O)CCC(=O)O", "c1ccncc1"};
    for (int i = 0; i < 6; ++i)
      data << nlohmann::json{{"id", "m" + std::to_string(i)}, {"task", "bbbp"}, {"smiles", smiles[i]},
                             {"prompt", std::string("SMILES: ") + smiles[i] + "\nDoes this molecule penetrate the "
                                        "blood-brain barrier? Think inside <think>...</think>, then give yes or no inside "
                                        "<answer>...</answer>."},
                             {"answer", i % 2 == 0}}.dump()
           << "\n";
  }
  nlohmann::json config = {
      {"name", "sigkill"},
      {"seed", 11},
      {"threads", 1},
      {"model", {{"init", "tiny"}, {"vision", false},
                 {"tiny", {{"hidden_size", 64}, {"intermediate_size", 128}, {"num_hidden_layers", 2},
                           {"num_attention_heads", 4}, {"num_key_value_heads", 2}, {"head_dim", 16}}}}},
      {"data", {{"train", (dir / "train.jsonl").string()}, {"images", false}}},
      {"sft", {{"steps", 6}, {"batch_size", 4}, {"lr", 0.003}}},
      {"rl", {{"steps", 14}, {"prompts_per_step", 2}, {"group_size", 4}, {"micro_batch_size", 4}, {"epochs", 2},
              {"max_new_tokens", 24}, {"lr", 0.001}, {"dynamic_sampling", true}, {"max_refill_rounds", 1},
              {"hard_sample_mining", {{"min_attempts", 4}, {"stage2_step", 5}}}}},
      {"checkpoint", {{"every", 1}, {"keep", 2}}},
      {"log", {{"samples_per_step", 2}}}};
  std::ofstream(dir / "config.json") << config.dump(2);

  // The uninterrupted run.
  auto t0 = std::chrono::steady_clock::now();
  int code = wait_exit_code(start_train(binary, dir / "config.json", dir / "whole", dir / "whole.log"));
  double full_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_EQ(code, 0) << log_tail(dir / "whole.log");
  auto expected = read_jsonl(dir / "whole" / "metrics.jsonl");
  ASSERT_EQ(expected.size(), 20u);

  // Five SIGKILLs at random moments of runs still in progress, then a run to the end.
  std::random_device device;
  const unsigned seed = device();
  std::mt19937 rng(seed);
  // Each rerun resumes from the last checkpoint, so it has less left to do: kill early enough that
  // five kills land before the run can finish.
  std::uniform_real_distribution<double> moment(0.05, 0.3);
  int kills = 0, attempts = 0;
  std::string kill_times;
  while (kills < 5 && attempts++ < 40) {
    pid_t pid = start_train(binary, dir / "config.json", dir / "killed", dir / "killed.log");
    double delay = moment(rng) * full_seconds;
    std::this_thread::sleep_for(std::chrono::duration<double>(delay));
    if (::waitpid(pid, nullptr, WNOHANG) == pid) break;  // it finished first: the run is complete
    ::kill(pid, SIGKILL);
    wait_exit_code(pid);
    ++kills;
    char buf[32];
    std::snprintf(buf, sizeof buf, " %.2fs", delay);
    kill_times += buf;
  }
  std::printf("[sigkill] uninterrupted run %.1f s; %d kills at%s (seed %u)\n", full_seconds, kills, kill_times.c_str(), seed);
  EXPECT_GE(kills, 3) << "too few kills landed inside a run";
  code = wait_exit_code(start_train(binary, dir / "config.json", dir / "killed", dir / "killed.log"));
  ASSERT_EQ(code, 0) << log_tail(dir / "killed.log");

  auto got = read_jsonl(dir / "killed" / "metrics.jsonl");
  ASSERT_EQ(got.size(), expected.size()) << "duplicated or missing steps after resume";
  for (size_t i = 0; i < expected.size(); ++i)
    EXPECT_EQ(without_timing(got[i]).dump(), without_timing(expected[i]).dump()) << "metrics line " << i + 1;
  auto expected_samples = read_jsonl(dir / "whole" / "samples.jsonl");
  auto got_samples = read_jsonl(dir / "killed" / "samples.jsonl");
  ASSERT_EQ(got_samples.size(), expected_samples.size());
  for (size_t i = 0; i < expected_samples.size(); ++i) EXPECT_EQ(got_samples[i].dump(), expected_samples[i].dump());
  if (!HasFailure()) fs::remove_all(dir);
}
