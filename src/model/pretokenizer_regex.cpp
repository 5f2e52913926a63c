// PCRE2-backed pre-tokenizer regex: compiled once with PCRE2_UTF | PCRE2_UCP, JIT-compiled, matched
// with a per-thread match block.
#define PCRE2_CODE_UNIT_WIDTH 8
#include "model/pretokenizer_regex.h"

#include <pcre2.h>

#include "model/tokenizer_error.h"
#include "model/tokenizer_utf8.h"

namespace retort::model {

struct PretokenizerRegex::Compiled {
  pcre2_code* code = nullptr;
  ~Compiled() { pcre2_code_free(code); }
};

PretokenizerRegex::PretokenizerRegex(const std::string& pattern, bool literal, const std::string& where) {
  int error_code = 0;
  PCRE2_SIZE error_offset = 0;
  uint32_t options = PCRE2_UTF | PCRE2_UCP | (literal ? PCRE2_LITERAL : 0);
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), options, &error_code,
                                   &error_offset, nullptr);
  if (code == nullptr) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(error_code, message, sizeof message);
    throw TokenizerError(where + ": regex does not compile at offset " + std::to_string(error_offset) + ": " +
                         reinterpret_cast<const char*>(message));
  }
  pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);  // falls back to the interpreter where JIT is unavailable
  auto compiled = std::make_shared<Compiled>();
  compiled->code = code;
  compiled_ = std::move(compiled);
}

void PretokenizerRegex::for_each_match(std::string_view text,
                                       const std::function<void(std::size_t, std::size_t)>& on_match) const {
  // One ovector pair is enough: only the whole match is used (rc == 0 then means "groups not stored").
  struct MatchData {
    pcre2_match_data* data = pcre2_match_data_create(1, nullptr);
    ~MatchData() { pcre2_match_data_free(data); }
  };
  thread_local MatchData match;
  const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
  std::size_t search_from = 0;
  bool have_previous = false;
  std::size_t previous_end = 0;
  while (search_from <= text.size()) {
    int rc = pcre2_match(compiled_->code, subject, text.size(), search_from, PCRE2_NO_UTF_CHECK, match.data, nullptr);
    if (rc == PCRE2_ERROR_NOMATCH) return;
    if (rc < 0) {
      PCRE2_UCHAR message[256];
      pcre2_get_error_message(rc, message, sizeof message);
      throw TokenizerError(std::string("pre-tokenizer regex match failed: ") + reinterpret_cast<const char*>(message));
    }
    const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(match.data);
    std::size_t start = ovector[0], end = ovector[1];
    if (start == end && have_previous && previous_end == end) {
      if (search_from >= text.size()) return;
      std::size_t step = utf8::valid_sequence_length(text, search_from);
      search_from += step == 0 ? 1 : step;
      continue;
    }
    search_from = end;
    have_previous = true;
    previous_end = end;
    on_match(start, end);
  }
}

}  // namespace retort::model
