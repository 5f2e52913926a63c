// `retort tools`: the tool registry from the shell (list, call). `call` prints exactly the JSON object the
// model would read inside <tool_response> (without truncation) and exits 0 whether the call succeeded or not.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "tools/default_tools.h"
#include "tools/tool_response.h"

namespace retort::cli {
namespace {

// The JSON text of --args or a batch line; bad JSON is a result the model would also get, not a usage error.
tools::ToolResult parse_arguments(const std::string& text, const std::string& where, nlohmann::json& out) {
  try {
    out = nlohmann::json::parse(text);
    return {};
  } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range for 1e400
    std::string what = e.what();
    auto close = what.find("] ");
    return tools::ToolResult::failure("malformed JSON in " + where + ": " +
                                      (close == std::string::npos ? what : what.substr(close + 2)));
  }
}

// --batch FILE: one call per line, {"name": NAME, "arguments": {...}}, one result line each, in order
// (one process for many calls: a tool evaluation over a molecule set, or the parity test).
void call_batch(const tools::ToolRegistry& registry, const std::string& path, double timeout_s) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot open for reading");
  int line_number = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = path + " line " + std::to_string(line_number);
    nlohmann::json call;
    tools::ToolResult result = parse_arguments(line, where, call);
    if (result.error.empty()) {
      if (!call.is_object() || !call.contains("name") || !call["name"].is_string())
        result = tools::ToolResult::failure(where + ": expected {\"name\": TOOL, \"arguments\": {...}}");
      else
        result = registry.call(call["name"].get<std::string>(), call.value("arguments", nlohmann::json::object()),
                               tools::Deadline::after(std::chrono::milliseconds(static_cast<long long>(timeout_s * 1000))));
    }
    std::cout << tools::python_style_json(result.to_json()) << std::endl;
  }
}

int run(const std::vector<std::string>& argv) {
  Args args(argv);
  args.allow_only({"args", "timeout-s", "batch"});
  const auto& positionals = args.positionals();
  if (positionals.empty()) throw UsageError("expected a subcommand: list or call");
  const std::string& action = positionals[0];
  auto registry = tools::make_default_registry();

  if (action == "list") {
    if (positionals.size() != 1) throw UsageError("list takes no arguments");
    if (args.get("args")) throw UsageError("--args belongs to call");
    std::cout << registry.schemas().dump(2) << "\n";
    return 0;
  }
  if (action != "call") throw UsageError("unknown subcommand '" + action + "' (expected list or call)");
  double timeout_s = 60;
  if (auto t = args.get("timeout-s")) {
    char* end = nullptr;
    timeout_s = std::strtod(t->c_str(), &end);
    if (end == t->c_str() || *end != '\0' || !(timeout_s > 0) || timeout_s > 3600)
      throw UsageError("--timeout-s must be a number of seconds in (0, 3600], got '" + *t + "'");
  }
  if (auto batch = args.get("batch")) {
    if (positionals.size() != 1 || args.get("args")) throw UsageError("call --batch FILE takes no NAME or --args");
    call_batch(registry, *batch, timeout_s);
    if (tools::abandoned_calls_running() > 0) std::_Exit(0);
    return 0;
  }
  if (positionals.size() != 2) throw UsageError("call needs exactly one tool NAME");
  const std::string& name = positionals[1];
  nlohmann::json call_args;
  tools::ToolResult result = parse_arguments(args.get("args").value_or("{}"), "--args", call_args);
  if (result.error.empty()) {
    auto deadline = tools::Deadline::after(std::chrono::milliseconds(static_cast<long long>(timeout_s * 1000)));
    result = registry.call(name, call_args, deadline);
  }
  std::cout << tools::python_style_json(result.to_json()) << std::endl;
  // A call abandoned at its deadline may still be running; leave without running static destructors under it.
  if (tools::abandoned_calls_running() > 0) std::_Exit(0);
  return 0;
}

}  // namespace

Command tools_command() {
  return {"tools", "the tool registry from the shell (list, call)",
          "usage: retort tools list\n"
          "       retort tools call NAME --args JSON [--timeout-s SECONDS]\n"
          "       retort tools call --batch CALLS.jsonl [--timeout-s SECONDS]\n"
          "\n"
          "list prints every tool's schema as a JSON array of {\"type\": \"function\", \"function\": {\"name\",\n"
          "\"description\", \"parameters\"}} (the Qwen/Hermes tools format the system prompt uses).\n"
          "call runs one tool (default --args {}; --timeout-s 60) and prints one JSON line,\n"
          "{\"ok\": true, \"result\": ...} or {\"ok\": false, \"error\": \"...\"} - exactly what the model would\n"
          "read - and exits 0 either way: an unknown tool, bad JSON or bad arguments are ok=false results.\n"
          "--batch runs one call per line of CALLS.jsonl, {\"name\": NAME, \"arguments\": {...}}, and prints one\n"
          "result line per call in order (--timeout-s applies to each); a malformed line is an ok=false line.\n",
          run};
}

}  // namespace retort::cli
