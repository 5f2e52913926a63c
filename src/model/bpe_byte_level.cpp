// GPT-2's bytes_to_unicode table (openai/gpt-2 encoder.py) and its inverse.
#include "model/bpe_byte_level.h"

#include "model/tokenizer_utf8.h"

namespace retort::model::byte_level {
namespace {

struct Tables {
  std::array<std::string, 256> to_unicode;
  std::array<char32_t, 256> code_points{};
  Tables() {
    int extra = 0;
    for (int b = 0; b < 256; ++b) {
      bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      code_points[b] = printable ? static_cast<char32_t>(b) : static_cast<char32_t>(256 + extra++);
      utf8::append_code_point(to_unicode[b], code_points[b]);
    }
  }
};

const Tables& tables() {
  static const Tables t;
  return t;
}

}  // namespace

const std::array<std::string, 256>& byte_to_unicode() { return tables().to_unicode; }

int unicode_to_byte(char32_t cp) {
  // Printable bytes map to themselves; the other 68 bytes map to U+0100..U+0143 in byte order.
  if ((cp >= '!' && cp <= '~') || (cp >= 0xA1 && cp <= 0xAC) || (cp >= 0xAE && cp <= 0xFF)) return static_cast<int>(cp);
  if (cp >= 0x100 && cp < 0x100 + 68) {
    static const auto inverse = [] {
      std::array<int, 68> inv{};
      const auto& t = tables();
      for (int b = 0; b < 256; ++b)
        if (t.code_points[b] >= 0x100) inv[t.code_points[b] - 0x100] = b;
      return inv;
    }();
    return inverse[cp - 0x100];
  }
  return -1;
}

}  // namespace retort::model::byte_level
