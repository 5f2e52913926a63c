// No space left while checkpointing, through the trainer's checkpoint write path (Trainer::
// save_checkpoint: save_policy into the staging directory, then write_trainer_state with the AdamW
// moments, inside CheckpointManager::save): an injected ENOSPC on optimizer.pt, and a real ENOSPC from
// the kernel on a tiny tmpfs (needs root to mount; skipped with the reason otherwise). Either way the
// error names the file and says "No space left on device", the previous checkpoint stays complete
// and loadable, and no staging directory is left behind.
#include <gtest/gtest.h>

#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>

#include "core/errors.h"
#include "model/checkpoint.h"
#include "model/policy.h"
#include "model/tokenizer.h"
#include "rl/checkpoint.h"
#include "rl/optimizer.h"
#include "rl/trainer.h"
#include "rl/trainer_state.h"

namespace fs = std::filesystem;
using namespace retort;

namespace {

// A policy small enough that a checkpoint is a few hundred KB: the tiny tokenizer's 4096 ids, width 32.
model::Policy small_policy(uint64_t seed) {
  auto tokenizer = model::Tokenizer::tiny_default();
  nlohmann::json overrides = {{"hidden_size", 32}, {"intermediate_size", 64}, {"num_hidden_layers", 1},
                              {"num_attention_heads", 2}, {"num_key_value_heads", 1}};
  return model::Policy::create(rl::tiny_policy_config(tokenizer, overrides, /*vision=*/false), seed);
}

// One optimiser step so that optimizer.pt holds real moments.
std::string trained_optimizer_bytes(model::Policy& policy) {
  policy.set_requires_grad(true);
  rl::PolicyOptimizer optimizer(policy.parameters(), rl::OptimizerOptions{});
  at::Tensor loss = at::zeros({});
  for (auto& p : policy.parameters()) loss = loss + p.pow(2).sum();
  loss.backward();
  optimizer.step(loss.item<double>());
  return optimizer.state_bytes();
}

// The trainer's save: the policy in Hugging Face layout at the top of the step, then trainer state.
void save_like_the_trainer(rl::CheckpointManager& manager, int64_t step, const model::Policy& policy,
                           const std::string& optimizer_bytes) {
  manager.save(step, [&](const fs::path& staging) {
    fs::path hf = staging / "hf";
    model::SaveOptions options;
    options.tokenizer_json = model::Tokenizer::tiny_default_path();
    model::save_policy(policy, hf.string(), options);
    for (const auto& entry : fs::directory_iterator(hf)) fs::rename(entry.path(), staging / entry.path().filename());
    fs::remove(hf);
    rl::TrainerState state;
    state.step = step;
    state.data_cursor = {{"epoch", 0}, {"position", step * 4}};
    state.optimizer_bytes = optimizer_bytes;
    state.torch_rng_bytes = rl::torch_cpu_rng_state();
    rl::write_trainer_state(staging, state);
  });
}

// Step STEP under MANAGER is complete: the policy loads with the saved weights, the state reads back.
void expect_intact(const rl::CheckpointManager& manager, int64_t step, const model::Policy& saved,
                   const std::string& optimizer_bytes) {
  const fs::path dir = manager.path_for(step);
  model::Policy loaded = model::load_policy(dir.string());
  auto want = saved.checkpoint_tensors();
  auto got = loaded.checkpoint_tensors();
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].first, want[i].first);
    EXPECT_TRUE(at::equal(got[i].second, want[i].second)) << want[i].first;
  }
  rl::TrainerState state = rl::read_trainer_state(dir);
  EXPECT_EQ(state.step, step);
  EXPECT_EQ(state.optimizer_bytes, optimizer_bytes);
}

// Entries of ROOT other than step-N directories (staging leftovers).
std::vector<std::string> leftovers(const fs::path& root) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(root))
    if (e.path().filename().string().rfind("step-", 0) != 0) out.push_back(e.path().filename().string());
  return out;
}

uint64_t tree_bytes(const fs::path& dir) {
  uint64_t total = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) total += e.file_size();
  return total;
}

struct TempDir {
  fs::path path;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "retort-enospc-XXXXXX").string();
    path = ::mkdtemp(pattern.data());
  }
  ~TempDir() { rl::remove_tree(path); }
};

}  // namespace

TEST(CheckpointNoSpace, InjectedOnOptimizerStateKeepsThePreviousCheckpoint) {
  TempDir tmp;
  rl::CheckpointManager manager(tmp.path / "checkpoints", 2);
  model::Policy policy = small_policy(1);
  const std::string optimizer_bytes = trained_optimizer_bytes(policy);
  save_like_the_trainer(manager, 1, policy, optimizer_bytes);

  model::Policy later = small_policy(2);
  rl::set_write_fault_for_testing([](const fs::path& p) { return p.filename() == "optimizer.pt" ? ENOSPC : 0; });
  try {
    save_like_the_trainer(manager, 2, later, optimizer_bytes);
    ADD_FAILURE() << "no error";
  } catch (const IoError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("optimizer.pt"), std::string::npos) << message;
    EXPECT_NE(message.find(std::strerror(ENOSPC)), std::string::npos) << message;
  }
  rl::set_write_fault_for_testing(nullptr);
  EXPECT_EQ(manager.steps(), std::vector<int64_t>{1});
  EXPECT_EQ(leftovers(manager.root()), std::vector<std::string>{});
  expect_intact(manager, 1, policy, optimizer_bytes);
  // With space back, the run goes on.
  save_like_the_trainer(manager, 2, later, optimizer_bytes);
  EXPECT_EQ(manager.steps(), (std::vector<int64_t>{1, 2}));
  expect_intact(manager, 2, later, optimizer_bytes);
}

TEST(CheckpointNoSpace, RealTinyTmpfsKeepsThePreviousCheckpoint) {
  TempDir tmp;
  model::Policy policy = small_policy(1);
  const std::string optimizer_bytes = trained_optimizer_bytes(policy);
  // Size of one checkpoint, measured on the normal file system.
  uint64_t one_checkpoint = 0, weights = 0;
  {
    rl::CheckpointManager probe(tmp.path / "probe", 1);
    save_like_the_trainer(probe, 1, policy, optimizer_bytes);
    one_checkpoint = tree_bytes(probe.path_for(1));
    weights = fs::file_size(probe.path_for(1) / "model.safetensors");
  }
  // Room for one checkpoint and half of the next one's weights: the second save runs out of space while
  // writing model.safetensors.
  const fs::path mount_point = tmp.path / "tiny";
  fs::create_directories(mount_point);
  const uint64_t page = 4096, slack = 64 * 1024;
  const uint64_t size = ((one_checkpoint + weights / 2 + slack) / page + 1) * page;
  const std::string options = "size=" + std::to_string(size);
  if (::mount("tmpfs", mount_point.c_str(), "tmpfs", 0, options.c_str()) != 0)
    GTEST_SKIP() << "cannot mount a tmpfs here (" << std::strerror(errno)
                 << "; needs root): the injected-ENOSPC test covers the logic";
  struct Unmount {
    fs::path at;
    ~Unmount() { ::umount2(at.c_str(), MNT_DETACH); }
  } unmount{mount_point};

  rl::CheckpointManager manager(mount_point / "checkpoints", 1);
  save_like_the_trainer(manager, 1, policy, optimizer_bytes);
  struct statvfs before {};
  ::statvfs(mount_point.c_str(), &before);

  model::Policy later = small_policy(2);
  try {
    save_like_the_trainer(manager, 2, later, optimizer_bytes);
    ADD_FAILURE() << "no error although the tmpfs holds " << size << " bytes";
  } catch (const std::exception& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("model.safetensors"), std::string::npos) << message;
    EXPECT_NE(message.find(std::strerror(ENOSPC)), std::string::npos) << message;
  }
  EXPECT_EQ(manager.steps(), std::vector<int64_t>{1});
  EXPECT_EQ(leftovers(manager.root()), std::vector<std::string>{});
  expect_intact(manager, 1, policy, optimizer_bytes);
  // The failed attempt's files are gone: the free space is what it was after step 1.
  struct statvfs after {};
  ::statvfs(mount_point.c_str(), &after);
  EXPECT_EQ(after.f_bfree, before.f_bfree);
}

// The JSON files of a checkpoint (config.json first) failing to write: the error names the file and the
// system's reason (it used to say only "write failed"), and no staging directory is left. The failure
// comes from a file-size limit (RLIMIT_FSIZE, SIGXFSZ ignored: write(2) fails with EFBIG), which needs
// no privileges; it is lifted again before anything else runs.
TEST(CheckpointNoSpace, JsonWriteFailureSaysWhichFileAndWhy) {
  TempDir tmp;
  model::Policy policy = small_policy(1);
  struct rlimit before {};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &before), 0);
  auto previous_handler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit tiny = before;
  tiny.rlim_cur = 16;  // config.json is several hundred bytes
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &tiny), 0);
  std::string message = "(no error)";
  try {
    model::save_policy(policy, (tmp.path / "hf").string());
  } catch (const IoError& e) {
    message = e.what();
  }
  ::setrlimit(RLIMIT_FSIZE, &before);
  std::signal(SIGXFSZ, previous_handler);
  EXPECT_NE(message.find("config.json: write failed: "), std::string::npos) << message;
  EXPECT_NE(message.find(std::strerror(EFBIG)), std::string::npos) << message;
  EXPECT_FALSE(fs::exists(tmp.path / "hf"));
  EXPECT_EQ(leftovers(tmp.path), std::vector<std::string>{}) << "no staging directory left";
  // With the limit lifted the same save works.
  model::save_policy(policy, (tmp.path / "hf").string());
  EXPECT_TRUE(fs::exists(tmp.path / "hf" / "config.json"));
}
