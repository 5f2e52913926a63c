// Example: one task instance from a dataset, as DESIGN.md's task JSONL describes it.
#pragma once
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace retort {

struct Example {
  std::string id;
  std::string task;                   // "esol", "mcq", "mol_equal", ...
  std::string prompt;
  std::optional<std::string> smiles;  // the task's molecule, when there is one
  bool image = false;                 // render the molecule into the prompt
  nlohmann::json answer;              // the reference answer (task-specific JSON)
  nlohmann::json meta = nlohmann::json::object();  // split, scaffold, difficulty, options, ...
};

// Parses one task-JSONL object; errors say "WHERE: field: problem" (WHERE like "esol.jsonl line 3").
Example example_from_json(const nlohmann::json& j, const std::string& where);
nlohmann::json example_to_json(const Example& e);

}  // namespace retort
