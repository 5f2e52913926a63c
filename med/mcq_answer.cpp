// Multiple-choice answer reading (see mcq_answer.h). A small scanner: strip lead-in phrases, read one
// letter token, then make sure the rest does not name a second option.
#include "med/mcq_answer.h"

#include <cctype>
#include <set>
#include <vector>

namespace retort::med {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool valid_letter(char c, const Options& options) {
  if (c < 'A' || c > 'J') return false;
  return options.empty() || options.count(c) > 0;
}

// Reads a letter token at the start of S: "B", "(B)", "[B]", "B)", "B.", "B:", "**B**". Returns the
// letter and sets *rest to what follows; nullopt if S does not start with one.
std::optional<char> leading_letter(std::string_view s, const Options& options, std::string_view* rest) {
  size_t p = 0;
  while (p < s.size() && (is_space(s[p]) || s[p] == '*' || s[p] == '_')) ++p;
  bool bracket = p < s.size() && (s[p] == '(' || s[p] == '[');
  if (bracket) ++p;
  if (p >= s.size()) return std::nullopt;
  char letter = static_cast<char>(std::toupper(static_cast<unsigned char>(s[p])));
  // Lower-case letters only count alone or bracketed ("b", "(b)"), never as the article "a ...".
  bool lower_case = std::islower(static_cast<unsigned char>(s[p]));
  if (!valid_letter(letter, options)) return std::nullopt;
  size_t q = p + 1;
  if (q < s.size() && std::isalnum(static_cast<unsigned char>(s[q]))) return std::nullopt;  // a word
  bool paren_closed = false;
  if (bracket) {
    if (q >= s.size() || (s[q] != ')' && s[q] != ']')) return std::nullopt;
    ++q;
  } else if (q < s.size() && (s[q] == ')' || s[q] == '.' || s[q] == ':' || s[q] == ']')) {
    paren_closed = s[q] == ')';
    ++q;
  }
  while (q < s.size() && (s[q] == '*' || s[q] == '_')) ++q;
  std::string_view after = s.substr(q);
  if (lower_case && !bracket && !paren_closed) {
    size_t k = 0;
    while (k < after.size() && (is_space(after[k]) || after[k] == '.')) ++k;
    if (k != after.size()) return std::nullopt;
  }
  *rest = after;
  return letter;
}

// Strips lead-in phrases ("The correct answer is", "Answer:", "Option", "Final answer -").
std::string_view strip_lead_in(std::string_view s) {
  static const std::vector<std::string> phrases = {
      "the final answer is", "the correct answer is", "the correct option is", "the best answer is",
      "the answer is",       "final answer",          "correct answer",        "answer is",
      "answer",              "the correct option",    "option",                "choice",
      "i choose",            "i pick",                "i think",               "i believe",
      "my answer is",        "my answer"};
  bool changed = true;
  while (changed) {
    changed = false;
    size_t p = 0;
    while (p < s.size() && (is_space(s[p]) || s[p] == '*' || s[p] == '_')) ++p;
    s = s.substr(p);
    std::string low = lower(s.substr(0, 40));
    for (const auto& ph : phrases) {
      if (low.rfind(ph, 0) == 0 && (low.size() == ph.size() || !std::isalpha(static_cast<unsigned char>(low[ph.size()])))) {
        s = s.substr(ph.size());
        size_t q = 0;
        while (q < s.size() && (is_space(s[q]) || s[q] == ':' || s[q] == '-' || s[q] == '*' || s[q] == '=')) ++q;
        s = s.substr(q);
        changed = true;
        break;
      }
    }
  }
  return s;
}

std::optional<char> option_with_text(std::string_view text, const Options& options) {
  std::string n = normalise_option_text(text);
  if (n.empty()) return std::nullopt;
  std::optional<char> found;
  for (const auto& [letter, option] : options) {
    if (normalise_option_text(option) == n) {
      if (found) return std::nullopt;  // two options with the same text: ambiguous
      found = letter;
    }
  }
  return found;
}

// Letters named after every "answer is" / "answer:" in TEXT, in order.
std::vector<char> letters_after_answer_phrases(std::string_view text, const Options& options) {
  std::vector<char> out;
  std::string low = lower(text);
  for (std::string_view key : {"answer is", "answer:"}) {
    for (size_t at = low.find(key); at != std::string::npos; at = low.find(key, at + 1)) {
      std::string_view tail = text.substr(at + key.size());
      size_t k = 0;
      while (k < tail.size() && (is_space(tail[k]) || tail[k] == ':' || tail[k] == '*')) ++k;
      std::string_view ignored;
      if (auto l = leading_letter(tail.substr(k), options, &ignored)) out.push_back(*l);
    }
  }
  return out;
}

}  // namespace

std::string normalise_option_text(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (is_space(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  auto strip_edges = [&] {
    bool changed = true;
    while (changed && !out.empty()) {
      changed = false;
      if (std::string("*_`\"'").find(out.front()) != std::string::npos) out.erase(out.begin()), changed = true;
      if (!out.empty() && std::string("*_`\"'.!;,").find(out.back()) != std::string::npos)
        out.pop_back(), changed = true;
      while (!out.empty() && out.front() == ' ') out.erase(out.begin()), changed = true;
      while (!out.empty() && out.back() == ' ') out.pop_back(), changed = true;
    }
  };
  strip_edges();
  return out;
}

McqChoice read_mcq_choice(std::string_view answer, const Options& options) {
  McqChoice out;
  // 1. The exact text of one option.
  if (auto by_text = option_with_text(answer, options)) {
    out.letter = by_text;
    out.reason = std::string("option text of ") + *by_text;
    return out;
  }
  // 2. A letter token after optional lead-in phrases.
  std::string_view body = strip_lead_in(answer);
  if (auto t = option_with_text(body, options)) {
    out.letter = t;
    out.reason = std::string("option text of ") + *t;
    return out;
  }
  std::string_view rest;
  auto letter = leading_letter(body, options, &rest);
  if (!letter) {
    // 4. A sentence that ends in "... the answer is B".
    auto named = letters_after_answer_phrases(answer, options);
    if (named.empty()) {
      out.reason = "no option letter or option text recognised";
      return out;
    }
    std::optional<char> agreed = named.front();
    letter = agreed;
    rest = {};
  }
  // 3. The rest may repeat the option's own text (or any explanation), but must not name another option.
  std::string rest_norm = normalise_option_text(rest);
  if (!rest_norm.empty()) {
    if (auto other = option_with_text(rest, options); other && *other != *letter) {
      out.reason = std::string("names ") + *letter + " but gives the text of " + *other;
      return out;
    }
    // "A or B", "A, B", "A/B", "A and C", "A & B": a second letter after a connector.
    size_t p = 0;
    while (p < rest.size() && (is_space(rest[p]) || rest[p] == '*')) ++p;
    std::string_view r = rest.substr(p);
    for (std::string_view connector : {"or ", "and ", ",", "/", "&", "+", "; "}) {
      std::string low = lower(r.substr(0, connector.size()));
      if (low != connector) continue;
      std::string_view second_rest;
      auto after = r.substr(connector.size());
      // "or (C)", "or C", "or c" as a lone letter.
      if (auto second = leading_letter(after, options, &second_rest)) {
        out.reason = std::string("names two options: ") + *letter + " and " + *second;
        return out;
      }
      size_t q = 0;
      while (q < after.size() && is_space(after[q])) ++q;
      if (q < after.size() && valid_letter(static_cast<char>(std::toupper(static_cast<unsigned char>(after[q]))), options) &&
          (q + 1 >= after.size() || !std::isalnum(static_cast<unsigned char>(after[q + 1])))) {
        out.reason = std::string("names two options: ") + *letter + " and " + after[q];
        return out;
      }
    }
  }
  // Every "answer is X" anywhere must agree ("The answer is B. Actually, the answer is C" is a hedge).
  for (char other : letters_after_answer_phrases(answer, options)) {
    if (other != *letter) {
      out.reason = std::string("names two options: ") + *letter + " and " + other;
      return out;
    }
  }
  out.letter = letter;
  out.reason = std::string("letter ") + *letter;
  return out;
}

}  // namespace retort::med
