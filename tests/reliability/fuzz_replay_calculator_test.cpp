// Replays fuzz/corpus/calculator/ (seeds and crash regressions) through fuzz/calculator.cpp's entry point.
#define LLVMFuzzerTestOneInput fuzz_calculator_one_input
#define RETORT_TINY_TOKENIZER_PATH RETORT_SOURCE_DIR "/src/model/assets/tiny_tokenizer.json"
#include "fuzz/calculator.cpp"
#undef LLVMFuzzerTestOneInput

#include "tests/reliability/fuzz_replay.h"

RETORT_FUZZ_REPLAY_TEST(calculator, 5)
