// Replays fuzz/corpus/line_scorer/ (seeds and crash regressions) through fuzz/line_scorer.cpp's entry point.
#define LLVMFuzzerTestOneInput fuzz_line_scorer_one_input
#define RETORT_TINY_TOKENIZER_PATH RETORT_SOURCE_DIR "/src/model/assets/tiny_tokenizer.json"
#include "fuzz/line_scorer.cpp"
#undef LLVMFuzzerTestOneInput

#include "tests/reliability/fuzz_replay.h"

RETORT_FUZZ_REPLAY_TEST(line_scorer, 5)
