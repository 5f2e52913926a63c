// Helpers shared by the chemistry verifiers: the format component, answer clean-up, the task's
// molecule and reference errors that name the field.
#pragma once
#include <optional>
#include <stdexcept>
#include <string>

#include "chem/molecule.h"
#include "core/answer_protocol.h"
#include "core/verifier.h"

namespace retort::chem {

// A Score with `format` set from the parsed completion and `answer` = 0 until decided.
Score start_score(const ParsedCompletion& parsed);
void set_answer(Score& score, bool correct, const std::string& reason);

// Strips code fences, backticks, quotes, markdown emphasis, a "SMILES:" label and a final period.
std::string clean_answer(const std::string& answer);

// The Example's molecule (its "smiles" field); nullopt when absent; std::invalid_argument naming the
// field when it does not parse.
std::optional<Molecule> example_molecule(const Example& example);

}  // namespace retort::chem
