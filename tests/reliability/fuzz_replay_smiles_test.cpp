// Replays fuzz/corpus/smiles/ (seeds and crash regressions) through fuzz/smiles.cpp's entry point.
#define LLVMFuzzerTestOneInput fuzz_smiles_one_input
#define RETORT_TINY_TOKENIZER_PATH RETORT_SOURCE_DIR "/src/model/assets/tiny_tokenizer.json"
#include "fuzz/smiles.cpp"
#undef LLVMFuzzerTestOneInput

#include "tests/reliability/fuzz_replay.h"

RETORT_FUZZ_REPLAY_TEST(smiles, 5)
