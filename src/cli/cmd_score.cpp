// `retort score`: verify completions without a model. Reads JSONL, scores every line through the
// reward registry (chem and med verifiers) and a RewardSpec, writes every line back in order.
#include <algorithm>
#include <fstream>
#include <sstream>
#include <thread>

#include "chem/verifiers/verifiers.h"
#include "cli/commands.h"
#include "core/errors.h"
#include "core/line_scorer.h"
#include "core/progress.h"
#include "med/verifiers.h"

namespace retort::cli {
namespace {

int run(const std::vector<std::string>& argv) {
  Args args(argv);
  args.allow_only({"in", "out", "threads", "reward-spec"});
  if (!args.positionals().empty()) throw UsageError("unexpected argument '" + args.positionals()[0] + "'");
  const std::string in_path = args.require("in"), out_path = args.require("out");
  const int threads = args.get_int("threads", 1);
  if (threads < 1 || threads > 256) throw UsageError("--threads: must be 1..256, got " + std::to_string(threads));

  RewardSpec spec = RewardSpec::defaults();
  if (auto spec_path = args.get("reward-spec")) {
    std::ifstream spec_in(*spec_path);
    if (!spec_in) throw IoError(*spec_path + ": cannot open for reading");
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(spec_in);
    } catch (const std::exception& e) {
      throw ConfigError(*spec_path + ": not valid JSON");
    }
    spec = RewardSpec::from_json(j.contains("reward") ? j["reward"] : j, *spec_path);
  }

  std::ifstream in(in_path, std::ios::binary);
  if (!in) throw IoError(in_path + ": cannot open for reading");
  std::stringstream buffer;
  buffer << in.rdbuf();
  const auto lines = split_lines(buffer.str());

  VerifierRegistry registry;
  chem::register_verifiers(registry);
  med::register_verifiers(registry);
  LineScorer scorer(registry, spec);

  std::ofstream out(out_path, std::ios::binary);
  if (!out) throw IoError(out_path + ": cannot open for writing");
  ProgressBar bar("score", static_cast<int64_t>(lines.size()));
  size_t errors = 0, correct = 0;
  const size_t chunk = 512;
  for (size_t begin = 0; begin < lines.size(); begin += chunk) {
    size_t end = std::min(lines.size(), begin + chunk);
    std::vector<std::string> part(lines.begin() + begin, lines.begin() + end);
    for (const auto& line : scorer.score_lines(part, threads, begin + 1)) {
      // Cheap tallies from the text; the line itself is written as scored.
      if (line.find("\"error\":") != std::string::npos) ++errors;
      else if (line.find("\"correct\":true") != std::string::npos) ++correct;
      out << line << "\n";
    }
    bar.update(static_cast<int64_t>(end));
  }
  bar.finish();
  if (!out) throw IoError(out_path + ": write failed");
  std::fprintf(stderr, "retort score: %zu lines, %zu correct, %zu errors -> %s\n", lines.size(), correct, errors,
               out_path.c_str());
  return 0;
}

std::string usage() {
  std::string u =
      "usage: retort score --in IN.jsonl --out OUT.jsonl [--threads N] [--reward-spec SPEC.json]\n"
      "\n"
      "Reads lines {\"task\", \"reference\", \"completion\", ...} (optionally \"smiles\", \"options\", \"image\",\n"
      "\"perception_answers\", \"id\", \"meta\") and writes each back, in order, with \"reward\", \"correct\" (the\n"
      "verdict on the final answer alone), \"components\" and \"reasons\" added. A malformed line or an unknown\n"
      "task gets an \"error\" field (\"line N: field: problem\") instead; no line is dropped or reordered.\n"
      "\n"
      "Final answer: the last <answer>...</answer> block, else the last \\boxed{...}. The format component is\n"
      "1 only for exactly one <think>...</think> followed by exactly one <answer>...</answer>.\n"
      "\n"
      "options:\n"
      "  --threads N           score on N threads (default 1); output order never changes\n"
      "  --reward-spec FILE    weights, gates, normalisation as JSON (a RewardSpec, or a config with a\n"
      "                        \"reward\" section); default: answer 1, format 0.1, structure /\n"
      "                        property_consistency / principle / logical_consistency 0.125 each,\n"
      "                        perception 0.25, extra terms only when format = 1\n"
      "\n"
      "tasks (task -> verifier: what is checked):\n";
  for (const auto& [task, route] : task_routes()) {
    std::string line = "  " + task;
    line.resize(std::max<size_t>(line.size() + 1, 20), ' ');
    line += route.verifier;
    line.resize(std::max<size_t>(line.size() + 1, 44), ' ');
    u += line + route.description + "\n";
  }
  u +=
      "\n"
      "references: mol_equal \"SMILES\" or {\"smiles\", \"ignore_stereo\", \"largest_fragment\"}; mol_formula\n"
      "\"C9H8O4\"; functional_group {\"formula\", \"groups\": [catalogue names]}; numeric / property numeric\n"
      "a number or {\"value\", \"tolerance\"|\"rel_tolerance\"}; binary / property binary true/false, 1/0 or\n"
      "yes/no (property answers may add a probability: \"yes (probability 0.8)\"); perception\n"
      "{\"question\": \"rings\"|\"aromatic_rings\"|\"nitrogen_atoms\"|...}; mcq \"B\" with \"options\" {\"A\": ...}.\n";
  return u;
}

}  // namespace

Command score_command() { return {"score", "verify completions without a model", usage(), run}; }

}  // namespace retort::cli
