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

// A feature section such as rl.hints: absent = off; true/false; or an object of settings ("enabled"
// defaults to true there). Returns whether the feature is on; settings are then read by the caller.
bool read_feature_switch(const Config& c, const std::string& key) {
  const nlohmann::json* node = &c.root();
  for (const auto& part : split_key(key)) {
    if (!node->is_object() || !node->contains(part)) return false;
    node = &(*node)[part];
  }
  if (node->is_boolean()) return c.get_bool(key);
  if (!node->is_object()) c.fail(key, "must be an object of settings or true/false, got " + node->dump());
  return c.get_bool(key + ".enabled", true);
}

void read_hard_sample_mining(const Config& c, RlSettings& rl) {
  const std::string p = "rl.hard_sample_mining";
  auto& h = rl.hard_sample_mining;
  h.enabled = read_feature_switch(c, p);
  HardSampleOptions d;
  h.options.pass_threshold = c.get_double(p + ".pass_threshold", d.pass_threshold);
  h.options.hard_pass_rate = c.get_double(p + ".hard_pass_rate", d.hard_pass_rate, 0.0, 1.0);
  h.options.min_attempts = c.get_int(p + ".min_attempts", d.min_attempts, 1);
  h.options.oversample_factor = c.get_double(p + ".oversample_factor", d.oversample_factor, 0.0);
  h.options.hard_group_size = c.get_int(p + ".hard_group_size", d.hard_group_size, 0);
  if (h.options.hard_group_size == 1) c.fail(p + ".hard_group_size", "must be 0 (the normal group size) or >= 2");
  h.options.sparse_window = c.get_int(p + ".sparse_window", d.sparse_window, 1);
  h.options.sparse_pass_rate = c.get_double(p + ".sparse_pass_rate", d.sparse_pass_rate, 0.0, 1.0);
  h.stage2_step = c.get_int(p + ".stage2_step", 0, 0);
}

void read_hints(const Config& c, RlSettings& rl) {
  const std::string p = "rl.hints";
  rl.hints.enabled = read_feature_switch(c, p);
  rl.hints.patience = c.get_int(p + ".patience", 1, 1);
  rl.hints.warmup_fraction = c.get_double(p + ".warmup_fraction", 0.15, 0.0, 1.0);
  rl.hints.meta_key = c.get_string(p + ".meta_key", "hints");
}

void read_likelihood_reward(const Config& c, RlSettings& rl) {
  const std::string p = "rl.likelihood_reward";
  auto& l = rl.likelihood_reward;
  l.kind = c.get_string(p + ".kind", "none", {"none", "log_prob", "verifree", "rlpr"});
  l.weight = c.get_double(p + ".weight", 1.0);
  l.per_token = c.get_bool(p + ".per_token", true);
  l.format_bonus = c.get_double(p + ".format_bonus", 0.1);
  l.std_filter = c.get_bool(p + ".std_filter", false);
  l.answer_gradient = c.get_bool(p + ".answer_gradient", true);
  if (l.std_filter && l.kind != "rlpr") c.fail(p + ".std_filter", "is RLPR's filter: needs kind \"rlpr\"");
}

void read_noisy_verifier(const Config& c, RlSettings& rl) {
  const std::string p = "rl.noisy_verifier";
  auto& n = rl.noisy_verifier;
  n.correction = c.get_string(p + ".correction", "none", {"none", "backward", "forward"});
  n.false_positive_rate = c.get_double(p + ".false_positive_rate", 0.0, 0.0, 1.0);
  n.false_negative_rate = c.get_double(p + ".false_negative_rate", 0.0, 0.0, 1.0);
  if (n.false_positive_rate + n.false_negative_rate >= 1.0)
    c.fail(p, "false_positive_rate + false_negative_rate must be < 1");
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
  t.model.autocast = c.get_string("model.autocast", "auto", {"auto", "bf16", "none"});

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
  t.rl.max_refill_rounds = c.get_int("rl.max_refill_rounds", 4, 0, 1000);
  t.rl.overlong_buffer = c.get_int("rl.overlong_buffer", 0, 0);
  t.rl.max_new_tokens = c.get_int("rl.max_new_tokens", 128, 1);
  t.rl.temperature = c.get_double("rl.temperature", 1.0, 0.0);
  t.rl.top_p = c.get_double("rl.top_p", 1.0, 0.0, 1.0);
  t.rl.min_p = c.get_double("rl.min_p", 0.0, 0.0, 1.0);
  t.rl.top_k = c.get_int("rl.top_k", 0, 0);
  t.rl.optimizer = read_optimizer(c, "rl", 1e-4, t.rl.steps);
  read_hard_sample_mining(c, t.rl);
  read_hints(c, t.rl);
  read_likelihood_reward(c, t.rl);
  read_noisy_verifier(c, t.rl);
  t.rl.sar_weight = c.get_double("rl.sar_weight", 0.0, 0.0);
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
  if (t.rl.loss == "real" && t.rl.hard_sample_mining.options.hard_group_size > 0)
    c.fail("rl.hard_sample_mining.hard_group_size", "the `real` loss needs equal groups per micro-batch; use 0 with it");
  if (t.total_steps() == 0) c.fail("sft.steps", "sft.steps + rl.steps must be > 0");
  return t;
}

}  // namespace retort::rl
