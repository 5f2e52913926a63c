// Tool: one function the policy may call mid-answer (ChemCrow-style), with a name, a description, a JSON
// schema of its arguments, and call(args, deadline) -> ToolResult. call() never throws: malformed or
// wrong-typed arguments, tool errors, exceptions and timeouts all become a ToolResult whose error text
// the model reads. Tools implement run(), which may throw ToolError (a message meant for the model).
#pragma once
#include <atomic>
#include <memory>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "tools/deadline.h"

namespace retort::tools {

// A failure a tool reports to the model ("SMILES 'C1CC' does not parse: unclosed ring").
struct ToolError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ToolResult {
  bool ok = false;
  nlohmann::json result;    // the tool's answer when ok
  std::string error;        // one readable line when !ok
  bool timed_out = false;   // !ok because the deadline passed
  double seconds = 0.0;     // wall time of the call

  static ToolResult success(nlohmann::json value);
  static ToolResult failure(std::string message);
  // {"ok": true, "result": ...} or {"ok": false, "error": "..."}: exactly what the model sees.
  nlohmann::ordered_json to_json() const;
};

class Tool : public std::enable_shared_from_this<Tool> {
 public:
  // PARAMETERS is the JSON schema of the arguments object (type "object", properties, required).
  Tool(std::string name, std::string description, nlohmann::ordered_json parameters);
  virtual ~Tool() = default;
  Tool(const Tool&) = delete;
  Tool& operator=(const Tool&) = delete;

  const std::string& name() const { return name_; }
  const std::string& description() const { return description_; }
  const nlohmann::ordered_json& parameters() const { return parameters_; }
  // {"type": "function", "function": {"name", "description", "parameters"}} (Qwen/Hermes tools format).
  nlohmann::ordered_json schema() const;

  // Validates ARGS against parameters(), runs the tool and returns its answer or an error; never throws.
  // With a finite DEADLINE the work runs on its own thread and an overrun returns a timeout error at the
  // deadline (the abandoned thread finishes in the background; see abandoned_calls_running()). A tool
  // not owned by a shared_ptr runs on the caller's thread and the deadline is checked only afterwards.
  ToolResult call(const nlohmann::json& args, Deadline deadline) const noexcept;

 protected:
  // The work. ARGS already match parameters(). Throw ToolError for failures the model should read.
  virtual nlohmann::json run(const nlohmann::json& args, const Deadline& deadline) const = 0;

 private:
  ToolResult run_caught(const nlohmann::json& args, const Deadline& deadline) const noexcept;

  std::string name_;
  std::string description_;
  nlohmann::ordered_json parameters_;
  nlohmann::json parameters_for_validation_;
};

// Calls that overran their deadline and whose threads are still running. Tool::call refuses new work
// (an error result) while this is at max_abandoned_calls(), so runaway tools cannot pile up threads.
int abandoned_calls_running();
constexpr int max_abandoned_calls() { return 16; }

}  // namespace retort::tools
