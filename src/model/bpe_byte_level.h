// GPT-2's reversible byte <-> unicode table used by byte-level BPE: every byte is shown as one
// printable code point (printable Latin-1 bytes as themselves, the rest as U+0100 + n), so BPE works
// on text that can hold any byte sequence.
#pragma once
#include <array>
#include <cstdint>
#include <string>

namespace retort::model::byte_level {

// The UTF-8 encoding of the code point that stands for each byte (byte 0x20 ' ' -> "Ġ").
const std::array<std::string, 256>& byte_to_unicode();

// The byte a code point stands for, or -1 if it stands for none.
int unicode_to_byte(char32_t code_point);

}  // namespace retort::model::byte_level
