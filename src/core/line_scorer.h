// LineScorer: `retort score`'s code path, torch-free so tests and benchmarks run it without the CLI.
// One JSONL line {"task", "reference", "completion", ...} -> the same object (keys in input order)
// with "reward", "correct", "components", "reasons" added, or with "error" when the line is malformed
// or names an unknown task. Tasks map to registered verifiers through task_routes().
#pragma once
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/reward_spec.h"
#include "core/verifier.h"

namespace retort {

struct TaskRoute {
  std::string verifier;     // registry name, e.g. "chem.property"
  nlohmann::json options;   // verifier options, e.g. {"kind": "numeric", "tolerance": 0.5}
  std::string description;  // one line for --help
};

// task name -> verifier (mol_equal, mol_formula, functional_group, numeric, binary, property,
// perception, esol, freesolv, lipophilicity, bbbp, bace, clintox, tox21, sider, mcq, medqa, medmcqa,
// pubmedqa, kg_mcq).
const std::map<std::string, TaskRoute>& task_routes();

class LineScorer {
 public:
  // Builds one verifier per route whose verifier is registered (verify() is const and thread-safe).
  LineScorer(const VerifierRegistry& registry, RewardSpec spec);

  // LINE_NUMBER (1-based) is used in error messages. Never throws for bad input.
  nlohmann::ordered_json score_line(std::string_view line, size_t line_number) const;
  // Scores already parsed objects (the trainer's path): Example + completion -> Score with total set.
  Score score(const Example& example, const std::string& completion) const;

  // Scores LINES on THREADS threads; the output keeps the input order. LINES[0] is line FIRST_LINE of
  // its file (for error messages).
  std::vector<std::string> score_lines(const std::vector<std::string>& lines, int threads, size_t first_line = 1) const;

 private:
  RewardSpec spec_;
  std::map<std::string, std::unique_ptr<Verifier>> verifiers_;  // by task name
};

// Splits a JSONL text into lines; a final empty line after the last newline is not a line.
std::vector<std::string> split_lines(const std::string& text);

}  // namespace retort
