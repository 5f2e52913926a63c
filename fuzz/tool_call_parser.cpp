// Fuzz target: the tool-call parser (tools/tool_call_parser.h) on raw model text, then the tool turn
// that follows it: cheap tools (calculator, unit_convert) run on well-formed calls, and every result is
// rendered as the <tool_response> block the model reads (tools run on the caller's thread: Deadline::never).
// Invariants: blocks come in order, inside the text, without overlap, at most max_calls + 1 of them;
// a good block has a non-empty name and object arguments, an error block a message; the rendered
// response holds exactly one opening and one closing tag (tool output cannot open or close blocks).
#include <nlohmann/json.hpp>

#include "fuzz/fuzz_input.h"
#include "tools/general_tools.h"
#include "tools/registry.h"
#include "tools/tool_call_parser.h"
#include "tools/tool_response.h"

namespace {

size_t count(std::string_view text, std::string_view needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string_view::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

const retort::tools::ToolRegistry& cheap_tools() {
  static const retort::tools::ToolRegistry registry = [] {
    retort::tools::ToolRegistry r;
    r.add(retort::tools::make_calculator_tool());
    r.add(retort::tools::make_unit_convert_tool());
    return r;
  }();
  return registry;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace retort::tools;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  ToolCallParser parser;
  auto blocks = parser.parse(text);
  FUZZ_CHECK(blocks.size() <= parser.limits().max_calls + 1);
  size_t previous_end = 0;
  for (const auto& block : blocks) {
    FUZZ_CHECK(block.begin >= previous_end);
    FUZZ_CHECK(block.begin <= block.end && block.end <= text.size());
    previous_end = block.end;
    if (block.ok()) {
      FUZZ_CHECK(block.error.empty());
      FUZZ_CHECK(!block.call->name.empty());
      FUZZ_CHECK(block.call->arguments.is_object());
    } else {
      FUZZ_CHECK(!block.error.empty());
    }
    ToolResult result = block.ok() ? cheap_tools().call(block.call->name, block.call->arguments, Deadline::never())
                                   : ToolResult::failure(block.error);
    if (!result.ok) FUZZ_CHECK(!result.error.empty());
    std::string response = render_tool_response(result, 512);
    FUZZ_CHECK(count(response, "<tool_response>") == 1);
    FUZZ_CHECK(count(response, "</tool_response>") == 1);
    FUZZ_CHECK(count(response, "<tool_call>") == 0);
    FUZZ_CHECK(retort::fuzz::valid_utf8(response));
  }
  return 0;
}
