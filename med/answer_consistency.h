// ACRE-style answer consistency for multiple choice: re-ask the same question with the options
// shuffled and reward only answers that agree across both orders and are correct. The trainer calls
// shuffle_options() to build the second prompt and answer_consistency() to score the pair.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "med/mcq_formats.h"

namespace retort::med {

struct ShuffledMcq {
  McqItem item;                 // the same question with options re-lettered; item.answer moved
  std::vector<char> original;   // original[new letter - 'A'] = the letter it had before
};

// A seeded permutation of the options that moves the correct option whenever there are >= 2 options.
ShuffledMcq shuffle_options(const McqItem& item, uint64_t seed);

struct ConsistencyScore {
  double reward = 0;       // 1 when both answers name the correct option, else 0
  bool consistent = false; // both answers name the same original option
  std::string reason;
};

// ORIGINAL_CHOICE is a letter of the original item, SHUFFLED_CHOICE a letter of the shuffled one
// (0 = no answer). The correct option is the original item's answer.
ConsistencyScore answer_consistency(const McqItem& original, const ShuffledMcq& shuffled, char original_choice,
                                    char shuffled_choice);

}  // namespace retort::med
