// The tool_agent task (issue 7, examples/tool_agent): questions whose answer is a computed property of a
// given molecule - its exact molecular weight, its TPSA, or its Morgan-Tanimoto similarity to a second
// molecule - so the policy does well only by calling the right tool and copying the result. Molecules
// come from the shipped ESOL CSV (short SMILES only), split 80/10/10 by Bemis-Murcko scaffold (the same
// seeded split as the MoleculeNet tasks); the partner of a similarity question comes from the same split.
// Questions quote their SMILES ('SMILES: "CCO"') so it is tokenized as in the call's arguments.
//
// Examples are task "numeric" (chem.numeric: the first number of the answer within the tolerance) with
// meta {split, kind, source, tool_checklist}. Train examples also carry meta.tool_trace, the SFT trace
// that src/rl/tool_traces.h turns into tokens (the tool runs then):
//   [{"content": "<think>...</think>", "tool_call": {"name", "arguments"}}, ..., {"content": "<think>...</think>\n<answer>V</answer>"}]
// where V is the tool's number as its JSON prints it, cut (not rounded) after 3 decimals, so the answer
// is a copy of the response's digits. A fraction of traces (wrong_tool_fraction) first call a wrong tool,
// note why its result does not answer the question, and then call the right one.
//
// Optional extra train molecules (extra_train_csv, e.g. datasets/zinc/zinc_moses_train10k.csv): many more
// distinct molecules to copy from, so a tiny policy lowers its loss only by a general SMILES copy rather
// than by memorising the ~800 ESOL train molecules. They join train only, one question kind each; a
// molecule whose Murcko scaffold (or canonical SMILES) is that of any valid/test molecule is left out, so
// nothing of the held-out splits leaks into train. Off by default (the ESOL-only build above).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/example.h"

namespace retort::datasets {

struct ToolAgentOptions {
  std::string data_dir = "datasets/moleculenet";
  uint64_t seed = 0;
  size_t max_smiles_length = 40;     // longer SMILES are left out (the tiny policy's context)
  double wrong_tool_fraction = 0.25; // train traces that call a wrong tool first
  // Each train molecule gets a question of every kind (3 traces a molecule: more distinct (molecule,
  // question) rows to copy from); valid/test molecules get one kind each, drawn at random.
  bool every_kind_in_train = true;
  // Extra train molecules: a CSV with a SMILES column ("SMILES" or "smiles"); "" = none (the default).
  // The same max_smiles_length applies; invalid and duplicate SMILES are skipped; at most
  // extra_train_limit are used, in file order (0 = all that pass).
  std::string extra_train_csv;
  size_t extra_train_limit = 0;
};

struct ToolAgentBuild {
  int molecules_read = 0;
  int molecules_used = 0;
  // Extra train molecules (all zero when extra_train_csv is ""): rows read, used, and left out because
  // they were too long, invalid, repeated, or shared a scaffold / molecule with valid or test.
  int extra_read = 0, extra_used = 0, extra_too_long = 0, extra_invalid = 0, extra_duplicate = 0, extra_held_out = 0;
  std::vector<Example> train, valid, test;
};

// The three question kinds: "molecular_weight", "tpsa", "similarity".
const std::vector<std::string>& tool_agent_kinds();

// Throws DataError/IoError naming the file when the source cannot be read.
ToolAgentBuild build_tool_agent_tasks(const ToolAgentOptions& options);

// Writes OUT_DIR/tool_agent/{train,valid,test}.jsonl; returns the summary line
// "tool_agent: read N molecules, used M (SMILES <= L chars), wrote train a / valid b / test c"; with extra
// train molecules ", train includes K extra molecules from FILE (of R rows: T too long, I invalid,
// D repeated, H held-out scaffold or molecule)" follows.
std::string write_tool_agent_tasks(const ToolAgentBuild& build, const ToolAgentOptions& options, const std::string& out_dir);

// JSON_NUMBER (a number as JSON prints it, e.g. "180.15899999999999") cut after DECIMALS decimals
// ("180.158"); exponent forms are printed fixed first.
std::string cut_decimals(const std::string& json_number, int decimals);

}  // namespace retort::datasets
