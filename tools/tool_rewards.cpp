// Tool-use checklist rewards, error costs and batch metrics (see tool_rewards.h).
#include "tools/tool_rewards.h"

#include <cmath>
#include <stdexcept>

#include "chem/molecule.h"

namespace retort::tools {
namespace {

using nlohmann::json;

bool numbers_close(double a, double b) { return std::fabs(a - b) <= 1e-6 * std::max({1.0, std::fabs(a), std::fabs(b)}); }

bool same_smiles(const std::string& a, const std::string& b) {
  if (a == b) return true;
  auto ma = chem::Molecule::try_from_smiles(a), mb = chem::Molecule::try_from_smiles(b);
  return ma && mb && ma->canonical_smiles() == mb->canonical_smiles();
}

bool argument_matches(const std::string& key, const json& wanted, const json& given) {
  if (wanted.is_number() && given.is_number()) return numbers_close(wanted.get<double>(), given.get<double>());
  if (wanted.is_string() && given.is_string() && key.find("smiles") != std::string::npos)
    return same_smiles(wanted.get<std::string>(), given.get<std::string>());
  return wanted == given;
}

class ChecklistVerifier : public Verifier {
 public:
  ChecklistVerifier(std::vector<ChecklistItem> items, ToolUseRewardOptions options)
      : items_(std::move(items)), options_(options) {}

  Score verify(const Example& example, const Episode& episode) const override {
    if (auto it = example.meta.find("tool_checklist"); it != example.meta.end())
      return score_tool_use(checklist_from_json(*it, example.id + ": meta.tool_checklist"), episode.tool_calls, options_);
    return score_tool_use(items_, episode.tool_calls, options_);
  }

 private:
  std::vector<ChecklistItem> items_;
  ToolUseRewardOptions options_;
};

double number_option(const json& options, const char* key, double fallback) {
  if (!options.is_object() || !options.contains(key)) return fallback;
  const json& v = options[key];
  if (!v.is_number() || v.get<double>() < 0)
    throw std::invalid_argument(std::string("tools.checklist: option \"") + key + "\" must be a number >= 0");
  return v.get<double>();
}

}  // namespace

ChecklistItem checklist_item_from_json(const json& j, const std::string& where) {
  if (!j.is_object()) throw std::invalid_argument(where + ": a checklist item must be an object");
  ChecklistItem item;
  for (const auto& [key, value] : j.items()) {
    if (key == "tool") {
      if (!value.is_string() || value.get<std::string>().empty())
        throw std::invalid_argument(where + ": \"tool\" must be a non-empty string");
      item.tool = value.get<std::string>();
    } else if (key == "arguments") {
      if (!value.is_object()) throw std::invalid_argument(where + ": \"arguments\" must be an object");
      item.arguments = value;
    } else if (key == "must_succeed" || key == "forbidden") {
      if (!value.is_boolean()) throw std::invalid_argument(where + ": \"" + key + "\" must be true or false");
      (key == "must_succeed" ? item.must_succeed : item.forbidden) = value.get<bool>();
    } else if (key == "weight") {
      if (!value.is_number() || !(value.get<double>() > 0))
        throw std::invalid_argument(where + ": \"weight\" must be a number > 0");
      item.weight = value.get<double>();
    } else if (key != "description") {
      throw std::invalid_argument(where + ": unknown key \"" + key +
                                  "\" (expected tool, arguments, must_succeed, forbidden, weight, description)");
    }
  }
  if (item.tool.empty()) throw std::invalid_argument(where + ": missing \"tool\"");
  return item;
}

std::vector<ChecklistItem> checklist_from_json(const json& j, const std::string& where) {
  if (!j.is_array()) throw std::invalid_argument(where + ": must be an array of checklist items");
  std::vector<ChecklistItem> items;
  for (size_t i = 0; i < j.size(); ++i) items.push_back(checklist_item_from_json(j[i], where + "[" + std::to_string(i) + "]"));
  return items;
}

bool call_meets_item(const ChecklistItem& item, const ToolCallRecord& call) {
  if (call.name != item.tool) return false;
  if (item.must_succeed && !call.ok && !item.forbidden) return false;
  if (!call.arguments.is_object()) return item.arguments.empty();
  for (const auto& [key, wanted] : item.arguments.items()) {
    auto given = call.arguments.find(key);
    if (given == call.arguments.end() || !argument_matches(key, wanted, *given)) return false;
  }
  return true;
}

Score score_tool_use(const std::vector<ChecklistItem>& items, const std::vector<ToolCallRecord>& calls,
                     const ToolUseRewardOptions& options) {
  Score score;
  double met_weight = 0, total_weight = 0;
  std::string missed;
  for (const auto& item : items) {
    bool any = false;
    for (const auto& call : calls) any = any || call_meets_item(item, call);
    bool met = item.forbidden ? !any : any;
    total_weight += item.weight;
    if (met)
      met_weight += item.weight;
    else
      missed += (missed.empty() ? "" : "; ") + std::string(item.forbidden ? "called forbidden " : "no ") +
                (item.forbidden || item.arguments.empty() ? item.tool
                                                          : item.tool + " call with " + item.arguments.dump());
  }
  int errors = 0;
  for (const auto& call : calls) errors += call.ok ? 0 : 1;
  double checklist = total_weight > 0 ? met_weight / total_weight : 1.0;
  double error_cost = -std::min(options.max_error_cost, options.error_cost * errors);
  double call_cost = -options.call_cost * static_cast<double>(calls.size());
  score.components["tool_checklist"] = checklist;
  score.components["tool_error_cost"] = error_cost;
  score.components["tool_call_cost"] = call_cost;
  score.total = checklist + error_cost + call_cost;
  score.correct = missed.empty();
  score.reasons["tool_checklist"] =
      items.empty() ? "no checklist items"
                    : (missed.empty() ? "all " + std::to_string(items.size()) + " items met" : "missed: " + missed);
  score.reasons["tool_error_cost"] = std::to_string(errors) + " of " + std::to_string(calls.size()) + " calls failed";
  score.reasons["tool_call_cost"] = std::to_string(calls.size()) + " calls";
  return score;
}

std::map<std::string, double> tool_use_metrics(const std::vector<Episode>& episodes) {
  std::map<std::string, double> out;
  double calls = 0, errors = 0, seconds = 0, with_calls = 0;
  for (const auto& episode : episodes) {
    with_calls += episode.tool_calls.empty() ? 0 : 1;
    for (const auto& call : episode.tool_calls) {
      std::string name = call.name.empty() ? "invalid_call" : call.name;
      calls += 1;
      seconds += call.seconds;
      out["tools/" + name + "/calls"] += 1;
      if (!call.ok) {
        errors += 1;
        out["tools/" + name + "/errors"] += 1;
      }
    }
  }
  double n = static_cast<double>(episodes.size());
  out["tools/calls_per_episode"] = n > 0 ? calls / n : 0;
  out["tools/error_rate"] = calls > 0 ? errors / calls : 0;
  out["tools/episodes_with_calls"] = n > 0 ? with_calls / n : 0;
  out["tools/mean_call_seconds"] = calls > 0 ? seconds / calls : 0;
  return out;
}

void register_verifiers(VerifierRegistry& registry) {
  registry.add("tools.checklist", [](const json& options) -> std::unique_ptr<Verifier> {
    if (!options.is_null() && !options.is_object())
      throw std::invalid_argument("tools.checklist: options must be an object");
    ToolUseRewardOptions reward;
    reward.error_cost = number_option(options, "error_cost", reward.error_cost);
    reward.max_error_cost = number_option(options, "max_error_cost", reward.max_error_cost);
    reward.call_cost = number_option(options, "call_cost", reward.call_cost);
    std::vector<ChecklistItem> items;
    if (options.is_object() && options.contains("checklist"))
      items = checklist_from_json(options["checklist"], "tools.checklist: checklist");
    if (options.is_object()) {
      for (const auto& [key, value] : options.items()) {
        if (key != "error_cost" && key != "max_error_cost" && key != "call_cost" && key != "checklist")
          throw std::invalid_argument("tools.checklist: unknown option \"" + key +
                                      "\" (expected checklist, error_cost, max_error_cost, call_cost)");
      }
    }
    return std::make_unique<ChecklistVerifier>(std::move(items), reward);
  });
}

}  // namespace retort::tools
