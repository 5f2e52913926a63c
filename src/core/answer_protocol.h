// The think/answer protocol of completions (DESIGN.md): the `format` verdict (exactly one
// <think>...</think> followed by exactly one <answer>...</answer>, only whitespace around them) and the
// final answer (the last <answer> block, else the last \boxed{...}, else none). Torch-free, used by
// every verifier; model output is untrusted, so nothing here throws on odd text.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace retort {

enum class AnswerSource { none, answer_tag, boxed };

struct ParsedCompletion {
  bool well_formed = false;                 // the `format` component is 1 exactly when this is true
  std::string format_reason;                // why not well formed ("2 <answer> blocks"), or "ok"
  std::string reasoning;                    // text of the (first) think block, or the text before the answer
  std::optional<std::string> final_answer;  // trimmed; \boxed{X} as the whole answer is unwrapped to X
  AnswerSource source = AnswerSource::none;
};

ParsedCompletion parse_completion(std::string_view completion);

// Content of the last \boxed{...} whose braces balance (nested braces allowed), else nullopt.
std::optional<std::string> last_boxed(std::string_view text);

// Whitespace trimmed on both sides (ASCII whitespace).
std::string trim_copy(std::string_view text);

}  // namespace retort
