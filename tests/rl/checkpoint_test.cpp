// Atomic checkpoints: keep-last-K, a failure between files (exception, injected ENOSPC, a real EFBIG
// from RLIMIT_FSIZE) leaves the previous checkpoint intact and no partial step-N, a SIGKILL at random
// moments of a child writing checkpoints leaves only complete ones, and the trainer state round trip.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include "core/errors.h"
#include "core/rng.h"
#include "rl/checkpoint.h"
#include "rl/optimizer.h"
#include "rl/trainer_state.h"

namespace fs = std::filesystem;
using namespace retort::rl;

namespace {

fs::path fresh_dir(const std::string& name) {
  auto dir = fs::temp_directory_path() / ("retort_ckpt_" + name + "_" + std::to_string(::getpid()));
  remove_tree(dir);
  return dir;
}

// A checkpoint of STEP: three files whose contents name the step (the last one large).
void write_step_files(const fs::path& dir, int64_t step) {
  write_file_durably(dir / "a.txt", "step " + std::to_string(step));
  write_file_durably(dir / "b.bin", std::string(1000, static_cast<char>('a' + step % 26)));
  write_file_durably(dir / "c.bin", std::string(1 << 20, static_cast<char>('A' + step % 26)));
}

// True when DIR holds exactly a complete write_step_files(STEP).
bool complete_step(const fs::path& dir, int64_t step) {
  return read_file_bytes(dir / "a.txt") == "step " + std::to_string(step) &&
         read_file_bytes(dir / "b.bin") == std::string(1000, static_cast<char>('a' + step % 26)) &&
         read_file_bytes(dir / "c.bin") == std::string(1 << 20, static_cast<char>('A' + step % 26));
}

size_t entries_in(const fs::path& dir) {
  return static_cast<size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

}  // namespace

TEST(Checkpoint, KeepsTheLastKAndReplacesAnExistingStep) {
  auto root = fresh_dir("keep");
  CheckpointManager manager(root, 2);
  EXPECT_FALSE(manager.latest().has_value());
  for (int64_t step : {10, 20, 30}) manager.save(step, [&](const fs::path& d) { write_step_files(d, step); });
  EXPECT_EQ(manager.steps(), (std::vector<int64_t>{20, 30}));
  EXPECT_EQ(*manager.latest(), root / "step-30");
  EXPECT_TRUE(complete_step(root / "step-30", 30));
  // Saving step 30 again (e.g. a rerun) swaps it atomically.
  manager.save(30, [&](const fs::path& d) { write_file_durably(d / "a.txt", "again"); });
  EXPECT_EQ(read_file_bytes(root / "step-30" / "a.txt"), "again");
  EXPECT_FALSE(fs::exists(root / "step-30" / "c.bin"));
  EXPECT_EQ(entries_in(root), 2u);  // no staging leftovers
  EXPECT_THROW(CheckpointManager(root, 0), retort::ConfigError);
  remove_tree(root);
}

TEST(Checkpoint, ExceptionBetweenFilesLeavesThePreviousCheckpointIntact) {
  auto root = fresh_dir("throw");
  CheckpointManager manager(root, 3);
  manager.save(1, [&](const fs::path& d) { write_step_files(d, 1); });
  EXPECT_THROW(manager.save(2,
                            [&](const fs::path& d) {
                              write_file_durably(d / "a.txt", "step 2");
                              throw std::runtime_error("killed between files");
                            }),
               std::runtime_error);
  EXPECT_EQ(manager.steps(), (std::vector<int64_t>{1}));
  EXPECT_TRUE(complete_step(root / "step-1", 1));
  EXPECT_EQ(entries_in(root), 1u);
  remove_tree(root);
}

TEST(Checkpoint, InjectedNoSpaceGivesAClearErrorAndKeepsThePrevious) {
  auto root = fresh_dir("enospc");
  CheckpointManager manager(root, 3);
  manager.save(1, [&](const fs::path& d) { write_step_files(d, 1); });
  set_write_fault_for_testing([](const fs::path& p) { return p.filename() == "b.bin" ? ENOSPC : 0; });
  try {
    manager.save(2, [&](const fs::path& d) { write_step_files(d, 2); });
    FAIL();
  } catch (const retort::IoError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("checkpoint: writing "), std::string::npos) << msg;
    EXPECT_NE(msg.find("b.bin: No space left on device (wrote 0 of 1000 bytes)"), std::string::npos) << msg;
  }
  set_write_fault_for_testing(nullptr);
  EXPECT_EQ(manager.steps(), (std::vector<int64_t>{1}));
  EXPECT_TRUE(complete_step(root / "step-1", 1));
  EXPECT_EQ(entries_in(root), 1u);
  remove_tree(root);
}

TEST(Checkpoint, RealWriteFailuresFromTheKernel) {
  // ENOSPC from the kernel: /dev/full.
  try {
    write_file_durably("/dev/full", "x");
    FAIL();
  } catch (const retort::IoError& e) {
    EXPECT_EQ(std::string(e.what()), "checkpoint: writing /dev/full: No space left on device (wrote 0 of 1 bytes)");
  }
  // EFBIG mid-checkpoint: a 64 KiB file-size limit stops the 1 MiB file (SIGXFSZ ignored).
  auto root = fresh_dir("fsize");
  CheckpointManager manager(root, 3);
  manager.save(1, [&](const fs::path& d) { write_step_files(d, 1); });
  struct rlimit old_limit;
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &old_limit), 0);
  auto old_handler = signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = old_limit;
  small.rlim_cur = 64 * 1024;
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  std::string message;
  try {
    manager.save(2, [&](const fs::path& d) { write_step_files(d, 2); });
  } catch (const retort::IoError& e) {
    message = e.what();
  }
  setrlimit(RLIMIT_FSIZE, &old_limit);
  signal(SIGXFSZ, old_handler);
  EXPECT_NE(message.find("c.bin: File too large (wrote 65536 of 1048576 bytes)"), std::string::npos) << message;
  EXPECT_EQ(manager.steps(), (std::vector<int64_t>{1}));
  EXPECT_TRUE(complete_step(root / "step-1", 1));
  remove_tree(root);
}

TEST(Checkpoint, SigkillAtRandomMomentsLeavesOnlyCompleteCheckpoints) {
  auto root = fresh_dir("sigkill");
  std::mt19937 rng(1234);
  int64_t next_step = 1;
  int kills_after_progress = 0;
  int base_ms = 20;  // doubled after a trial that completed nothing (fsync is slow on a busy disk)
  for (int trial = 0; trial < 30 && kills_after_progress < 8; ++trial) {
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {  // writes checkpoints as fast as it can until killed
      CheckpointManager manager(root, 2);
      for (int64_t step = next_step;; ++step) manager.save(step, [&](const fs::path& d) { write_step_files(d, step); });
      _exit(0);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(base_ms + rng() % (3 * base_ms)));
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status));
    CheckpointManager manager(root, 2);
    auto steps = manager.steps();
    for (int64_t step : steps) EXPECT_TRUE(complete_step(manager.path_for(step), step)) << "trial " << trial << " step " << step;
    EXPECT_LE(steps.size(), 3u);  // keep 2 (+1 if killed between the rename and the prune)
    if (steps.empty() || steps.back() < next_step) {
      base_ms = std::min(base_ms * 2, 2000);
      continue;
    }
    ++kills_after_progress;
    next_step = steps.back() + 1;
  }
  EXPECT_GE(kills_after_progress, 8) << "the child rarely completed a checkpoint before being killed";
  // A new save removes staging leftovers of the killed writers.
  CheckpointManager manager(root, 2);
  manager.save(next_step, [&](const fs::path& d) { write_step_files(d, next_step); });
  for (auto& entry : fs::directory_iterator(root))
    EXPECT_EQ(entry.path().filename().string().rfind("step-", 0), 0u) << entry.path();
  remove_tree(root);
}

TEST(TrainerState, RoundTripRestoresEveryStream) {
  auto root = fresh_dir("state");
  retort::RngStreams streams(42);
  streams.stream("data")();
  streams.stream("sampler").discard(7);
  auto w = at::tensor(std::vector<double>{1.0, 2.0}, at::kDouble).requires_grad_(true);
  OptimizerOptions oo;
  oo.lr = 0.1;
  PolicyOptimizer optimizer({w}, oo);
  (w * w).sum().backward();
  optimizer.step();
  at::manual_seed(77);
  at::rand({3});

  TrainerState state;
  state.step = 12;
  state.data_cursor = {{"epoch", 1}, {"position", 345}};
  state.rng = streams.save();
  state.hard_samples = {{"stage", 2}};
  state.extra = {{"optimizer", optimizer.counters_json()}};
  state.optimizer_bytes = optimizer.state_bytes();
  state.torch_rng_bytes = torch_cpu_rng_state();
  CheckpointManager manager(root, 2);
  auto dir = manager.save(state.step, [&](const fs::path& d) { write_trainer_state(d, state); });

  const double next_torch = at::rand({1}).item<double>();
  const uint64_t next_sampler = streams.stream("sampler")();
  auto loaded = read_trainer_state(dir);
  EXPECT_EQ(loaded.step, 12);
  EXPECT_EQ(loaded.data_cursor, state.data_cursor);
  EXPECT_EQ(loaded.hard_samples, state.hard_samples);
  EXPECT_EQ(loaded.optimizer_bytes, state.optimizer_bytes);
  retort::RngStreams restored(42);
  restored.load(loaded.rng);
  EXPECT_EQ(restored.stream("sampler")(), next_sampler);
  set_torch_cpu_rng_state(loaded.torch_rng_bytes);
  EXPECT_EQ(at::rand({1}).item<double>(), next_torch);
  // Errors name the file.
  write_file_durably(dir / "trainer_state.json", "{\"format\": 1}");
  try {
    read_trainer_state(dir);
    FAIL();
  } catch (const retort::IoError& e) {
    EXPECT_NE(std::string(e.what()).find("trainer_state.json: malformed trainer state"), std::string::npos) << e.what();
  }
  fs::remove(dir / "optimizer.pt");
  EXPECT_THROW(read_trainer_state(manager.path_for(99)), retort::IoError);
  remove_tree(root);
}

TEST(Checkpoint, StdFilesystemRemoveAllWorksInATorchBinary) {
  // Regression: libtorch.so exports a std::filesystem::remove_all that crashes with GCC 12's
  // libstdc++; cmake/Dependencies.cmake links libstdc++ ahead of libtorch so the system's is bound.
  auto dir = fresh_dir("std_remove_all");
  fs::create_directories(dir / "a" / "b");
  write_file_durably(dir / "a" / "b" / "f", "x");
  EXPECT_EQ(fs::remove_all(dir), 4u);
  EXPECT_FALSE(fs::exists(dir));
}
