// UTF-8 validation, lossy repair (one U+FFFD per maximal invalid subpart) and code point stepping.
#include "model/tokenizer_utf8.h"

namespace retort::model::utf8 {
namespace {

// The number of bytes of a well-formed prefix of the sequence at pos (Unicode table 3-7), and whether
// it is complete. A lead byte that can start no sequence gives (0, false).
struct SequenceScan {
  std::size_t valid_bytes;
  bool complete;
};

SequenceScan scan(std::string_view text, std::size_t pos) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char lead = byte(pos);
  if (lead < 0x80) return {1, true};
  std::size_t need;
  unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    need = 1;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    need = 2;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    need = 3;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return {0, false};
  }
  std::size_t got = 1;
  for (std::size_t k = 0; k < need; ++k) {
    std::size_t i = pos + 1 + k;
    if (i >= text.size()) return {got, false};
    unsigned char b = byte(i);
    unsigned char lo = k == 0 ? low : 0x80, hi = k == 0 ? high : 0xBF;
    if (b < lo || b > hi) return {got, false};
    ++got;
  }
  return {got, true};
}

}  // namespace

std::size_t valid_sequence_length(std::string_view text, std::size_t pos) {
  SequenceScan s = scan(text, pos);
  return s.complete ? s.valid_bytes : 0;
}

bool is_valid(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (static_cast<unsigned char>(text[pos]) < 0x80) {
      ++pos;
      continue;
    }
    std::size_t n = valid_sequence_length(text, pos);
    if (n == 0) return false;
    pos += n;
  }
  return true;
}

std::string repair_lossy(std::string_view text) {
  if (is_valid(text)) return std::string(text);
  std::string out;
  out.reserve(text.size() + 8);
  std::size_t pos = 0;
  while (pos < text.size()) {
    SequenceScan s = scan(text, pos);
    if (s.complete) {
      out.append(text.substr(pos, s.valid_bytes));
      pos += s.valid_bytes;
    } else {
      out.append("\xEF\xBF\xBD");
      pos += s.valid_bytes == 0 ? 1 : s.valid_bytes;
    }
  }
  return out;
}

char32_t next_code_point(std::string_view text, std::size_t& pos) {
  unsigned char lead = static_cast<unsigned char>(text[pos]);
  char32_t cp;
  std::size_t extra;
  if (lead < 0x80) {
    cp = lead, extra = 0;
  } else if (lead < 0xE0) {
    cp = lead & 0x1F, extra = 1;
  } else if (lead < 0xF0) {
    cp = lead & 0x0F, extra = 2;
  } else {
    cp = lead & 0x07, extra = 3;
  }
  ++pos;
  for (std::size_t k = 0; k < extra && pos < text.size(); ++k, ++pos) {
    cp = (cp << 6) | (static_cast<unsigned char>(text[pos]) & 0x3F);
  }
  return cp;
}

char32_t previous_code_point(std::string_view text, std::size_t& end) {
  std::size_t start = end - 1;
  while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
  std::size_t pos = start;
  char32_t cp = next_code_point(text, pos);
  end = start;
  return cp;
}

void append_code_point(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace retort::model::utf8
