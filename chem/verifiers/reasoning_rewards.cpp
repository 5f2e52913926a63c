// Claim components and logical consistency (see reasoning_rewards.h).
#include "chem/verifiers/reasoning_rewards.h"

#include <cmath>
#include <map>
#include <set>
#include <vector>

#include "chem/verifiers/answer_parsing.h"
#include "chem/verifiers/claim_checks.h"
#include "chem/verifiers/perception.h"

namespace retort::chem {
namespace {

std::vector<std::string> words_of(const std::string& sentence) {
  std::vector<std::string> words;
  std::string w;
  for (char c : lower_copy(sentence)) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '\'' || c == '+') {
      w += c;
    } else if (!w.empty()) {
      words.push_back(w);
      w.clear();
    }
  }
  if (!w.empty()) words.push_back(w);
  return words;
}

// The last sentence of the reasoning that states a conclusion.
std::optional<std::string> conclusion_sentence(const std::string& reasoning) {
  static const std::set<std::string> markers = {"therefore", "thus", "hence", "so", "conclude", "conclusion",
                                                "overall", "answer", "predict", "prediction", "final", "expect",
                                                "estimate", "consequently", "predicted", "estimated"};
  auto sentences = split_sentences(reasoning);
  for (auto it = sentences.rbegin(); it != sentences.rend(); ++it)
    for (const auto& w : words_of(*it))
      if (markers.count(w)) return *it;
  return std::nullopt;
}

// Polarity of a binary conclusion: explicit yes/no after "answer", else the task's keyword with negations.
std::optional<bool> conclusion_label(const std::string& sentence, const std::string& task) {
  auto words = words_of(sentence);
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    if (words[i] != "answer" && words[i] != "is") continue;
    for (size_t j = i + 1; j < words.size() && j <= i + 2; ++j) {
      if (auto b = parse_binary_answer(words[j]); b && words[j] != "1" && words[j] != "0") return b;
    }
  }
  static const std::map<std::string, std::vector<std::string>> keywords = {
      {"bbbp", {"penetrat", "cross", "permeab", "permeat", "enter", "bbb+"}},
      {"bace", {"inhibit", "active", "bind"}},
      {"clintox", {"toxic", "fail"}},
      {"tox21", {"active", "toxic", "positive"}},
      {"sider", {"active", "cause", "positive", "side"}}};
  auto it = keywords.find(task);
  if (it == keywords.end()) return std::nullopt;
  static const std::set<std::string> negators = {"not", "no", "cannot", "can't", "unlikely", "won't", "doesn't",
                                                 "isn't", "poor", "poorly", "low", "non", "inactive", "nontoxic",
                                                 "non-toxic", "impermeable", "never", "neither", "nor", "non-penetrant",
                                                 "noninhibitor", "non-inhibitor", "safe", "negative"};
  bool keyword = false, negated = false;
  for (const auto& w : words) {
    for (const auto& k : it->second)
      if (w.rfind(k, 0) == 0) keyword = true;
    if (negators.count(w)) negated = true;
  }
  if (!keyword && !negated) return std::nullopt;
  if (!keyword) return std::nullopt;
  return !negated;
}

std::string join_reasons(const std::vector<std::string>& reasons) {
  std::string s;
  for (size_t i = 0; i < reasons.size() && i < 4; ++i) s += (s.empty() ? "" : "; ") + reasons[i];
  if (reasons.size() > 4) s += "; +" + std::to_string(reasons.size() - 4) + " more";
  return s;
}

}  // namespace

std::optional<Property> task_property(const std::string& task) {
  if (task == "bbbp") return Property::bbb_penetration;
  if (task == "esol") return Property::solubility;
  return std::nullopt;
}

void add_reasoning_components(Score& score, const std::string& reasoning, const std::optional<Molecule>& molecule,
                              const ReasoningContext& context) {
  // logical_consistency: the stated conclusion equals the final answer.
  if (auto sentence = conclusion_sentence(reasoning)) {
    if (context.kind == ReasoningContext::AnswerKind::numeric && context.answer_number) {
      std::optional<double> last;
      size_t p = 0;
      while (auto n = find_number(*sentence, p)) {
        last = n->value;
        p = n->end;
      }
      if (last) {
        double tol = std::max(context.tolerance, 1e-6 * std::max(1.0, std::abs(*context.answer_number)));
        bool same = std::abs(*last - *context.answer_number) <= tol;
        score.components["logical_consistency"] = same ? 1.0 : 0.0;
        score.reasons["logical_consistency"] = "reasoning concludes " + std::to_string(*last) +
                                               (same ? ", the answer agrees" : ", the answer differs");
      }
    } else if (context.kind == ReasoningContext::AnswerKind::binary && context.answer_label) {
      if (auto label = conclusion_label(*sentence, context.task)) {
        bool same = *label == *context.answer_label;
        score.components["logical_consistency"] = same ? 1.0 : 0.0;
        score.reasons["logical_consistency"] = std::string("reasoning concludes ") + (*label ? "yes" : "no") +
                                               (same ? ", the answer agrees" : ", the answer differs");
      }
    }
  }
  if (!molecule) return;
  auto claims = extract_claims(reasoning);
  const bool want_perception = context.image || context.perception_answers.is_object();
  if (claims.empty() && !want_perception) return;
  MoleculeFacts facts = molecule_facts(*molecule);
  AnswerContext answer_context{context.asked, context.answer_label};
  struct Tally {
    int checked = 0, held = 0;
    std::vector<std::string> reasons;
  };
  std::map<std::string, Tally> tallies;
  Tally perception;
  for (const auto& claim : claims) {
    ClaimVerdict v = check_claim(claim, facts, answer_context);
    if (!v.checkable) continue;
    Tally& t = tallies[claim_component(claim)];
    ++t.checked;
    t.held += v.holds;
    t.reasons.push_back(v.reason);
    if (context.image && is_perception_claim(claim)) {
      ++perception.checked;
      perception.held += v.holds;
      perception.reasons.push_back(v.reason);
    }
  }
  // Counts for reports ("checkable claims per answer"); unweighted in every reward spec, so they never train.
  int structural_checked = 0, structural_held = 0;
  for (const char* c : {"structure", "property_consistency"})
    if (auto it = tallies.find(c); it != tallies.end())
      structural_checked += it->second.checked, structural_held += it->second.held;
  if (structural_checked > 0) {
    score.components["claims_checked"] = structural_checked;
    score.components["claims_held"] = structural_held;
  }
  for (const auto& [component, t] : tallies) {
    score.components[component] = static_cast<double>(t.held) / t.checked;
    score.reasons[component] = std::to_string(t.held) + "/" + std::to_string(t.checked) + " claims hold: " + join_reasons(t.reasons);
  }
  if (context.perception_answers.is_object()) {
    auto result = score_perception_answers(perception_checklist(*molecule), context.perception_answers);
    if (result.asked > 0) {
      score.components["perception"] = static_cast<double>(result.right) / result.asked;
      score.reasons["perception"] = std::to_string(result.right) + "/" + std::to_string(result.asked) +
                                    " checklist answers right: " + result.reason;
    }
  } else if (perception.checked > 0) {
    score.components["perception"] = static_cast<double>(perception.held) / perception.checked;
    score.reasons["perception"] = std::to_string(perception.held) + "/" + std::to_string(perception.checked) +
                                  " statements about the picture hold: " + join_reasons(perception.reasons);
  }
}

}  // namespace retort::chem
