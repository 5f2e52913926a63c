// UTF-8 helpers of the tokenizer: decoding one code point, and the lossy repair that Rust's
// String::from_utf8_lossy (and Python's bytes.decode("utf-8", "replace")) apply: each maximal
// invalid subpart becomes one U+FFFD.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace retort::model::utf8 {

// Length of the valid UTF-8 sequence starting at text[pos], or 0 if the bytes there are not one.
std::size_t valid_sequence_length(std::string_view text, std::size_t pos);

// True if the whole text is valid UTF-8.
bool is_valid(std::string_view text);

// The text with every maximal invalid subpart replaced by U+FFFD (unchanged if already valid).
std::string repair_lossy(std::string_view text);

// Decodes the code point at text[pos] of valid UTF-8 and advances pos past it.
char32_t next_code_point(std::string_view text, std::size_t& pos);

// Decodes the code point that ends at text[end] (exclusive) of valid UTF-8 and moves end back to its start.
char32_t previous_code_point(std::string_view text, std::size_t& end);

// Appends the UTF-8 encoding of a code point.
void append_code_point(std::string& out, char32_t code_point);

}  // namespace retort::model::utf8
