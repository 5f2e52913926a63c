// LineScorer: task routing, JSONL line -> Example + Episode -> Score -> RewardSpec (see line_scorer.h).
#include "core/line_scorer.h"

#include <algorithm>
#include <cmath>
#include <thread>

#include "core/json_depth.h"

namespace retort {
namespace {

using ordered = nlohmann::ordered_json;

// Builds the Example of one line; throws std::invalid_argument "field: problem".
Example example_of(const nlohmann::json& j) {
  if (!j.is_object()) throw std::invalid_argument("expected a JSON object");
  auto optional_string = [&](const char* key) -> std::string {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return {};
    if (!it->is_string()) throw std::invalid_argument(std::string(key) + ": must be a string, got " + it->dump());
    return it->get<std::string>();
  };
  Example e;
  auto task = j.find("task");
  if (task == j.end() || !task->is_string()) throw std::invalid_argument("task: missing or not a string");
  e.task = task->get<std::string>();
  if (!j.contains("reference")) throw std::invalid_argument("reference: missing");
  e.answer = j["reference"];
  e.id = optional_string("id");
  e.prompt = optional_string("prompt");
  if (std::string s = optional_string("smiles"); !s.empty()) e.smiles = s;
  if (j.contains("image")) {
    if (!j["image"].is_boolean()) throw std::invalid_argument("image: must be true or false");
    e.image = j["image"].get<bool>();
  }
  if (j.contains("meta")) {
    if (!j["meta"].is_object()) throw std::invalid_argument("meta: must be an object");
    e.meta = j["meta"];
  }
  for (const char* key : {"options", "perception_answers"}) {
    if (j.contains(key) && !j[key].is_null()) {
      if (!j[key].is_object()) throw std::invalid_argument(std::string(key) + ": must be an object");
      e.meta[key] = j[key];
    }
  }
  return e;
}

double finite_or_zero(double v) { return std::isfinite(v) ? v : 0.0; }

}  // namespace

const std::map<std::string, TaskRoute>& task_routes() {
  static const std::map<std::string, TaskRoute> routes = {
      {"mol_equal", {"chem.mol_equal", {}, "same molecule as the reference SMILES (canonical SMILES)"}},
      {"mol_formula", {"chem.mol_formula", {}, "a valid SMILES with the reference formula"}},
      {"functional_group", {"chem.functional_group", {}, "a SMILES with the formula and every named group"}},
      {"numeric", {"chem.numeric", {}, "first number of the answer within tolerance of the reference"}},
      {"binary", {"chem.binary", {}, "yes/no/true/false/1/0 equal to the reference"}},
      {"property", {"chem.property", {}, "MoleculeNet-style property; the reference says numeric or binary"}},
      {"perception", {"chem.perception", {}, "one perception-checklist question about the pictured molecule"}},
      {"esol", {"chem.property", {{"kind", "numeric"}, {"tolerance", 0.5}}, "log solubility (log mol/L), +-0.5"}},
      {"freesolv", {"chem.property", {{"kind", "numeric"}, {"tolerance", 1.0}}, "hydration free energy (kcal/mol), +-1.0"}},
      {"lipophilicity", {"chem.property", {{"kind", "numeric"}, {"tolerance", 0.5}}, "logD at pH 7.4, +-0.5"}},
      {"bbbp", {"chem.property", {{"kind", "binary"}}, "penetrates the blood-brain barrier (yes/no)"}},
      {"bace", {"chem.property", {{"kind", "binary"}}, "BACE-1 inhibitor (yes/no)"}},
      {"clintox", {"chem.property", {{"kind", "binary"}}, "clinical-trial toxicity (yes/no)"}},
      {"tox21", {"chem.property", {{"kind", "binary"}}, "Tox21 assay active (yes/no)"}},
      {"sider", {"chem.property", {{"kind", "binary"}}, "SIDER side-effect class (yes/no)"}},
      {"mcq", {"med.mcq", {}, "multiple choice: a letter A-J or the exact option text"}},
      {"medqa", {"med.mcq", {}, "MedQA (USMLE) multiple choice"}},
      {"medmcqa", {"med.mcq", {}, "MedMCQA multiple choice"}},
      {"pubmedqa", {"med.mcq", {}, "PubMedQA: A/B/C = yes/no/maybe"}},
      {"kg_mcq", {"med.mcq", {}, "knowledge-graph multi-hop multiple choice"}},
  };
  return routes;
}

LineScorer::LineScorer(const VerifierRegistry& registry, RewardSpec spec) : spec_(std::move(spec)) {
  for (const auto& [task, route] : task_routes())
    if (registry.contains(route.verifier)) verifiers_[task] = registry.create(route.verifier, route.options);
}

Score LineScorer::score(const Example& example, const std::string& completion) const {
  auto it = verifiers_.find(example.task);
  if (it == verifiers_.end()) {
    std::string known;
    for (const auto& [t, v] : verifiers_) known += (known.empty() ? "" : ", ") + t;
    throw std::invalid_argument("task: unknown task '" + example.task + "' (known: " + known + ")");
  }
  Episode episode;
  episode.completion = completion;
  Score s = it->second->verify(example, episode);
  for (auto& [name, value] : s.components) value = finite_or_zero(value);
  spec_.apply(s);
  s.total = finite_or_zero(s.total);
  return s;
}

ordered LineScorer::score_line(std::string_view line, size_t line_number) const {
  const std::string where = "line " + std::to_string(line_number) + ": ";
  ordered out;
  nlohmann::json j;
  if (json_nested_deeper_than(line))
    return ordered{{"error", where + "not valid JSON: nested deeper than " + std::to_string(kMaxJsonDepth) + " levels"},
                   {"raw", std::string(line)}};
  try {
    out = ordered::parse(line);
    j = nlohmann::json::parse(line);
  } catch (const std::exception& e) {
    std::string why = e.what();
    if (auto p = why.find("parse error"); p != std::string::npos) why = why.substr(p);
    return ordered{{"error", where + "not valid JSON: " + why}, {"raw", std::string(line)}};
  }
  if (!out.is_object()) return ordered{{"error", where + "expected a JSON object"}, {"raw", std::string(line)}};
  try {
    Example example = example_of(j);
    auto completion = j.find("completion");
    if (completion == j.end() || !completion->is_string())
      throw std::invalid_argument("completion: missing or not a string");
    Score s = score(example, completion->get<std::string>());
    out["reward"] = s.total;
    out["correct"] = s.correct;
    out["components"] = s.components;
    out["reasons"] = s.reasons;
  } catch (const std::exception& e) {
    out["error"] = where + e.what();
  }
  return out;
}

std::vector<std::string> LineScorer::score_lines(const std::vector<std::string>& lines, int threads, size_t first_line) const {
  std::vector<std::string> out(lines.size());
  threads = std::max(1, std::min<int>(threads, static_cast<int>(std::max<size_t>(1, lines.size()))));
  auto work = [&](int t) {
    for (size_t i = t; i < lines.size(); i += threads) out[i] = score_line(lines[i], first_line + i).dump(-1, ' ', false, ordered::error_handler_t::replace);
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work, t);
  work(0);
  for (auto& th : pool) th.join();
  return out;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

}  // namespace retort
