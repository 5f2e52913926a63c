// Reading which option a multiple-choice answer names: "B", "(B)", "B.", "B) text", "The answer is B",
// "Answer: (B) text", or the exact option text; two different options named -> no choice (a hedge).
// Options are letters A-J. Pure text, never throws on model output.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace retort::med {

using Options = std::map<char, std::string>;  // 'A' -> option text

struct McqChoice {
  std::optional<char> letter;  // the one option named, or nullopt
  std::string reason;          // how it was read, or why not
};

// OPTIONS may be empty (then any letter A-J counts and option texts cannot be matched).
McqChoice read_mcq_choice(std::string_view answer, const Options& options);

// Lower-case, inner whitespace collapsed, surrounding space/markdown and final punctuation removed.
std::string normalise_option_text(std::string_view text);

}  // namespace retort::med
