// RewardSpec: weighted, gated, normalised composition of verifier components (see reward_spec.h).
#include "core/reward_spec.h"

#include <cmath>
#include <cstdio>

#include "core/errors.h"

namespace retort {
namespace {

const char* gate_name(RewardGate g) {
  switch (g) {
    case RewardGate::none: return "none";
    case RewardGate::format: return "format";
    case RewardGate::format_and_correct: return "format_and_correct";
  }
  return "none";
}

RewardGate parse_gate(const nlohmann::json& v, const std::string& where) {
  if (v.is_string()) {
    auto s = v.get<std::string>();
    if (s == "none") return RewardGate::none;
    if (s == "format") return RewardGate::format;
    if (s == "format_and_correct") return RewardGate::format_and_correct;
  }
  throw ConfigError(where + ": must be \"none\", \"format\" or \"format_and_correct\", got " + v.dump());
}

bool is_base_component(const std::string& name) { return name == "answer" || name == "format"; }

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

}  // namespace

RewardSpec RewardSpec::defaults() {
  RewardSpec s;
  s.weights_ = {{"answer", 1.0},         {"format", 0.1},      {"structure", 0.125},
                {"property_consistency", 0.125}, {"principle", 0.125}, {"logical_consistency", 0.125},
                {"perception", 0.25}};
  return s;
}

RewardSpec RewardSpec::from_json(const nlohmann::json& j, const std::string& where) {
  if (!j.is_object()) throw ConfigError(where + ": must be an object, got " + j.dump());
  RewardSpec s = defaults();
  for (const auto& [key, value] : j.items()) {
    const std::string at = where + ": " + key;
    if (key == "weights") {
      if (!value.is_object()) throw ConfigError(at + ": must be an object {component: weight}");
      s.weights_.clear();
      for (const auto& [name, w] : value.items()) {
        if (!w.is_number() || !std::isfinite(w.get<double>()))
          throw ConfigError(at + "." + name + ": must be a finite number, got " + w.dump());
        s.weights_[name] = w.get<double>();
      }
    } else if (key == "gate") {
      s.default_gate_ = parse_gate(value, at);
    } else if (key == "gates") {
      if (!value.is_object()) throw ConfigError(at + ": must be an object {component: gate}");
      for (const auto& [name, g] : value.items()) s.gates_[name] = parse_gate(g, at + "." + name);
    } else if (key == "normalise") {
      std::string n = value.is_string() ? value.get<std::string>() : "";
      if (n == "none") s.normalisation_ = RewardNormalisation::none;
      else if (n == "total_weight") s.normalisation_ = RewardNormalisation::total_weight;
      else if (n == "present_weight") s.normalisation_ = RewardNormalisation::present_weight;
      else throw ConfigError(at + ": must be \"none\", \"total_weight\" or \"present_weight\", got " + value.dump());
    } else if (key == "malformed_reward" || key == "wrong_reward") {
      if (!value.is_number()) throw ConfigError(at + ": must be a number, got " + value.dump());
      (key == "malformed_reward" ? s.malformed_reward_ : s.wrong_reward_) = value.get<double>();
    } else {
      throw ConfigError(at + ": unknown key (known: weights, gate, gates, normalise, malformed_reward, wrong_reward)");
    }
  }
  return s;
}

nlohmann::json RewardSpec::to_json() const {
  nlohmann::json j = {{"weights", weights_}, {"gate", gate_name(default_gate_)}};
  nlohmann::json gates = nlohmann::json::object();
  for (const auto& [n, g] : gates_) gates[n] = gate_name(g);
  j["gates"] = gates;
  j["normalise"] = normalisation_ == RewardNormalisation::none           ? "none"
                   : normalisation_ == RewardNormalisation::total_weight ? "total_weight"
                                                                         : "present_weight";
  if (malformed_reward_) j["malformed_reward"] = *malformed_reward_;
  if (wrong_reward_) j["wrong_reward"] = *wrong_reward_;
  return j;
}

double RewardSpec::weight(const std::string& component) const {
  auto it = weights_.find(component);
  return it == weights_.end() ? 0.0 : it->second;
}

RewardGate RewardSpec::gate(const std::string& component) const {
  auto it = gates_.find(component);
  if (it != gates_.end()) return it->second;
  return is_base_component(component) ? RewardGate::none : default_gate_;
}

double RewardSpec::apply(Score& score) const {
  auto fmt = score.components.find("format");
  const bool formatted = fmt != score.components.end() && fmt->second >= 1.0;
  if (malformed_reward_ && !formatted) {
    score.total = *malformed_reward_;
    score.reasons["reward"] = "malformed (format = 0): " + number(score.total);
    return score.total;
  }
  if (wrong_reward_ && !score.correct) {
    score.total = *wrong_reward_;
    score.reasons["reward"] = "wrong answer: " + number(score.total);
    return score.total;
  }
  double total = 0, present_weight = 0, total_weight = 0;
  std::string how;
  for (const auto& [name, w] : weights_) total_weight += std::abs(w);
  for (const auto& [name, value] : score.components) {
    double w = weight(name);
    if (w == 0) continue;
    RewardGate g = gate(name);
    bool open = g == RewardGate::none || (formatted && (g == RewardGate::format || score.correct));
    if (!open) {
      how += (how.empty() ? "" : " + ") + name + " gated (" + gate_name(g) + ")";
      continue;
    }
    present_weight += std::abs(w);
    total += w * value;
    how += (how.empty() ? "" : " + ") + number(w) + "*" + name + "(" + number(value) + ")";
  }
  double denominator = normalisation_ == RewardNormalisation::total_weight     ? total_weight
                       : normalisation_ == RewardNormalisation::present_weight ? present_weight
                                                                               : 1.0;
  if (denominator > 0) total /= denominator;
  if (denominator != 1.0 && denominator > 0) how = "(" + how + ") / " + number(denominator);
  score.total = total;
  score.reasons["reward"] = (how.empty() ? std::string("no weighted component") : how) + " = " + number(total);
  return total;
}

}  // namespace retort
