// Checkpoints: save/load round trip (HF names, tokenizer files, generation config), sharded
// checkpoints through the index, atomic replacement, and clear errors for missing/mis-shaped
// tensors and hostile shard names.
#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include <fstream>

#include "core/errors.h"
#include "model/checkpoint.h"
#include "model/safetensors.h"
#include "model/safetensors_tensor.h"
#include "model/tiny_config.h"
#include "model_test_support.h"

using namespace retort::model;
using retort::model::testing::fresh_dir;
using retort::model::testing::max_abs_diff;

namespace {

Qwen2Config config_for_checkpoints() {
  Qwen2Config c;
  c.vocab_size = 61;
  c.hidden_size = 32;
  c.intermediate_size = 48;
  c.num_hidden_layers = 2;
  c.num_attention_heads = 4;
  c.num_key_value_heads = 1;
  c.head_dim = 8;
  c.initializer_range = 0.1;
  c.eos_token_id = 2;
  return c;
}

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(Checkpoint, SaveLoadRoundTripInHuggingFaceLayout) {
  Policy policy = Policy::create(config_for_checkpoints(), 1);
  auto dir = fresh_dir("roundtrip");
  SaveOptions options;
  options.tokenizer_json = Tokenizer::tiny_default_path();
  save_policy(policy, (dir / "ckpt").string(), options);
  for (const char* f : {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "generation_config.json"})
    EXPECT_TRUE(std::filesystem::exists(dir / "ckpt" / f)) << f;
  EXPECT_EQ(read_text(dir / "ckpt" / "tokenizer.json"), read_text(Tokenizer::tiny_default_path()));
  auto generation = nlohmann::json::parse(read_text(dir / "ckpt" / "generation_config.json"));
  EXPECT_EQ(generation["eos_token_id"], 2);
  // Hugging Face tensor names, q/k/v split out of the fused weight.
  auto file = safetensors::File::open((dir / "ckpt" / "model.safetensors").string());
  ASSERT_NE(file->find("model.layers.1.self_attn.k_proj.weight"), nullptr);
  EXPECT_EQ(file->find("model.layers.1.self_attn.k_proj.weight")->shape, (std::vector<int64_t>{8, 32}));
  EXPECT_NE(file->find("model.layers.0.mlp.up_proj.weight"), nullptr);
  EXPECT_NE(file->find("lm_head.weight"), nullptr);

  Policy loaded = load_policy((dir / "ckpt").string());
  at::Tensor ids = at::randint(0, 61, {2, 5}, at::TensorOptions().dtype(at::kLong));
  EXPECT_EQ(max_abs_diff(loaded.logits(ids), policy.logits(ids)), 0.0);

  // bf16 save: the config says so and the weights are bf16.
  options.dtype = at::kBFloat16;
  save_policy(policy, (dir / "bf16").string(), options);
  EXPECT_EQ(nlohmann::json::parse(read_text(dir / "bf16" / "config.json"))["torch_dtype"], "bfloat16");
  Policy from_bf16 = load_policy((dir / "bf16").string());
  EXPECT_LT(max_abs_diff(from_bf16.logits(ids), policy.logits(ids)), 0.05);
  std::filesystem::remove_all(dir);
}

TEST(Checkpoint, ShardedCheckpointLoadsThroughTheIndex) {
  Policy policy = Policy::create(config_for_checkpoints(), 2);
  auto dir = fresh_dir("sharded");
  SaveOptions options;
  options.max_shard_bytes = 16 * 1024;
  save_policy(policy, (dir / "ckpt").string(), options);
  EXPECT_FALSE(std::filesystem::exists(dir / "ckpt" / "model.safetensors"));
  ASSERT_TRUE(std::filesystem::exists(dir / "ckpt" / "model.safetensors.index.json"));
  int shards = 0;
  for (auto& e : std::filesystem::directory_iterator(dir / "ckpt")) shards += e.path().extension() == ".safetensors";
  EXPECT_GT(shards, 2);
  Policy loaded = load_policy((dir / "ckpt").string());
  at::Tensor ids = at::randint(0, 61, {1, 7}, at::TensorOptions().dtype(at::kLong));
  EXPECT_EQ(max_abs_diff(loaded.logits(ids), policy.logits(ids)), 0.0);

  // A hostile index pointing outside the checkpoint is refused.
  auto index = nlohmann::json::parse(read_text(dir / "ckpt" / "model.safetensors.index.json"));
  index["weight_map"]["model.norm.weight"] = "../../etc/passwd";
  std::ofstream(dir / "ckpt" / "model.safetensors.index.json") << index.dump();
  try {
    load_policy((dir / "ckpt").string());
    FAIL();
  } catch (const retort::DataError& e) {
    EXPECT_NE(std::string(e.what()).find("is not a plain file name"), std::string::npos) << e.what();
  }
  std::filesystem::remove_all(dir);
}

TEST(Checkpoint, SavingReplacesAnExistingDirectoryAtomically) {
  auto dir = fresh_dir("atomic");
  Policy a = Policy::create(config_for_checkpoints(), 3), b = Policy::create(config_for_checkpoints(), 4);
  save_policy(a, (dir / "ckpt").string());
  std::ofstream(dir / "ckpt" / "stale.txt") << "old";
  save_policy(b, (dir / "ckpt").string());
  EXPECT_FALSE(std::filesystem::exists(dir / "ckpt" / "stale.txt"));
  int entries = 0;
  for (auto& e : std::filesystem::directory_iterator(dir)) ++entries, (void)e;
  EXPECT_EQ(entries, 1);  // no temp or old directory left behind
  at::Tensor ids = at::randint(0, 61, {1, 4}, at::TensorOptions().dtype(at::kLong));
  EXPECT_EQ(max_abs_diff(load_policy((dir / "ckpt").string()).logits(ids), b.logits(ids)), 0.0);
  std::filesystem::remove_all(dir);
}

TEST(Checkpoint, MissingOrMisShapedTensorsAreNamed) {
  auto dir = fresh_dir("broken");
  Policy policy = Policy::create(config_for_checkpoints(), 5);
  save_policy(policy, (dir / "ckpt").string());
  auto tensors = load_safetensors((dir / "ckpt" / "model.safetensors").string());
  std::vector<std::pair<std::string, at::Tensor>> kept;
  for (auto& [name, t] : tensors)
    if (name != "model.layers.1.mlp.down_proj.weight") kept.emplace_back(name, t);
  save_safetensors((dir / "ckpt" / "model.safetensors").string(), kept);
  try {
    load_policy((dir / "ckpt").string());
    FAIL();
  } catch (const retort::DataError& e) {
    EXPECT_NE(std::string(e.what()).find("tensor 'model.layers.1.mlp.down_proj.weight' is missing"), std::string::npos) << e.what();
  }
  kept.emplace_back("model.layers.1.mlp.down_proj.weight", at::zeros({32, 47}));
  save_safetensors((dir / "ckpt" / "model.safetensors").string(), kept);
  try {
    load_policy((dir / "ckpt").string());
    FAIL();
  } catch (const retort::DataError& e) {
    EXPECT_NE(std::string(e.what()).find("model.safetensors: tensor 'model.layers.1.mlp.down_proj.weight': shape (32,47,)"),
              std::string::npos) << e.what();
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
