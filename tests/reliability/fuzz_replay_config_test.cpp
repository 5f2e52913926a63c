// Replays fuzz/corpus/config/ (seeds and crash regressions) through fuzz/config.cpp's entry point.
#define LLVMFuzzerTestOneInput fuzz_config_one_input
#define RETORT_TINY_TOKENIZER_PATH RETORT_SOURCE_DIR "/src/model/assets/tiny_tokenizer.json"
#include "fuzz/config.cpp"
#undef LLVMFuzzerTestOneInput

#include "tests/reliability/fuzz_replay.h"

RETORT_FUZZ_REPLAY_TEST(config, 5)
