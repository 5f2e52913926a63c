// Leftmost-longest search for added tokens and the lstrip / rstrip / single_word rules of
// tokenizers' AddedVocabulary::find_matches (word and space tests as Rust regex's \w and \s).
#include "model/tokenizer_added_tokens.h"

#include <unicode/uchar.h>

#include <algorithm>

#include "model/tokenizer_utf8.h"

namespace retort::model {
namespace {

// Rust regex's Unicode \w: Alphabetic, marks, decimal digits, connector punctuation, join controls.
bool is_word_character(char32_t c) {
  UChar32 u = static_cast<UChar32>(c);
  if (u_hasBinaryProperty(u, UCHAR_ALPHABETIC) || u_hasBinaryProperty(u, UCHAR_JOIN_CONTROL)) return true;
  int8_t type = u_charType(u);
  return type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK || type == U_COMBINING_SPACING_MARK ||
         type == U_DECIMAL_DIGIT_NUMBER || type == U_CONNECTOR_PUNCTUATION;
}

bool is_white_space(char32_t c) { return u_isUWhiteSpace(static_cast<UChar32>(c)); }

}  // namespace

AddedTokenSplitter::AddedTokenSplitter(std::vector<AddedToken> tokens, std::vector<std::string> patterns)
    : tokens_(std::move(tokens)), patterns_(std::move(patterns)) {
  for (std::size_t i = 0; i < patterns_.size(); ++i)
    if (!patterns_[i].empty()) by_first_byte_[static_cast<unsigned char>(patterns_[i][0])].push_back(static_cast<int>(i));
  for (auto& bucket : by_first_byte_)
    std::stable_sort(bucket.begin(), bucket.end(), [&](int a, int b) { return patterns_[a].size() > patterns_[b].size(); });
}

void AddedTokenSplitter::split(std::string_view text, std::vector<Segment>& out) const {
  std::size_t segment_start = 0;  // end of the last emitted segment ("start_offset" in tokenizers)
  std::size_t search = 0;         // where the next leftmost-longest search begins
  while (search < text.size()) {
    // Leftmost match, longest at that position.
    int found = -1;
    std::size_t match_start = search;
    for (; match_start < text.size() && found < 0; ++match_start) {
      for (int index : by_first_byte_[static_cast<unsigned char>(text[match_start])]) {
        if (text.compare(match_start, patterns_[index].size(), patterns_[index]) == 0) {
          found = index;
          break;
        }
      }
      if (found >= 0) break;
    }
    if (found < 0) break;
    std::size_t start = match_start, stop = match_start + patterns_[found].size();
    search = stop;
    const AddedToken& token = tokens_[found];
    if (token.single_word) {
      bool space_before = true, space_after = true;
      if (start > 0) {
        std::size_t end = start;
        space_before = !is_word_character(utf8::previous_code_point(text, end));
      }
      if (stop < text.size()) {
        std::size_t pos = stop;
        space_after = !is_word_character(utf8::next_code_point(text, pos));
      }
      if (!space_before || !space_after) continue;
    }
    if (token.lstrip) {
      std::size_t new_start = start;
      while (new_start > 0) {
        std::size_t end = new_start;
        char32_t c = utf8::previous_code_point(text, end);
        if (!is_white_space(c)) break;
        new_start = end;
      }
      start = std::max(new_start, segment_start);  // whitespace a previous match already took stays with it
    }
    if (token.rstrip) {
      std::size_t pos = stop;
      while (pos < text.size()) {
        std::size_t next = pos;
        if (!is_white_space(utf8::next_code_point(text, next))) break;
        pos = next;
      }
      stop = pos;
    }
    if (segment_start < start) out.push_back({segment_start, start, -1});
    out.push_back({start, stop, token.id});
    segment_start = stop;
  }
  if (segment_start < text.size()) out.push_back({segment_start, text.size(), -1});
}

}  // namespace retort::model
