// Cold-start SFT traces: for a MoleculeNet Example, a completion "<think>...</think>\n<answer>...</answer>"
// written from RDKit facts about its molecule (descriptor values, functional groups, ring counts,
// Lipinski), one or two principle rules of the task with their direction, and a conclusion equal to the
// reference answer. Every stated number is the chem/ value rounded as printed, so a claim checker that
// recomputes it finds it true. Phrasings vary with a seeded RNG; the short form states fewer claims
// (for the tiny model's 512-1024 token context).
//
// Claim sentences (the exact shapes, so a claim extractor can read them):
//   "The molecular weight is 180.16 g/mol." / "Its molecular weight is 180.16 g/mol."
//   "logP is 1.31." / "Its logP is 1.31." / "The Crippen logP is 1.31."
//   "TPSA is 63.6 Å²." / "Its TPSA is 63.6 Å²."
//   "It has 1 hydrogen bond donor and 3 hydrogen bond acceptors."
//   "It has 2 rings." "It has 1 aromatic ring." "It has 4 rotatable bonds." "It has 0 Lipinski violations."
//   "It contains a carboxylic acid and an ester."  (groups both chem's catalogue and the claim checker find)
// and, after a rule stated in general ("Higher logP generally reduces aqueous solubility."), the same
// clauses applied to this molecule ("Here logP is 3.21, which points to low solubility."), only when
// they point to the reference answer. The last sentence concludes with a marker word (Overall /
// Therefore / So / I estimate) and the answer, for chem/verifiers' logical_consistency.
#pragma once
#include <random>
#include <string>

#include "core/example.h"

namespace retort::datasets {

enum class TraceLength { full, brief };

// The completion for EXAMPLE (task one of moleculenet_tasks(), smiles set, answer as make_answer gives).
// A knowledge-graph multiple-choice Example (meta.facts and meta.options, from `retort data build --task
// med_kg`) gets med::kg_trace_completion's trace instead (datasets/med_kg_tasks.h).
// Throws DataError for an unknown task, a missing or unparsable SMILES, or an answer of the wrong shape.
std::string cold_start_completion(const Example& example, std::mt19937_64& rng,
                                  TraceLength length = TraceLength::full);

// The text of the reference answer as the trace's <answer> states it: numbers in their shortest
// round-trip form ("-3.3"), binary answers "yes"/"no".
std::string reference_answer_text(const Example& example);

}  // namespace retort::datasets
