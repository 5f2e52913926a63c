// med.mcq: the final answer names exactly the reference option (see verifiers.h).
#include "med/verifiers.h"

#include <stdexcept>

#include "core/answer_protocol.h"

namespace retort::med {
namespace {

Options parse_options(const nlohmann::json& o) {
  Options options;
  if (o.is_object()) {
    for (const auto& [key, text] : o.items()) {
      if (key.size() != 1 || key[0] < 'A' || key[0] > 'J' || !text.is_string())
        throw std::invalid_argument("options: need {\"A\": \"text\", ...} with letters A-J, got key '" + key + "'");
      options[key[0]] = text.get<std::string>();
    }
  } else if (o.is_array()) {
    char letter = 'A';
    for (const auto& text : o) {
      if (!text.is_string() || letter > 'J') throw std::invalid_argument("options: need at most 10 strings");
      options[letter++] = text.get<std::string>();
    }
  } else if (!o.is_null()) {
    throw std::invalid_argument("options: must be an object or an array");
  }
  return options;
}

class McqVerifier : public Verifier {
 public:
  Score verify(const Example& example, const Episode& episode) const override {
    Options options = options_of(example);
    char correct = reference_letter(example, options);
    auto parsed = parse_completion(episode.completion);
    Score s;
    s.components["format"] = parsed.well_formed ? 1.0 : 0.0;
    s.reasons["format"] = parsed.format_reason;
    if (!parsed.final_answer) {
      s.components["answer"] = 0;
      s.reasons["answer"] = "no final answer (<answer> block or \\boxed{})";
      return s;
    }
    McqChoice choice = read_mcq_choice(*parsed.final_answer, options);
    s.correct = choice.letter && *choice.letter == correct;
    s.components["answer"] = s.correct ? 1.0 : 0.0;
    s.reasons["answer"] = choice.letter ? choice.reason + (s.correct ? " = reference" : std::string(" != reference ") + correct)
                                        : choice.reason;
    return s;
  }
};

}  // namespace

Options options_of(const Example& example) {
  if (example.answer.is_object() && example.answer.contains("options")) return parse_options(example.answer["options"]);
  if (example.meta.contains("options")) return parse_options(example.meta["options"]);
  return {};
}

char reference_letter(const Example& example, const Options& options) {
  const nlohmann::json& a = example.answer.is_object() && example.answer.contains("answer") ? example.answer["answer"]
                                                                                            : example.answer;
  if (a.is_string()) {
    std::string s = a.get<std::string>();
    if (s.size() == 1 && s[0] >= 'A' && s[0] <= 'J' && (options.empty() || options.count(s[0]))) return s[0];
    // The reference may be the option text itself.
    for (const auto& [letter, text] : options)
      if (normalise_option_text(text) == normalise_option_text(s)) return letter;
  }
  throw std::invalid_argument("reference: need one option letter A-J (or {\"answer\": \"B\", \"options\": {...}}), got " +
                              a.dump());
}

void register_verifiers(VerifierRegistry& registry) {
  registry.add("med.mcq", [](const nlohmann::json&) { return std::make_unique<McqVerifier>(); });
}

}  // namespace retort::med
