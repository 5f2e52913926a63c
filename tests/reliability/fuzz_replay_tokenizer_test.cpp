// Replays fuzz/corpus/tokenizer/ (seeds and crash regressions) through fuzz/tokenizer.cpp's entry point.
#define LLVMFuzzerTestOneInput fuzz_tokenizer_one_input
#define RETORT_TINY_TOKENIZER_PATH RETORT_SOURCE_DIR "/src/model/assets/tiny_tokenizer.json"
#include "fuzz/tokenizer.cpp"
#undef LLVMFuzzerTestOneInput

#include "tests/reliability/fuzz_replay.h"

RETORT_FUZZ_REPLAY_TEST(tokenizer, 5)
