// The task table. Tolerances (numeric tasks) are set near the error of a good published model and
// above the experimental noise, so "within tolerance" means "as good as a useful predictor":
//   esol 0.7 log units: MoleculeNet's best graph models reach RMSE ~0.58, Delaney's own ESOL equation
//     ~1.0, and measured log S values disagree between laboratories by ~0.5-0.7 (Jorgensen & Duffy 2002);
//   freesolv 1.0 kcal/mol: the FreeSolv paper (Mobley & Guthrie 2014) gives ~0.6 kcal/mol experimental
//     uncertainty, alchemical GAFF calculations reach RMSE ~1.5 and good graph models ~1.0-1.2;
//   lipophilicity 0.5 log units: good graph models reach RMSE ~0.55-0.65 on this set, and shake-flask
//     logD repeats within ~0.3-0.5 log units.
// Pivots are the dataset medians (esol -2.86, freesolv -3.53, lipophilicity 2.36), measured on the
// shipped files with Python's statistics.median.
#include "datasets/moleculenet_tasks.h"

#include "core/errors.h"

namespace retort::datasets {

const std::vector<TaskSpec>& moleculenet_tasks() {
  static const std::vector<TaskSpec> tasks = {
      {"esol", "ESOL", "esol.csv", "smiles", "logp", TaskKind::numeric, "log S", "log10(mol/L)", 0.7,
       -2.86, "What is the aqueous solubility of this molecule, as log S (log10 of mol/L)?", "", ""},
      {"freesolv", "FreeSolv", "freesolv.csv", "smiles", "freesolv", TaskKind::numeric,
       "the hydration free energy", "kcal/mol", 1.0, -3.53,
       "What is the hydration free energy of this molecule in water, in kcal/mol?", "", ""},
      {"lipophilicity", "Lipophilicity", "lipophilicity.csv", "smiles", "lipo", TaskKind::numeric,
       "logD", "log units", 0.5, 2.36,
       "What is the octanol/water distribution coefficient of this molecule, logD at pH 7.4?", "", ""},
      {"bbbp", "BBBP", "bbbp.csv", "smiles", "p_np", TaskKind::binary, "", "", 0, 0,
       "Does this molecule penetrate the blood-brain barrier?",
       "it likely crosses the blood-brain barrier", "it likely does not cross the blood-brain barrier"},
      {"bace", "BACE", "bace.csv", "mol", "Class", TaskKind::binary, "", "", 0, 0,
       "Is this molecule a BACE-1 inhibitor with IC50 of 100 nM or better?",
       "it is likely a potent BACE-1 inhibitor", "it is likely not a potent BACE-1 inhibitor"},
      {"clintox", "ClinTox", "clintox.csv", "smiles", "CT_TOX", TaskKind::binary, "", "", 0, 0,
       "Did this molecule fail clinical trials because of toxicity?",
       "it likely failed clinical trials for toxicity", "it likely did not fail clinical trials for toxicity"},
  };
  return tasks;
}

std::string task_names() {
  std::string out;
  for (const auto& t : moleculenet_tasks()) out += (out.empty() ? "" : ", ") + t.name;
  return out;
}

const TaskSpec& find_task(const std::string& name) {
  for (const auto& t : moleculenet_tasks())
    if (t.name == name) return t;
  throw DataError("unknown task '" + name + "' (known: " + task_names() + ")");
}

}  // namespace retort::datasets
