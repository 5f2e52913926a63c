// `retort score`: verify completions without a model.
#include "cli/commands.h"

namespace retort::cli {
namespace {

int run(const std::vector<std::string>& argv) { return not_implemented("score"); }

}  // namespace

Command score_command() {
  return {"score", "verify completions without a model",
          "usage: retort score --in IN.jsonl --out OUT.jsonl\n"
          "\n"
          "Reads lines {\"task\", \"reference\", \"completion\", ...} and writes each back with \"reward\",\n"
          "\"correct\", \"components\" and \"reasons\" added. A malformed line or unknown task gets an\n"
          "\"error\" field; no line is dropped or reordered.\n",
          run};
}

}  // namespace retort::cli
