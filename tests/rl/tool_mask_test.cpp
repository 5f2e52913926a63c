// Tool responses never train (issue 7): a tool episode's appended tokens have loss-mask 0 in the rows the
// RL step builds (prompt zeros + Rollout::token_mask), and the policy loss's gradient w.r.t. the logits
// that predict them is exactly zero while the sampled tokens' logits get gradient. Also: an SFT trace
// (meta.tool_trace) gives the same tokens and mask as the rollout that samples the same text.
#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include "../rollout/scripted_batch.h"
#include "model/policy.h"
#include "model/tiny_config.h"
#include "model/tokenizer.h"
#include "rl/losses.h"
#include "rl/prompting.h"
#include "rl/token_logprobs.h"
#include "rl/tool_settings.h"
#include "rl/tool_traces.h"

namespace retort::rl {
namespace {

const model::Tokenizer& tokenizer() {
  static const model::Tokenizer t = model::Tokenizer::tiny_default();
  return t;
}

ToolSettings molecular_weight_only() {
  ToolSettings s;
  s.enabled = true;
  s.names = {"molecular_weight"};
  return s;
}

const std::string kCall =
    "<think>I need the weight.</think>\n<tool_call>\n{\"name\": \"molecular_weight\", \"arguments\": {\"smiles\": \"CCO\"}}\n</tool_call>";
const std::string kAnswer = "<think>The tool gives 46.069.</think>\n<answer>46.069</answer>";

Example ethanol() {
  Example e;
  e.id = "t1";
  e.task = "numeric";
  e.prompt = "SMILES: CCO\nWhat is its molecular weight?";
  e.smiles = "CCO";
  e.answer = {{"value", 46.069}, {"tolerance", 0.01}};
  return e;
}

TEST(ToolMask, ToolResponseTokensGetNoGradient) {
  PromptBuilder prompts(tokenizer(), "You are a chemist.", 0);
  prompts.set_tools(molecular_weight_only());
  PromptInputs prompt = prompts.build(ethanol());
  tools::ToolRegistry registry = tool_registry(prompts.tool_settings());
  rollout::ToolEpisodeRunner runner(registry, tokenizer(), prompts.tool_settings().limits());
  rollout::test::ScriptedBatch batch(tokenizer(), {{kCall, kAnswer + "<|im_end|>"}});
  auto calls = runner.run(batch);
  ASSERT_EQ(calls[0].size(), 1u);
  ASSERT_TRUE(calls[0][0].ok) << calls[0][0].response;
  const rollout::Sequence& s = batch.sequence(0);

  // The row rl_step trains on.
  std::vector<int64_t> ids = prompt.ids;
  ids.insert(ids.end(), s.tokens.begin(), s.tokens.end());
  std::vector<float> mask(prompt.ids.size(), 0.0f);
  mask.insert(mask.end(), s.sampled.begin(), s.sampled.end());
  const int64_t P = static_cast<int64_t>(prompt.ids.size()), T = static_cast<int64_t>(ids.size());
  int64_t tool_tokens = 0;
  for (char f : s.sampled) tool_tokens += f ? 0 : 1;
  ASSERT_GT(tool_tokens, 20);

  model::Policy policy = model::Policy::create(model::tiny_config(tokenizer(), false), 3);
  policy.set_requires_grad(true);
  SequenceBatch packed = pack_sequences({ids}, {mask}, {}, prompts.pad_id(), at::kCPU);
  // token_logprobs' computation with the logits kept, so their gradient can be read.
  at::Tensor embeds = policy.embed(packed.input_ids, {});
  at::Tensor hidden = policy.hidden_states(packed.input_ids, packed.attention_mask, nullptr, embeds);
  at::Tensor logits = policy.decoder().project_logits(hidden.narrow(1, 0, T - 1)).to(at::kFloat);  // (1, T-1, V)
  logits.retain_grad();
  at::Tensor picked = at::log_softmax(logits, -1).gather(-1, packed.input_ids.narrow(1, 1, T - 1).unsqueeze(-1)).squeeze(-1);
  at::Tensor logp = at::constant_pad_nd(picked, {1, 0}, 0.0);  // (1, T)
  // Same values as the trainer's token_logprobs.
  ASSERT_TRUE(at::allclose(logp.detach(), token_logprobs(policy, packed, false).logp.detach(), 1e-5, 1e-6));

  PolicyLossInputs in;
  in.logp = logp;
  in.old_logp = logp.detach();  // on-policy: ratio 1, inside every clip range
  in.advantages = at::ones({1, T});
  in.mask = packed.loss_mask;
  PolicyLossOptions options;
  options.normalizers.tokens = packed.loss_mask.sum().item<double>();
  options.normalizers.sequences = 1;
  for (const std::string loss : {"dapo", "ppo_clip", "gspo"}) {
    logits.mutable_grad() = at::Tensor();
    compute_policy_loss(loss, in, options).loss.backward({}, /*retain_graph=*/true);
    at::Tensor grad = logits.grad();  // (1, T-1, V): row t-1 predicts token t
    ASSERT_TRUE(grad.defined());
    int64_t zero_rows = 0, live_rows = 0;
    for (int64_t t = 1; t < T; ++t) {
      double size = grad[0][t - 1].abs().max().item<double>();
      if (mask[t] == 0.0f) {
        EXPECT_EQ(size, 0.0) << loss << ": token " << t << " (prompt or tool response) got gradient";
        zero_rows += t >= P;
      } else {
        EXPECT_GT(size, 0.0) << loss << ": sampled token " << t << " got no gradient";
        ++live_rows;
      }
    }
    EXPECT_EQ(zero_rows, tool_tokens);
    EXPECT_EQ(live_rows, static_cast<int64_t>(s.tokens.size()) - tool_tokens);
  }
}

TEST(ToolMask, SftTraceMatchesTheRolloutOfTheSameText) {
  PromptBuilder prompts(tokenizer(), "You are a chemist.", 0);
  prompts.set_tools(molecular_weight_only());
  Example e = ethanol();
  e.meta["tool_trace"] = {
      {{"content", "<think>I need the weight.</think>"},
       {"tool_call", {{"name", "molecular_weight"}, {"arguments", {{"smiles", "CCO"}}}}}},
      {{"content", kAnswer}}};
  ToolTraceTarget target = tool_trace_target(prompts, e);

  tools::ToolRegistry registry = tool_registry(prompts.tool_settings());
  rollout::ToolEpisodeRunner runner(registry, tokenizer(), prompts.tool_settings().limits());
  rollout::test::ScriptedBatch batch(tokenizer(), {{kCall, kAnswer + "<|im_end|>"}});
  runner.run(batch);
  const rollout::Sequence& s = batch.sequence(0);
  EXPECT_EQ(target.ids, s.tokens);
  std::vector<float> rollout_mask(s.sampled.begin(), s.sampled.end());
  EXPECT_EQ(target.mask, rollout_mask);
  EXPECT_NE(target.text.find("\"molecular_weight\": 46.069"), std::string::npos) << target.text;
}

TEST(ToolMask, MalformedTracesAreErrorsNamingTheExample) {
  PromptBuilder prompts(tokenizer(), "You are a chemist.", 0);
  Example e = ethanol();
  e.meta["tool_trace"] = {{{"content", "<think>x</think>"}}, {{"content", kAnswer}}};
  try {
    tool_trace_target(prompts, e);
    FAIL() << "expected DataError";
  } catch (const std::exception& err) {
    EXPECT_NE(std::string(err.what()).find("example t1: meta.tool_trace[0]: every turn but the last must call a tool"),
              std::string::npos)
        << err.what();
  }
}

}  // namespace
}  // namespace retort::rl
