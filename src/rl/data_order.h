// The order in which the trainer visits its training examples: a seeded permutation per data epoch,
// optionally label-balanced for yes/no tasks so that RL on an imbalanced set (BBBP is 78% "yes")
// does not learn to answer the majority class: the minority examples are repeated until every
// label has as many entries as the largest one.
#pragma once
#include <cstdint>
#include <vector>

#include "core/example.h"

namespace retort::rl {

// Indices into TRAIN for data epoch EPOCH; depends on (SEED, EPOCH, TRAIN) only. With BALANCE_LABELS
// the examples whose reference answer is a JSON boolean are grouped by it and the smaller groups are
// oversampled (whole passes, then a seeded sample for the remainder); other examples appear once.
std::vector<size_t> epoch_order(const std::vector<Example>& train, uint64_t seed, int64_t epoch, bool balance_labels);

}  // namespace retort::rl
