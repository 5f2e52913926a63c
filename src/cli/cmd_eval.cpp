// `retort eval`: metrics of a checkpoint on the config's eval split (greedy decoding).
#include <cstdio>

#include "chem/verifiers/verifiers.h"
#include "cli/commands.h"
#include "core/config.h"
#include "core/reward_spec.h"
#include "med/verifiers.h"
#include "model/checkpoint.h"
#include "rl/train_config.h"
#include "rl/trainer.h"

namespace retort::cli {
namespace {

int run(const std::vector<std::string>& argv) {
  Args args(argv);
  args.allow_only({"set", "checkpoint", "limit"});
  if (args.positionals().size() != 1) throw UsageError("expected exactly one CONFIG.json");
  std::string checkpoint = args.require("checkpoint");
  Config config = Config::load(args.positionals()[0]);
  for (const auto& assignment : args.all("set")) config.apply_override(assignment);
  rl::TrainConfig train = rl::TrainConfig::from(config);
  if (train.data.eval.empty()) throw UsageError("the config has no data.eval split");
  auto examples = rl::load_examples(train.data.eval);
  int limit = args.get_int("limit", static_cast<int>(train.data.eval_limit));
  if (limit > 0 && static_cast<int>(examples.size()) > limit) examples.resize(limit);

  auto tokenizer = model::Tokenizer::from_file(checkpoint + "/tokenizer.json");
  model::Policy policy = model::load_policy(checkpoint);
  int64_t image_tokens = train.data.images && policy.has_vision() ? policy.vision()->config().num_patches() : 0;
  rl::PromptBuilder prompts(tokenizer, train.data.system_prompt, image_tokens);
  if (train.tools.enabled) prompts.set_tools(train.tools);  // tools.* as in training (--set tools.enabled=false: none)
  auto& registry = VerifierRegistry::instance();
  chem::register_verifiers(registry);
  med::register_verifiers(registry);
  LineScorer scorer(registry, train.reward.empty() ? RewardSpec::defaults() : RewardSpec::from_json(train.reward, "reward"));
  auto result = rl::evaluate_policy(policy, prompts, scorer, examples, train.eval.max_new_tokens, train.eval.batch_size);
  std::printf("%s\n", nlohmann::json(result.metrics).dump(2).c_str());
  return 0;
}

}  // namespace

Command eval_command() {
  return {"eval", "metrics on the eval split (accuracy, RMSE, ROC-AUC, format, claims)",
          "usage: retort eval CONFIG.json --checkpoint DIR [--limit N] [--set key=value ...]\n"
          "\n"
          "Evaluates the checkpoint DIR (Hugging Face layout, e.g. runs/NAME/checkpoints/step-N) on\n"
          "CONFIG.json's data.eval split with greedy decoding and prints the metrics as JSON:\n"
          "accuracy, format_rate, claims_answer_rate, claim_precision, and roc_auc (binary tasks) or\n"
          "rmse / within_tolerance / answered_rate (numeric tasks).\n",
          run};
}

}  // namespace retort::cli
