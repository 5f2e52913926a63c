// Think/answer protocol: format verdict and final-answer extraction (see answer_protocol.h).
#include "core/answer_protocol.h"

#include <vector>

namespace retort {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

bool only_whitespace(std::string_view s) {
  for (char c : s)
    if (!is_space(c)) return false;
  return true;
}

std::vector<size_t> find_all(std::string_view text, std::string_view needle) {
  std::vector<size_t> at;
  for (size_t p = text.find(needle); p != std::string_view::npos; p = text.find(needle, p + needle.size()))
    at.push_back(p);
  return at;
}

std::string plural(size_t n, const char* what) {
  return std::to_string(n) + " " + what + (n == 1 ? " tag" : " tags");
}

// Matches the brace opened at text[open] (a '{'); returns the index of its closing '}', or npos.
size_t matching_brace(std::string_view text, size_t open) {
  int depth = 0;
  for (size_t i = open; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size() && (text[i + 1] == '{' || text[i + 1] == '}')) {
      ++i;  // escaped brace \{ or \}
      continue;
    }
    if (text[i] == '{') ++depth;
    if (text[i] == '}' && --depth == 0) return i;
  }
  return std::string_view::npos;
}

}  // namespace

std::string trim_copy(std::string_view text) {
  size_t b = 0, e = text.size();
  while (b < e && is_space(text[b])) ++b;
  while (e > b && is_space(text[e - 1])) --e;
  return std::string(text.substr(b, e - b));
}

std::optional<std::string> last_boxed(std::string_view text) {
  const std::string_view key = "\\boxed";
  auto starts = find_all(text, key);
  for (auto it = starts.rbegin(); it != starts.rend(); ++it) {
    size_t p = *it + key.size();
    while (p < text.size() && text[p] == ' ') ++p;
    if (p >= text.size() || text[p] != '{') continue;
    size_t close = matching_brace(text, p);
    if (close == std::string_view::npos) continue;
    return trim_copy(text.substr(p + 1, close - p - 1));
  }
  return std::nullopt;
}

ParsedCompletion parse_completion(std::string_view text) {
  ParsedCompletion out;
  auto think_open = find_all(text, "<think>"), think_close = find_all(text, "</think>");
  auto answer_open = find_all(text, "<answer>"), answer_close = find_all(text, "</answer>");

  // Final answer: the last complete <answer>...</answer> block, else the last \boxed{...}.
  size_t answer_block_start = std::string_view::npos;
  for (auto it = answer_open.rbegin(); it != answer_open.rend() && !out.final_answer; ++it) {
    size_t content = *it + 8;
    size_t close = text.find("</answer>", content);
    if (close == std::string_view::npos) continue;
    std::string inner = trim_copy(text.substr(content, close - content));
    // "<answer>\boxed{B}</answer>" means B.
    if (inner.rfind("\\boxed", 0) == 0) {
      auto boxed = last_boxed(inner);
      if (boxed && inner.back() == '}') inner = *boxed;
    }
    out.final_answer = inner;
    out.source = AnswerSource::answer_tag;
    answer_block_start = *it;
  }
  if (!out.final_answer) {
    if (auto boxed = last_boxed(text)) {
      out.final_answer = *boxed;
      out.source = AnswerSource::boxed;
    }
  }

  // Reasoning: the first think block's text, else everything before the answer.
  if (!think_open.empty()) {
    size_t b = think_open.front() + 7;
    size_t e = text.find("</think>", b);
    out.reasoning = std::string(text.substr(b, e == std::string_view::npos ? std::string_view::npos : e - b));
  } else {
    out.reasoning = std::string(text.substr(0, answer_block_start));
  }

  // Format: ^\s*<think>.*</think>\s*<answer>.*</answer>\s*$ with one of each tag.
  if (think_open.size() != 1 || think_close.size() != 1) {
    out.format_reason = "expected one <think> block, found " + plural(think_open.size(), "<think>") +
                        " and " + plural(think_close.size(), "</think>");
  } else if (answer_open.size() != 1 || answer_close.size() != 1) {
    out.format_reason = "expected one <answer> block, found " + plural(answer_open.size(), "<answer>") +
                        " and " + plural(answer_close.size(), "</answer>");
  } else {
    size_t to = think_open[0], tc = think_close[0], ao = answer_open[0], ac = answer_close[0];
    if (!(to < tc && tc < ao && ao < ac)) {
      out.format_reason = "tags out of order: need <think>...</think> then <answer>...</answer>";
    } else if (!only_whitespace(text.substr(0, to))) {
      out.format_reason = "text before <think>";
    } else if (!only_whitespace(text.substr(tc + 8, ao - tc - 8))) {
      out.format_reason = "text between </think> and <answer>";
    } else if (!only_whitespace(text.substr(ac + 9))) {
      out.format_reason = "text after </answer>";
    } else {
      out.well_formed = true;
      out.format_reason = "ok";
    }
  }
  return out;
}

}  // namespace retort
