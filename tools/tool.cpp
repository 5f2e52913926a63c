// Tool::call: argument validation, the deadline (a worker thread the caller stops waiting for), and the
// conversion of every failure into a ToolResult error text.
#include "tools/tool.h"

#include <future>
#include <thread>

#include "chem/molecule.h"
#include "tools/json_schema.h"

namespace retort::tools {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

std::atomic<int> g_abandoned_running{0};

double seconds_since(Deadline::Clock::time_point start) {
  return std::chrono::duration<double>(Deadline::Clock::now() - start).count();
}

// Shared between a caller and its worker thread: whichever of "worker finished" and "caller gave up"
// happens first decides who accounts for an abandoned call.
struct CallState {
  std::promise<ToolResult> promise;
  std::atomic<bool> settled{false};  // set by the first of: worker done, caller timed out
};

}  // namespace

ToolResult ToolResult::success(json value) {
  ToolResult r;
  r.ok = true;
  r.result = std::move(value);
  return r;
}

ToolResult ToolResult::failure(std::string message) {
  ToolResult r;
  r.ok = false;
  r.error = std::move(message);
  return r;
}

ordered_json ToolResult::to_json() const {
  ordered_json out;
  out["ok"] = ok;
  if (ok)
    out["result"] = result;
  else
    out["error"] = error;
  return out;
}

Tool::Tool(std::string name, std::string description, ordered_json parameters)
    : name_(std::move(name)),
      description_(std::move(description)),
      parameters_(std::move(parameters)),
      parameters_for_validation_(json::parse(parameters_.dump())) {}

ordered_json Tool::schema() const {
  ordered_json function;
  function["name"] = name_;
  function["description"] = description_;
  function["parameters"] = parameters_;
  ordered_json out;
  out["type"] = "function";
  out["function"] = function;
  return out;
}

ToolResult Tool::run_caught(const json& args, const Deadline& deadline) const noexcept {
  try {
    return ToolResult::success(run(args, deadline));
  } catch (const ToolError& e) {
    return ToolResult::failure(name_ + ": " + e.what());
  } catch (const chem::ChemError& e) {  // an unparsable SMILES or SMARTS, a failed embedding: the model's input
    return ToolResult::failure(name_ + ": " + e.what());
  } catch (const std::exception& e) {
    return ToolResult::failure(name_ + " failed: " + e.what());
  } catch (...) {
    return ToolResult::failure(name_ + " failed with an unknown error");
  }
}

ToolResult Tool::call(const json& args, Deadline deadline) const noexcept {
  auto start = Deadline::Clock::now();
  auto finish = [&](ToolResult r) {
    r.seconds = seconds_since(start);
    return r;
  };
  try {
    if (!args.is_object())
      return finish(ToolResult::failure(name_ + ": arguments must be a JSON object, got " + json_type_name(args)));
    if (auto err = validate_arguments(parameters_for_validation_, args))
      return finish(ToolResult::failure(name_ + ": " + *err));
    if (deadline.expired()) {
      auto r = ToolResult::failure(name_ + ": timed out before it started (deadline already passed)");
      r.timed_out = true;
      return finish(r);
    }
    std::shared_ptr<const Tool> self = weak_from_this().lock();
    if (deadline.is_never() || !self) {
      ToolResult r = run_caught(args, deadline);
      if (!r.ok || !deadline.expired()) return finish(r);
      auto late = ToolResult::failure(name_ + ": timed out (the deadline passed before it finished)");
      late.timed_out = true;
      return finish(late);
    }
    if (g_abandoned_running.load() >= max_abandoned_calls())
      return finish(ToolResult::failure(name_ + ": refused: too many earlier calls are still running past their "
                                        "deadlines; try again later"));

    auto state = std::make_shared<CallState>();
    auto future = state->promise.get_future();
    std::thread([self, state, args, deadline]() {
      state->promise.set_value(self->run_caught(args, deadline));
      if (state->settled.exchange(true)) g_abandoned_running.fetch_sub(1);  // the caller had given up
    }).detach();

    if (future.wait_until(deadline.at()) == std::future_status::ready) return finish(future.get());
    if (state->settled.exchange(true)) return finish(future.get());  // finished just now after all
    g_abandoned_running.fetch_add(1);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Deadline::Clock::now() - start).count();
    auto r = ToolResult::failure(name_ + ": timed out after " + std::to_string(ms) + " ms");
    r.timed_out = true;
    return finish(r);
  } catch (const std::exception& e) {  // thread creation, allocation
    return finish(ToolResult::failure(name_ + " failed: " + e.what()));
  } catch (...) {
    return finish(ToolResult::failure(name_ + " failed with an unknown error"));
  }
}

int abandoned_calls_running() { return g_abandoned_running.load(); }

}  // namespace retort::tools
