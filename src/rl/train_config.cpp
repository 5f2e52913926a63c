// TrainConfig::from: one place that names every key a train config may hold, with its default and bounds.
#include "rl/train_config.h"

namespace retort::rl {
namespace {

OptimizerOptions read_optimizer(const Config& c, const std::string& prefix, double default_lr, int64_t steps) {
  OptimizerOptions o;
  o.lr = c.get_double(prefix + ".lr", default_lr, 0.0);
  o.weight_decay = c.get_double(prefix + ".weight_decay", 0.0, 0.0);
  o.warmup_steps = c.get_int(prefix + ".warmup_steps", 0, 0);
  o.schedule = c.get_string(prefix + ".schedule", "cosine", {"cosine", "constant"});
  o.min_lr_ratio = c.get_double(prefix + ".min_lr_ratio", 0.1, 0.0, 1.0);
  o.max_grad_norm = c.get_double(prefix + ".max_grad_norm", 1.0);
  o.max_consecutive_bad_steps = c.get_int(prefix + ".max_consecutive_bad_steps", 5, 1);
  o.total_steps = steps;
  return o;
}

}  // namespace

TrainConfig TrainConfig::from(const Config& c) {
  TrainConfig t;
  t.name = c.get_string("name");
  t.run_dir = c.get_string("run_dir", "runs/" + t.name);
  t.seed = static_cast<uint64_t>(c.get_int("seed", 0, 0));
  t.threads = static_cast<int>(c.get_int("threads", 0, 0, 256));

  t.model.init = c.get_string("model.init", "tiny");
  t.model.tiny = c.get_json("model.tiny", nlohmann::json::object());
  if (!t.model.tiny.is_object()) c.fail("model.tiny", "must be an object of architecture overrides");
  t.model.vision = c.get_bool("model.vision", true);
  t.model.dtype = c.get_string("model.dtype", "float32", {"float32", "bfloat16"});
  t.model.device = c.get_string("model.device", "cpu", {"cpu", "cuda"});

  t.data.train = c.get_string("data.train");
  t.data.eval = c.get_string("data.eval", "");
  t.data.eval_limit = c.get_int("data.eval_limit", 0, 0);
  t.data.images = c.get_bool("data.images", true);
  t.data.balance_labels = c.get_bool("data.balance_labels", false);
  t.data.system_prompt = c.get_string(
      "data.system_prompt", "You are a chemist. Think step by step inside <think></think>, then answer inside <answer></answer>.");

  t.sft.steps = c.get_int("sft.steps", 0, 0);
  t.sft.batch_size = c.get_int("sft.batch_size", 8, 1);
  t.sft.trace_length = c.get_string("sft.trace_length", "brief", {"full", "brief"});
  t.sft.optimizer = read_optimizer(c, "sft", 1e-3, t.sft.steps);

  t.rl.steps = c.get_int("rl.steps", 0, 0);
  t.rl.prompts_per_step = c.get_int("rl.prompts_per_step", 4, 1);
  t.rl.group_size = c.get_int("rl.group_size", 8, 2);
  t.rl.epochs = c.get_int("rl.epochs", 1, 1);
  t.rl.micro_batch_size = c.get_int("rl.micro_batch_size", 8, 1);
  t.rl.advantage = c.get_string("rl.advantage", "grpo");
  t.rl.loss = c.get_string("rl.loss", "dapo");
  t.rl.aggregation = c.get_string("rl.aggregation", "");
  t.rl.scaling = c.get_string("rl.scaling", "", {"", "group", "batch", "none"});
  t.rl.kl_coef = c.get_double("rl.kl_coef", 0.0, 0.0);
  t.rl.kl_estimator = c.get_string("rl.kl_estimator", "k3", {"k1", "k2", "k3"});
  t.rl.entropy_coef = c.get_double("rl.entropy_coef", 0.0);
  t.rl.old_logprobs = c.get_string("rl.old_logprobs", "sampler", {"sampler", "recompute"});
  t.rl.dynamic_sampling = c.get_bool("rl.dynamic_sampling", false);
  t.rl.overlong_buffer = c.get_int("rl.overlong_buffer", 0, 0);
  t.rl.max_new_tokens = c.get_int("rl.max_new_tokens", 128, 1);
  t.rl.temperature = c.get_double("rl.temperature", 1.0, 0.0);
  t.rl.top_p = c.get_double("rl.top_p", 1.0, 0.0, 1.0);
  t.rl.min_p = c.get_double("rl.min_p", 0.0, 0.0, 1.0);
  t.rl.top_k = c.get_int("rl.top_k", 0, 0);
  t.rl.optimizer = read_optimizer(c, "rl", 1e-4, t.rl.steps);
  if (t.rl.overlong_buffer >= t.rl.max_new_tokens)
    c.fail("rl.overlong_buffer", "must be < rl.max_new_tokens (" + std::to_string(t.rl.max_new_tokens) + ")");

  t.eval.max_new_tokens = c.get_int("eval.max_new_tokens", t.rl.max_new_tokens, 1);
  t.eval.batch_size = c.get_int("eval.batch_size", 16, 1);
  t.eval.at_stage_ends = c.get_bool("eval.at_stage_ends", true);

  t.reward = c.get_json("reward", nlohmann::json::object());
  t.checkpoint_every = c.get_int("checkpoint.every", 0, 0);
  t.checkpoint_keep = c.get_int("checkpoint.keep", 2, 1);
  t.samples_per_step = c.get_int("log.samples_per_step", 2, 0);
  t.tools = read_tool_settings(c);
  if (t.total_steps() == 0) c.fail("sft.steps", "sft.steps + rl.steps must be > 0");
  return t;
}

}  // namespace retort::rl
