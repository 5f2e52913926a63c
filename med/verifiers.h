// Medical verifiers and their registration: "med.mcq" (one letter among options A-J, Fleming-R1's
// answer + format rewards). Registered explicitly (static libraries drop static initialisers).
#pragma once
#include <nlohmann/json.hpp>

#include "core/verifier.h"
#include "med/mcq_answer.h"

namespace retort::med {

// Adds "med.mcq" to REGISTRY.
void register_verifiers(VerifierRegistry& registry);

// The options of an MCQ example: reference {"options": ...} or example.meta["options"]; throws
// std::invalid_argument naming the problem when they are malformed.
Options options_of(const Example& example);
// The correct letter: reference "B" or {"answer": "B"}; throws std::invalid_argument otherwise.
char reference_letter(const Example& example, const Options& options);

}  // namespace retort::med
