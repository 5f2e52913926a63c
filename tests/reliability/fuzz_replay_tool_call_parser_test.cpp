// Replays fuzz/corpus/tool_call_parser/ (seeds and crash regressions) through fuzz/tool_call_parser.cpp's entry point.
#define LLVMFuzzerTestOneInput fuzz_tool_call_parser_one_input
#define RETORT_TINY_TOKENIZER_PATH RETORT_SOURCE_DIR "/src/model/assets/tiny_tokenizer.json"
#include "fuzz/tool_call_parser.cpp"
#undef LLVMFuzzerTestOneInput

#include "tests/reliability/fuzz_replay.h"

RETORT_FUZZ_REPLAY_TEST(tool_call_parser, 5)
