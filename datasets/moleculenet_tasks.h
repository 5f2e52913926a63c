// The MoleculeNet property tasks retort builds from datasets/moleculenet/*.csv: which file and columns
// each reads, numeric or yes/no, the unit and tolerance of a numeric answer, and the question asked.
#pragma once
#include <string>
#include <vector>

namespace retort::datasets {

enum class TaskKind { numeric, binary };

struct TaskSpec {
  std::string name;           // task name in Example.task and on the command line: "esol"
  std::string dataset;        // display name in meta.dataset: "ESOL"
  std::string file;           // file name under the data directory: "esol.csv"
  std::string smiles_column;  // "smiles" ("mol" for BACE)
  std::string label_column;   // "logp" for ESOL (a header quirk: the values are log solubility)
  TaskKind kind = TaskKind::numeric;
  std::string quantity;       // what the number is, for prompts and traces: "log S"
  std::string unit;           // "log10(mol/L)", "kcal/mol", "" for binary tasks
  double tolerance = 0;       // numeric: |prediction - reference| <= tolerance counts as correct
  double pivot = 0;           // numeric: the dataset median, splitting "high" from "low" in traces
  std::string question;       // the question line of the prompt
  std::string positive;       // binary: what "yes" means, for traces ("it crosses the blood-brain barrier")
  std::string negative;       // binary: what "no" means
};

// The six tasks (esol, freesolv, lipophilicity, bbbp, bace, clintox), in that order.
const std::vector<TaskSpec>& moleculenet_tasks();
// The task called NAME; DataError "unknown task 'x' (known: esol, ...)" otherwise.
const TaskSpec& find_task(const std::string& name);
// "esol, freesolv, ..." for help texts and messages.
std::string task_names();

}  // namespace retort::datasets
