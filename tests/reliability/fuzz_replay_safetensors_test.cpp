// Replays fuzz/corpus/safetensors/ (seeds and crash regressions) through fuzz/safetensors.cpp's entry point.
#define LLVMFuzzerTestOneInput fuzz_safetensors_one_input
#define RETORT_TINY_TOKENIZER_PATH RETORT_SOURCE_DIR "/src/model/assets/tiny_tokenizer.json"
#include "fuzz/safetensors.cpp"
#undef LLVMFuzzerTestOneInput

#include "tests/reliability/fuzz_replay.h"

RETORT_FUZZ_REPLAY_TEST(safetensors, 5)
