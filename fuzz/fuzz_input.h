// Helpers shared by the libFuzzer targets in fuzz/: split one fuzz input into fields, and a checked
// invariant that aborts (a libFuzzer crash, a failed replay test) with a readable message.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace retort::fuzz {

// The input as text, cut into fields at each byte '\x1f' (ASCII unit separator), at most MAX_FIELDS
// fields (the last one keeps any further separators). Seeds are written with that separator.
inline std::vector<std::string> split_fields(const uint8_t* data, size_t size, size_t max_fields) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> fields;
  while (fields.size() + 1 < max_fields) {
    size_t cut = text.find('\x1f');
    if (cut == std::string_view::npos) break;
    fields.emplace_back(text.substr(0, cut));
    text.remove_prefix(cut + 1);
  }
  fields.emplace_back(text);
  fields.resize(max_fields);
  return fields;
}

// True when TEXT is well-formed UTF-8 (no overlongs, surrogates or code points above U+10FFFF).
inline bool valid_utf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > text.size()) return false;
    uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t k = 1; k < len; ++k) {
      unsigned char d = static_cast<unsigned char>(text[i + k]);
      if ((d >> 6) != 0x2) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    static constexpr uint32_t min_for_len[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_len[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

// A broken invariant: prints WHAT and aborts, which libFuzzer records as a crash with its input.
[[noreturn]] inline void invariant_failed(const char* what, const char* file, int line) {
  std::fprintf(stderr, "fuzz invariant failed at %s:%d: %s\n", file, line, what);
  std::abort();
}

}  // namespace retort::fuzz

#define FUZZ_CHECK(condition) \
  ((condition) ? (void)0 : ::retort::fuzz::invariant_failed(#condition, __FILE__, __LINE__))
