// Number, yes/no and label+probability parsing of final answers (see answer_parsing.h).
#include "chem/verifiers/answer_parsing.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <vector>

#include "core/answer_protocol.h"

namespace retort::chem {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool starts_with(std::string_view text, size_t pos, std::string_view what) {
  return text.substr(pos, what.size()) == what;
}

// Length of a minus sign at POS: '-' (1 byte) or U+2212 (3 bytes); 0 if none.
size_t minus_at(std::string_view text, size_t pos) {
  if (pos < text.size() && text[pos] == '-') return 1;
  if (starts_with(text, pos, "\xE2\x88\x92")) return 3;  // U+2212 MINUS SIGN
  return 0;
}

// Superscript digit at POS: its value and byte length, or -1.
int superscript_digit_at(std::string_view text, size_t pos, size_t* length) {
  static const std::pair<std::string_view, int> table[] = {
      {"\xE2\x81\xB0", 0}, {"\xC2\xB9", 1},     {"\xC2\xB2", 2},     {"\xC2\xB3", 3},
      {"\xE2\x81\xB4", 4}, {"\xE2\x81\xB5", 5}, {"\xE2\x81\xB6", 6}, {"\xE2\x81\xB7", 7},
      {"\xE2\x81\xB8", 8}, {"\xE2\x81\xB9", 9}};
  for (const auto& [bytes, digit] : table) {
    if (starts_with(text, pos, bytes)) {
      *length = bytes.size();
      return digit;
    }
  }
  return -1;
}

// Exponent after "10": ^-3, ^{-3}, ^(−3), or superscripts ⁻³. Returns the end position or npos.
size_t parse_power_of_ten_exponent(std::string_view text, size_t pos, int* exponent) {
  if (pos < text.size() && text[pos] == '^') {
    size_t p = pos + 1;
    char close = 0;
    if (p < text.size() && (text[p] == '{' || text[p] == '(')) close = text[p] == '{' ? '}' : ')', ++p;
    int sign = 1;
    if (size_t m = minus_at(text, p)) sign = -1, p += m;
    else if (p < text.size() && text[p] == '+') ++p;
    size_t digits_begin = p;
    while (p < text.size() && is_digit(text[p])) ++p;
    if (p == digits_begin || p - digits_begin > 3) return std::string_view::npos;
    *exponent = sign * std::atoi(std::string(text.substr(digits_begin, p - digits_begin)).c_str());
    if (close) {
      if (p >= text.size() || text[p] != close) return std::string_view::npos;
      ++p;
    }
    return p;
  }
  size_t p = pos;
  int sign = 1;
  if (starts_with(text, p, "\xE2\x81\xBB")) sign = -1, p += 3;       // superscript minus
  else if (starts_with(text, p, "\xE2\x81\xBA")) p += 3;             // superscript plus
  int value = 0, count = 0;
  size_t length = 0;
  for (int d; (d = superscript_digit_at(text, p, &length)) >= 0; p += length, ++count) value = value * 10 + d;
  if (count == 0) return std::string_view::npos;
  *exponent = sign * value;
  return p;
}

}  // namespace

std::string lower_copy(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::optional<NumberSpan> parse_number_at(std::string_view text, size_t pos) {
  size_t p = pos;
  double sign = 1;
  if (size_t m = minus_at(text, p)) sign = -1, p += m;
  else if (p < text.size() && text[p] == '+') ++p;
  // Mantissa: digits with optional thousands groups (1,234,567) and a decimal part.
  std::string mantissa;
  while (p < text.size() && is_digit(text[p])) mantissa += text[p++];
  if (!mantissa.empty() && mantissa.size() <= 3) {
    // Thousands groups: 1,234 and 12,345,678 (each group exactly three digits).
    while (p + 3 < text.size() && text[p] == ',' && is_digit(text[p + 1]) && is_digit(text[p + 2]) &&
           is_digit(text[p + 3]) && (p + 4 >= text.size() || !is_digit(text[p + 4]))) {
      mantissa += text.substr(p + 1, 3);
      p += 4;
    }
  }
  if (p < text.size() && text[p] == '.' && p + 1 < text.size() && is_digit(text[p + 1])) {
    mantissa += text[p++];
    while (p < text.size() && is_digit(text[p])) mantissa += text[p++];
  }
  if (mantissa.empty() || mantissa == ".") return std::nullopt;
  double value = std::strtod(mantissa.c_str(), nullptr);
  // Exponent: e-3 / E+3.
  if (p < text.size() && (text[p] == 'e' || text[p] == 'E')) {
    size_t q = p + 1;
    int esign = 1;
    if (size_t m = minus_at(text, q)) esign = -1, q += m;
    else if (q < text.size() && text[q] == '+') ++q;
    size_t digits_begin = q;
    while (q < text.size() && is_digit(text[q])) ++q;
    if (q > digits_begin && q - digits_begin <= 3 && (q >= text.size() || !is_alpha(text[q]))) {
      value *= std::pow(10.0, esign * std::atoi(std::string(text.substr(digits_begin, q - digits_begin)).c_str()));
      p = q;
    }
  } else if (mantissa == "10") {
    // A bare power of ten: 10^-3, 10⁻³.
    int exponent = 0;
    size_t q = parse_power_of_ten_exponent(text, p, &exponent);
    if (q != std::string_view::npos) value = std::pow(10.0, exponent), p = q;
  } else {
    // "x 10^-3", "× 10⁻³", "*10^-3", "· 10^-3".
    size_t q = p;
    while (q < text.size() && text[q] == ' ') ++q;
    size_t times = 0;
    if (q < text.size() && (text[q] == 'x' || text[q] == 'X' || text[q] == '*')) times = 1;
    else if (starts_with(text, q, "\xC3\x97") || starts_with(text, q, "\xC2\xB7")) times = 2;  // × ·
    else if (starts_with(text, q, "\xE2\x8B\x85")) times = 3;                                     // ⋅
    if (times) {
      q += times;
      while (q < text.size() && text[q] == ' ') ++q;
      if (starts_with(text, q, "10")) {
        int exponent = 0;
        size_t r = parse_power_of_ten_exponent(text, q + 2, &exponent);
        if (r != std::string_view::npos) value *= std::pow(10.0, exponent), p = r;
      }
    }
  }
  if (!std::isfinite(value)) return std::nullopt;
  return NumberSpan{sign * value, pos, p};
}

std::optional<NumberSpan> find_number(std::string_view text, size_t from) {
  for (size_t i = from; i < text.size(); ++i) {
    char c = text[i];
    bool may_start = is_digit(c) || c == '-' || c == '+' || minus_at(text, i) ||
                     (c == '.' && i + 1 < text.size() && is_digit(text[i + 1]));
    if (!may_start) continue;
    // Glued to a word ("log10", "C2H6O", "H2O", "x-3"): not a number of its own. Skip the word.
    if (i > 0 && (is_alpha(text[i - 1]) || is_digit(text[i - 1]) || text[i - 1] == '_')) {
      while (i < text.size() && (is_alpha(text[i]) || is_digit(text[i]) || text[i] == '_' || text[i] == '.')) ++i;
      continue;
    }
    if (auto n = parse_number_at(text, i)) {
      // A number running into letters ("2nd", "3D") is a word, not a value.
      if (n->end < text.size() && is_alpha(text[n->end]) && !is_space(text[n->end])) {
        std::string_view rest = text.substr(n->end);
        // Units written without a space are fine: "5mg", "180g/mol", "90Å" stay numbers only when the
        // letters are a unit-like tail; ordinals and identifiers are skipped.
        static const char* ordinals[] = {"st", "nd", "rd", "th", "d", "D"};
        bool ordinal = false;
        for (const char* o : ordinals) {
          std::string_view ov(o);
          if (rest.substr(0, ov.size()) == ov && (rest.size() == ov.size() || !is_alpha(rest[ov.size()])))
            ordinal = true;
        }
        if (ordinal) {
          i = n->end;
          continue;
        }
      }
      return n;
    }
  }
  return std::nullopt;
}

NumericAnswer parse_numeric_answer(std::string_view answer) {
  NumericAnswer out;
  auto first = find_number(answer);
  if (!first) {
    // A lone number word: "three", "zero".
    static const char* words[] = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                                  "ten", "eleven", "twelve"};
    std::string low = lower_copy(retort::trim_copy(answer));
    while (!low.empty() && (low.back() == '.' || low.back() == '!')) low.pop_back();
    for (int i = 0; i <= 12; ++i) {
      if (low == words[i]) {
        out.value = i;
        return out;
      }
    }
    out.reason = "no number in the answer";
    return out;
  }
  out.value = first->value;
  std::string before = lower_copy(answer.substr(0, first->begin));
  for (const char* word : {"between", "either", "range"}) {
    if (before.find(word) != std::string::npos) {
      out.hedged = true;
      out.reason = std::string("hedged: '") + word + "' before the number";
      return out;
    }
  }
  // A second value joined by a hedge connector: "-2 or -3", "1.5-2.0", "1 to 2", "~1/~2".
  size_t p = first->end;
  while (true) {
    auto next = find_number(answer, p);
    if (!next) break;
    std::string between = lower_copy(answer.substr(first->end, next->begin - first->end));
    std::string joined;
    for (char c : between)
      if (!is_space(c)) joined += c;
    // A range written with a hyphen: "1.5-2.0" parses the second number as -2.0 directly.
    if (joined.empty() && answer[next->begin] == '-') joined = "-";
    static const char* connectors[] = {"or", "to", "and", "-", "\xE2\x80\x93", "\xE2\x80\x94", "/", ",", "~",
                                       "ormaybe", "orpossibly", "or~", "to~", "and~", ";", "orabout"};
    bool plus_minus = between.find("\xC2\xB1") != std::string::npos || between.find("+/-") != std::string::npos;
    if (!plus_minus) {
      for (const char* c : connectors) {
        if (joined == c) {
          out.hedged = true;
          out.reason = "hedged: two values ('" + retort::trim_copy(answer.substr(first->begin, next->end - first->begin)) + "')";
          return out;
        }
      }
    }
    break;  // any other second number is a unit, a temperature or a conversion: not a hedge
  }
  return out;
}

std::optional<bool> parse_binary_answer(std::string_view answer) {
  std::string s = lower_copy(answer);
  auto strip = [&](const std::string& chars) {
    bool changed = true;
    while (changed && !s.empty()) {
      changed = false;
      while (!s.empty() && is_space(s.front())) s.erase(s.begin()), changed = true;
      while (!s.empty() && is_space(s.back())) s.pop_back(), changed = true;
      if (!s.empty() && chars.find(s.back()) != std::string::npos) s.pop_back(), changed = true;
      if (!s.empty() && std::string("*_`\"'").find(s.front()) != std::string::npos) s.erase(s.begin()), changed = true;
    }
  };
  strip(".!;:,*_`\"'");
  if (s == "yes" || s == "true" || s == "1") return true;
  if (s == "no" || s == "false" || s == "0") return false;
  return std::nullopt;
}

BinaryWithProbability parse_binary_with_probability(std::string_view answer) {
  BinaryWithProbability out;
  std::string s = lower_copy(answer);
  // The label is the first word.
  size_t b = 0;
  while (b < s.size() && !(is_alpha(s[b]) || is_digit(s[b]))) ++b;
  size_t e = b;
  while (e < s.size() && (is_alpha(s[e]) || is_digit(s[e]))) ++e;
  if (std::string_view(s).substr(0, b).find_first_not_of(" \t\n*_`\"'(") != std::string_view::npos) {
    out.reason = "unexpected text before the label";
    return out;
  }
  out.label = parse_binary_answer(s.substr(b, e - b));
  if (!out.label) {
    out.reason = "label is not yes/no/true/false/1/0";
    return out;
  }
  // The rest may only state a probability: words probability/p/confidence/likelihood, = : ( ) , ; %.
  std::string rest = s.substr(e);
  std::optional<NumberSpan> number = find_number(rest);
  std::string words = rest;
  if (number) words.erase(number->begin, number->end - number->begin);
  for (const char* allowed : {"probability", "confidence", "likelihood", "prob", "p"}) {
    for (size_t at; (at = words.find(allowed)) != std::string::npos;) words.erase(at, std::string(allowed).size());
  }
  for (char c : words) {
    if (is_alpha(c) || is_digit(c)) {
      out.label.reset();
      out.reason = "more than a label and a probability: '" + retort::trim_copy(answer) + "'";
      return out;
    }
  }
  if (number) {
    double p = number->value;
    if (number->end < rest.size() && rest[number->end] == '%') p /= 100.0;
    if (p < 0 || p > 1) {
      out.label.reset();
      out.reason = "probability outside [0, 1]";
      return out;
    }
    // A stated probability is read as confidence in the stated label.
    out.probability = *out.label ? std::max(p, 1 - p) : std::min(p, 1 - p);
  }
  return out;
}

}  // namespace retort::chem
