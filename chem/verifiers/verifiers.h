// Chemistry verifiers and their registration in the core VerifierRegistry (explicit: static libraries
// drop static initialisers). Names: chem.mol_equal, chem.mol_formula, chem.functional_group,
// chem.numeric, chem.binary, chem.property, chem.perception. Each gives `answer` and `format`, and the
// claim components of reasoning_rewards.h where the reasoning makes checkable claims.
#pragma once
#include "core/verifier.h"

namespace retort::chem {

void register_verifiers(VerifierRegistry& registry);

}  // namespace retort::chem
