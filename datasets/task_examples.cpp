// make_prompt / make_answer / make_example for the MoleculeNet tasks.
#include "datasets/task_examples.h"

#include <cstdio>

namespace retort::datasets {

std::string make_prompt(const TaskSpec& spec, const std::string& smiles) {
  const char* what = spec.kind == TaskKind::numeric ? "one number" : "yes or no";
  return std::string(kImagePlaceholder) + "\nSMILES: " + smiles + "\n" + spec.question +
         "\nThink inside <think>...</think>, then give " + what + " inside <answer>...</answer>.";
}

nlohmann::json make_answer(const TaskSpec& spec, double label) {
  if (spec.kind == TaskKind::binary) return label != 0.0;
  return {{"value", label}, {"tolerance", spec.tolerance}};
}

Example make_example(const TaskSpec& spec, const MoleculeRecord& record, const std::string& split) {
  char id[64];
  std::snprintf(id, sizeof id, "%s-%05d", spec.name.c_str(), record.source_line);
  Example e;
  e.id = id;
  e.task = spec.name;
  e.prompt = make_prompt(spec, record.smiles);
  e.smiles = record.smiles;
  e.image = true;
  e.answer = make_answer(spec, record.label);
  e.meta = {{"split", split},
            {"scaffold", record.scaffold},
            {"dataset", spec.dataset},
            {"source", "datasets/moleculenet/" + spec.file},
            {"source_line", record.source_line}};
  if (spec.kind == TaskKind::numeric) e.meta["unit"] = spec.unit;
  return e;
}

}  // namespace retort::datasets
