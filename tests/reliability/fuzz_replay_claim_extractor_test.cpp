// Replays fuzz/corpus/claim_extractor/ (seeds and crash regressions) through fuzz/claim_extractor.cpp's entry point.
#define LLVMFuzzerTestOneInput fuzz_claim_extractor_one_input
#define RETORT_TINY_TOKENIZER_PATH RETORT_SOURCE_DIR "/src/model/assets/tiny_tokenizer.json"
#include "fuzz/claim_extractor.cpp"
#undef LLVMFuzzerTestOneInput

#include "tests/reliability/fuzz_replay.h"

RETORT_FUZZ_REPLAY_TEST(claim_extractor, 5)
