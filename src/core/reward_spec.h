// RewardSpec: how a verifier's named components become one scalar reward, as the config says —
// weights per component, gates (an extra term counts only when the answer is well formatted, or
// only when it is also correct: MPPReasoner's RLPGR gating), optional fixed rewards for malformed or
// wrong answers, and normalisation. Torch-free.
//
// JSON (the "reward" section of a run config, or `retort score --reward-spec FILE`):
//   {"weights": {"answer": 1.0, "format": 0.1, "structure": 0.125, ...},
//    "gate": "format",                     // default gate of every component except answer/format:
//                                          //   "none" | "format" | "format_and_correct"
//    "gates": {"perception": "none"},      // per-component override
//    "normalise": "none",                  // "none" | "total_weight" | "present_weight"
//    "malformed_reward": -1.5,             // optional: the reward when format = 0
//    "wrong_reward": -1.0}                 // optional: the reward when well formed but not correct
// A component a verifier did not produce (e.g. no checkable claim) adds nothing; with
// "present_weight" it is also left out of the denominator.
#pragma once
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/verifier.h"

namespace retort {

enum class RewardGate { none, format, format_and_correct };
enum class RewardNormalisation { none, total_weight, present_weight };

class RewardSpec {
 public:
  // RLPGR-shaped default: answer 1, format 0.1, four claim terms 0.125 each, perception 0.25,
  // gate "format", no normalisation.
  static RewardSpec defaults();
  // Throws ConfigError "WHERE: key: problem" (WHERE like "train.json: reward").
  static RewardSpec from_json(const nlohmann::json& spec, const std::string& where);
  nlohmann::json to_json() const;

  // Sets score.total from score.components and score.correct and adds reasons["reward"] (the
  // arithmetic, with gated terms named). Returns the total.
  double apply(Score& score) const;

  double weight(const std::string& component) const;
  RewardGate gate(const std::string& component) const;

 private:
  std::map<std::string, double> weights_;
  RewardGate default_gate_ = RewardGate::format;
  std::map<std::string, RewardGate> gates_;
  RewardNormalisation normalisation_ = RewardNormalisation::none;
  std::optional<double> malformed_reward_, wrong_reward_;
};

}  // namespace retort
