// Nesting depth of untrusted JSON text, checked before parsing: nlohmann's parser is iterative, but
// copying, comparing and dumping a parsed value recurse once per level, so a line nested 100000 deep
// ("[[[[...") overflows the stack later. Lines of `retort score` and task files are bounded with this.
#pragma once
#include <cstddef>
#include <string_view>

namespace retort {

// Deepest JSON nesting accepted from untrusted text; real lines nest a handful of levels.
inline constexpr size_t kMaxJsonDepth = 128;

// True when the arrays and objects of TEXT (brackets inside strings not counted, escapes honoured)
// nest deeper than MAX_DEPTH. A cheap O(n) scan that stops at the first level past MAX_DEPTH; TEXT
// need not be valid JSON.
bool json_nested_deeper_than(std::string_view text, size_t max_depth = kMaxJsonDepth);

}  // namespace retort
