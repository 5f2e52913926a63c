// Rollout groups as JSON between ranks (every field but the images).
#include "rl/rollout_exchange.h"

namespace retort::rl {
namespace {

nlohmann::json rollout_to_json(const Rollout& r) {
  nlohmann::json calls = nlohmann::json::array();
  for (const auto& c : r.tool_calls)
    calls.push_back({{"name", c.name}, {"arguments", c.arguments}, {"response", c.response}, {"ok", c.ok}, {"seconds", c.seconds}});
  return {{"prompt_ids", r.prompt_ids}, {"tokens", r.tokens}, {"logprobs", r.logprobs}, {"token_mask", r.token_mask},
          {"completion", r.completion}, {"transcript", r.transcript}, {"tool_calls", calls},
          {"sampled_tokens", r.sampled_tokens}, {"clipped", r.clipped}};
}

Rollout rollout_from_json(const nlohmann::json& j) {
  Rollout r;
  r.prompt_ids = j.at("prompt_ids").get<std::vector<int64_t>>();
  r.tokens = j.at("tokens").get<std::vector<int64_t>>();
  r.logprobs = j.at("logprobs").get<std::vector<float>>();
  r.token_mask = j.at("token_mask").get<std::vector<float>>();
  r.completion = j.at("completion").get<std::string>();
  r.transcript = j.at("transcript").get<std::string>();
  for (const auto& c : j.at("tool_calls"))
    r.tool_calls.push_back({c.at("name").get<std::string>(), c.at("arguments"), c.at("response").get<std::string>(),
                            c.at("ok").get<bool>(), c.at("seconds").get<double>()});
  r.sampled_tokens = j.at("sampled_tokens").get<int64_t>();
  r.clipped = j.at("clipped").get<bool>();
  return r;
}

}  // namespace

nlohmann::json exchanged_group_to_json(const ExchangedGroup& group) {
  nlohmann::json rollouts = nlohmann::json::array(), scores = nlohmann::json::array();
  for (const auto& r : group.rollouts) rollouts.push_back(rollout_to_json(r));
  for (const auto& s : group.scores)
    scores.push_back({{"total", s.total}, {"correct", s.correct}, {"components", s.components}, {"reasons", s.reasons}});
  return {{"rollouts", rollouts}, {"scores", scores}, {"rewards", group.rewards}};
}

ExchangedGroup exchanged_group_from_json(const nlohmann::json& j) {
  ExchangedGroup group;
  for (const auto& r : j.at("rollouts")) group.rollouts.push_back(rollout_from_json(r));
  for (const auto& s : j.at("scores")) {
    Score score;
    score.total = s.at("total").get<double>();
    score.correct = s.at("correct").get<bool>();
    score.components = s.at("components").get<std::map<std::string, double>>();
    score.reasons = s.at("reasons").get<std::map<std::string, std::string>>();
    group.scores.push_back(std::move(score));
  }
  group.rewards = j.at("rewards").get<std::vector<double>>();
  return group;
}

std::vector<ExchangedGroup> all_gather_groups(dist::DistContext& dist, std::vector<ExchangedGroup> local) {
  if (!dist.distributed()) return local;
  nlohmann::json mine = nlohmann::json::array();
  for (const auto& g : local) mine.push_back(exchanged_group_to_json(g));
  std::vector<ExchangedGroup> all;
  // Model output is untrusted: invalid UTF-8 in a completion becomes U+FFFD in the copies other ranks get
  // (this rank scored the original bytes already).
  for (const auto& text : dist.all_gather(mine.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))) {
    // Doubles travel as JSON numbers (shortest round-trip form), so rewards arrive bit-identical.
    for (const auto& g : nlohmann::json::parse(text)) all.push_back(exchanged_group_from_json(g));
  }
  return all;
}

}  // namespace retort::rl
