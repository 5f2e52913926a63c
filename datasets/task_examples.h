// Example construction for the MoleculeNet tasks: the prompt (image placeholder, SMILES, question,
// answer-format instruction), the reference answer and the metadata (DESIGN.md's task JSONL).
#pragma once
#include <string>

#include "core/example.h"
#include "datasets/moleculenet_loader.h"
#include "datasets/moleculenet_tasks.h"

namespace retort::datasets {

// The placeholder the model code expands into the molecule picture's visual tokens.
inline constexpr const char* kImagePlaceholder = "<|image|>";

// "<|image|>\nSMILES: CCO\n<question>\nThink inside <think>...</think>, then give ... inside <answer>...</answer>."
std::string make_prompt(const TaskSpec& spec, const std::string& smiles);

// The reference answer: numeric {"value": v, "tolerance": t}; binary true/false.
nlohmann::json make_answer(const TaskSpec& spec, double label);

// One Example: id "<task>-<source line, 5 digits>", image true, meta {split, scaffold, dataset,
// source_line, source, unit (numeric tasks)}.
Example make_example(const TaskSpec& spec, const MoleculeRecord& record, const std::string& split);

}  // namespace retort::datasets
