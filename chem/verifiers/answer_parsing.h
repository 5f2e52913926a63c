// Parsing of short final answers shared by the chemistry verifiers and the claim extractor: numbers in
// the notations models write (unicode minus, 1.2e-3, 1.2 x 10^-3, 1.2×10⁻³, 1,234.5, trailing
// units), yes/no answers, and "label + optional probability" answers for binary property tasks.
// Pure text functions: no RDKit, never throw on model output.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace retort::chem {

struct NumberSpan {
  double value = 0;
  size_t begin = 0, end = 0;  // byte range in the text
};

// The number that starts exactly at POS (sign included), or nullopt.
std::optional<NumberSpan> parse_number_at(std::string_view text, size_t pos);
// The first number in TEXT not glued to a preceding letter (so "log10" and "C2H6O" hold no number),
// starting the search at FROM.
std::optional<NumberSpan> find_number(std::string_view text, size_t from = 0);

struct NumericAnswer {
  std::optional<double> value;
  bool hedged = false;   // "-2 or -3", "between 1 and 2", "1.5-2.0": more than one candidate
  std::string reason;    // why there is no value, or why it is hedged
};
NumericAnswer parse_numeric_answer(std::string_view answer);

// yes/no/true/false/1/0, any case, surrounding quotes/markdown and trailing punctuation allowed.
std::optional<bool> parse_binary_answer(std::string_view answer);

struct BinaryWithProbability {
  std::optional<bool> label;
  std::optional<double> probability;  // of the positive class, in [0, 1], when stated
  std::string reason;
};
// "yes", "No.", "yes (probability 0.83)", "Yes, p = 0.9", "no; confidence 70%".
BinaryWithProbability parse_binary_with_probability(std::string_view answer);

// ASCII lower-case copy.
std::string lower_copy(std::string_view text);

}  // namespace retort::chem
