// A PCRE2 regex (UTF + Unicode properties, JIT when available) with the match iteration of Oniguruma's
// find_iter, which the `tokenizers` library uses to split text before BPE.
#pragma once
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace retort::model {

class PretokenizerRegex {
 public:
  // Compiles `pattern` (a literal string when `literal`). Throws TokenizerError naming `where`.
  PretokenizerRegex(const std::string& pattern, bool literal, const std::string& where);

  // Calls on_match(start, end) for each successive match in valid UTF-8 text, in order. An empty match
  // right where the previous match ended is skipped, as Oniguruma's iterator does.
  void for_each_match(std::string_view text, const std::function<void(std::size_t, std::size_t)>& on_match) const;

 private:
  struct Compiled;
  std::shared_ptr<const Compiled> compiled_;
};

}  // namespace retort::model
