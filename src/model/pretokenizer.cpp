// Pre-tokenizer steps applied in order to each piece, as tokenizers' PreTokenizedString::split does:
// regex splits with their delimiter behaviours, and ByteLevel's optional prefix space and GPT-2 split.
#include "model/pretokenizer.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "model/tokenizer_error.h"

namespace retort::model {
namespace {

// GPT-2's pattern, used by the ByteLevel pre-tokenizer when use_regex is true.
constexpr const char* kGpt2Pattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

bool bool_field(const nlohmann::json& node, const char* name, bool fallback, const std::string& where) {
  if (!node.contains(name) || node[name].is_null()) return fallback;
  if (!node[name].is_boolean()) throw TokenizerError(where + "." + name + ": expected true or false");
  return node[name].get<bool>();
}

}  // namespace

PreTokenizer PreTokenizer::from_json(const nlohmann::json& node, const std::string& origin) {
  PreTokenizer p;
  if (!node.is_null()) p.add_steps(node, origin + ": pre_tokenizer");
  return p;
}

void PreTokenizer::add_steps(const nlohmann::json& node, const std::string& where) {
  if (!node.is_object() || !node.contains("type") || !node["type"].is_string())
    throw TokenizerError(where + ": expected an object with a string \"type\"");
  const std::string type = node["type"].get<std::string>();
  if (type == "Sequence") {
    if (!node.contains("pretokenizers") || !node["pretokenizers"].is_array())
      throw TokenizerError(where + ".pretokenizers: expected an array");
    const auto& list = node["pretokenizers"];
    for (std::size_t i = 0; i < list.size(); ++i) add_steps(list[i], where + ".pretokenizers[" + std::to_string(i) + "]");
  } else if (type == "Split") {
    Step step{Step::Kind::Split, nullptr};
    if (!node.contains("pattern") || !node["pattern"].is_object())
      throw TokenizerError(where + ".pattern: expected {\"Regex\": ...} or {\"String\": ...}");
    const auto& pattern = node["pattern"];
    if (pattern.contains("Regex") && pattern["Regex"].is_string()) {
      step.regex = std::make_shared<PretokenizerRegex>(pattern["Regex"].get<std::string>(), false, where + ".pattern.Regex");
    } else if (pattern.contains("String") && pattern["String"].is_string()) {
      step.regex = std::make_shared<PretokenizerRegex>(pattern["String"].get<std::string>(), true, where + ".pattern.String");
    } else {
      throw TokenizerError(where + ".pattern: expected {\"Regex\": \"...\"} or {\"String\": \"...\"}");
    }
    std::string behavior = node.value("behavior", std::string("Isolated"));
    if (behavior == "Isolated") step.behavior = Behavior::Isolated;
    else if (behavior == "Removed") step.behavior = Behavior::Removed;
    else if (behavior == "MergedWithPrevious") step.behavior = Behavior::MergedWithPrevious;
    else if (behavior == "MergedWithNext") step.behavior = Behavior::MergedWithNext;
    else if (behavior == "Contiguous") step.behavior = Behavior::Contiguous;
    else throw TokenizerError(where + ".behavior: unknown split behavior '" + behavior + "'");
    step.invert = bool_field(node, "invert", false, where);
    steps_.push_back(std::move(step));
  } else if (type == "ByteLevel") {
    byte_level_ = true;
    if (bool_field(node, "add_prefix_space", true, where)) steps_.push_back(Step{Step::Kind::BytePrefixSpace, nullptr});
    if (bool_field(node, "use_regex", true, where)) {
      Step step{Step::Kind::Split, std::make_shared<PretokenizerRegex>(kGpt2Pattern, false, where + " (GPT-2 regex)")};
      steps_.push_back(std::move(step));
    }
  } else {
    throw TokenizerError(where + ".type: pre-tokenizer '" + type +
                         "' is not supported (supported: Split, ByteLevel, Sequence)");
  }
}

// tokenizers' NormalizedString::split: the pieces between and at matches, combined per behaviour.
void PreTokenizer::apply_split(const Step& step, std::string_view piece, std::vector<std::string>& out) {
  struct Span {
    std::size_t start, end;
    bool is_match;
  };
  std::vector<Span> spans;
  std::size_t previous = 0;
  step.regex->for_each_match(piece, [&](std::size_t start, std::size_t end) {
    if (previous != start) spans.push_back({previous, start, false});
    spans.push_back({start, end, true});
    previous = end;
  });
  if (previous != piece.size()) spans.push_back({previous, piece.size(), false});
  if (step.invert)
    for (Span& s : spans) s.is_match = !s.is_match;

  std::vector<Span> kept;
  switch (step.behavior) {
    case Behavior::Isolated:
      kept = spans;
      break;
    case Behavior::Removed:
      for (const Span& s : spans)
        if (!s.is_match) kept.push_back(s);
      break;
    case Behavior::MergedWithPrevious: {
      bool previous_match = false;
      for (const Span& s : spans) {
        if (s.is_match && !previous_match && !kept.empty()) kept.back().end = s.end;
        else kept.push_back(s);
        previous_match = s.is_match;
      }
      break;
    }
    case Behavior::MergedWithNext: {
      bool previous_match = false;
      for (auto it = spans.rbegin(); it != spans.rend(); ++it) {
        if (it->is_match && !previous_match && !kept.empty()) kept.back().start = it->start;
        else kept.push_back(*it);
        previous_match = it->is_match;
      }
      std::reverse(kept.begin(), kept.end());
      break;
    }
    case Behavior::Contiguous: {
      bool previous_match = false;
      for (const Span& s : spans) {
        if (s.is_match == previous_match && !kept.empty()) kept.back().end = s.end;
        else kept.push_back(s);
        previous_match = s.is_match;
      }
      break;
    }
  }
  for (const Span& s : kept)
    if (s.end > s.start) out.emplace_back(piece.substr(s.start, s.end - s.start));
}

void PreTokenizer::split(std::string_view text, std::vector<std::string>& words) const {
  if (text.empty()) return;
  std::vector<std::string> pieces{std::string(text)};
  std::vector<std::string> next;
  for (const Step& step : steps_) {
    next.clear();
    for (std::string& piece : pieces) {
      if (step.kind == Step::Kind::BytePrefixSpace) {
        if (piece.empty() || piece[0] != ' ') piece.insert(piece.begin(), ' ');
        next.push_back(std::move(piece));
      } else {
        apply_split(step, piece, next);
      }
    }
    pieces.swap(next);
  }
  for (std::string& piece : pieces)
    if (!piece.empty()) words.push_back(std::move(piece));
}

}  // namespace retort::model
