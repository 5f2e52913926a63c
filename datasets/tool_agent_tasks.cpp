// The tool_agent task builder (see tool_agent_tasks.h).
#include "datasets/tool_agent_tasks.h"

#include <cstdio>
#include <filesystem>
#include <random>
#include <set>

#include "chem/descriptors.h"
#include "chem/molecule.h"
#include "chem/structure.h"
#include "core/errors.h"
#include "datasets/csv_reader.h"
#include "datasets/moleculenet_loader.h"
#include "datasets/moleculenet_tasks.h"
#include "datasets/scaffold_split.h"
#include "datasets/task_files.h"

namespace retort::datasets {
namespace {

using nlohmann::json;

constexpr const char* kAnswerFormat = "Think inside <think></think>, then give the number inside <answer></answer>.";

struct Question {
  std::string prompt;
  std::string right_tool;
  json right_arguments;
  double value = 0;
  double tolerance = 0;
  std::string value_name;   // the key of the tool's result that holds the value
  std::string wrong_tool;   // a plausible wrong first choice, and why it does not answer
  json wrong_arguments;
  std::string wrong_reason;
};

// The question quotes each SMILES ('SMILES: "CCO"'), so its tokens are the same BPE pieces as in the call's
// '"smiles": "CCO"' (after '": "'): unquoted, a SMILES after 'SMILES: ' begins with a different piece in 19%
// of the train molecules (' c' merged, not '"' then 'c'), which makes copying it into the call harder.
std::string quoted(const std::string& smiles) { return "\"" + smiles + "\""; }

Question make_question(const std::string& kind, const std::string& smiles, const std::string& partner) {
  Question q;
  chem::Molecule mol = chem::Molecule::from_smiles(smiles);
  if (kind == "molecular_weight") {
    q.prompt = "SMILES: " + quoted(smiles) + "\nWhat is the molecular weight of this molecule in g/mol (within 0.01)?\n" + kAnswerFormat;
    q.right_tool = "molecular_weight";
    q.right_arguments = {{"smiles", smiles}};
    q.value = chem::compute_descriptors(mol).mol_wt;
    q.tolerance = 0.01;
    q.value_name = "molecular_weight";
    q.wrong_tool = "molecular_formula";
    q.wrong_arguments = {{"smiles", smiles}};
    q.wrong_reason = "The formula alone does not give the weight to 0.01; molecular_weight computes it.";
  } else if (kind == "tpsa") {
    q.prompt = "SMILES: " + quoted(smiles) + "\nWhat is the topological polar surface area (TPSA) of this molecule in A^2 (within 0.01)?\n" +
               kAnswerFormat;
    q.right_tool = "descriptors";
    q.right_arguments = {{"smiles", smiles}};
    q.value = chem::compute_descriptors(mol).tpsa;
    q.tolerance = 0.01;
    q.value_name = "tpsa";
    q.wrong_tool = "molecular_weight";
    q.wrong_arguments = {{"smiles", smiles}};
    q.wrong_reason = "That tool has no TPSA; descriptors reports it.";
  } else if (kind == "similarity") {
    q.prompt = "SMILES A: " + quoted(smiles) + "\nSMILES B: " + quoted(partner) +
               "\nWhat is the Tanimoto similarity of A and B on Morgan fingerprints (radius 2, 2048 bits), within 0.001?\n" +
               kAnswerFormat;
    q.right_tool = "similarity";
    q.right_arguments = {{"smiles_a", smiles}, {"smiles_b", partner}};
    q.value = chem::tanimoto(chem::morgan_fingerprint(mol, 2, 2048),
                             chem::morgan_fingerprint(chem::Molecule::from_smiles(partner), 2, 2048));
    q.tolerance = 0.001;
    q.value_name = "tanimoto";
    q.wrong_tool = "descriptors";
    q.wrong_arguments = {{"smiles", smiles}};
    q.wrong_reason = "Descriptors of A say nothing about B; similarity compares the two.";
  } else {
    throw DataError("tool_agent: unknown question kind '" + kind + "'");
  }
  return q;
}

json trace_of(const Question& q, bool wrong_first) {
  json turns = json::array();
  const std::string answer = cut_decimals(json(q.value).dump(), 3);
  if (wrong_first) {
    turns.push_back({{"content", "<think>I will call " + q.wrong_tool + ".</think>"},
                     {"tool_call", {{"name", q.wrong_tool}, {"arguments", q.wrong_arguments}}}});
    turns.push_back({{"content", "<think>" + q.wrong_reason + "</think>"},
                     {"tool_call", {{"name", q.right_tool}, {"arguments", q.right_arguments}}}});
  } else {
    turns.push_back({{"content", "<think>This needs an exact value; I will call " + q.right_tool + ".</think>"},
                     {"tool_call", {{"name", q.right_tool}, {"arguments", q.right_arguments}}}});
  }
  turns.push_back({{"content", "<think>The tool gives " + q.value_name + " " + answer + ".</think>\n<answer>" + answer + "</answer>"}});
  return turns;
}

}  // namespace

std::string cut_decimals(const std::string& json_number, int decimals) {
  std::string s = json_number;
  if (s.find_first_of("eE") != std::string::npos) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals + 3, std::stod(s));
    s = buf;
  }
  auto dot = s.find('.');
  if (dot == std::string::npos) return s;
  return s.substr(0, std::min(s.size(), dot + 1 + static_cast<size_t>(decimals)));
}

const std::vector<std::string>& tool_agent_kinds() {
  static const std::vector<std::string> kinds = {"molecular_weight", "tpsa", "similarity"};
  return kinds;
}

ToolAgentBuild build_tool_agent_tasks(const ToolAgentOptions& options) {
  const TaskSpec& spec = find_task("esol");
  const auto path = (std::filesystem::path(options.data_dir) / spec.file).string();
  LoadedRecords loaded = load_records(spec, read_csv_file(path));
  ToolAgentBuild build;
  build.molecules_read = loaded.rows_read;
  std::vector<MoleculeRecord> records;
  for (auto& r : loaded.records)
    if (r.smiles.size() <= options.max_smiles_length) records.push_back(std::move(r));
  build.molecules_used = static_cast<int>(records.size());
  std::vector<std::string> scaffolds;
  for (const auto& r : records) scaffolds.push_back(r.scaffold);
  SplitIndices split = balanced_scaffold_split(scaffolds, options.seed);

  std::mt19937_64 rng(options.seed ^ 0x7001a6e47ULL);
  const auto& kinds = tool_agent_kinds();
  // One example of KIND about POOL[ROWS[K]]; a similarity partner is another molecule of ROWS.
  auto make_example = [&](const std::vector<MoleculeRecord>& pool, const std::string& source_file, const std::string& id_tag,
                          const std::string& kind, const std::vector<size_t>& rows, size_t k, const std::string& name) {
    const MoleculeRecord& r = pool[rows[k]];
    std::string partner;
    if (kind == "similarity") {
      size_t other = rows[(k + 1 + rng() % std::max<size_t>(1, rows.size() - 1)) % rows.size()];
      partner = pool[other].smiles;
    }
    Question q = make_question(kind, r.smiles, partner);
    Example e;
    char id[96];
    std::snprintf(id, sizeof id, "tool_agent-%s%s-%05d", id_tag.c_str(), kind.c_str(), r.source_line);
    e.id = id;
    e.task = "numeric";
    e.prompt = q.prompt;
    e.smiles = r.smiles;
    e.image = false;
    e.answer = {{"value", q.value}, {"tolerance", q.tolerance}};
    e.meta = {{"split", name}, {"kind", kind}, {"source", source_file + " line " + std::to_string(r.source_line)},
              {"tool_checklist", json::array({{{"tool", q.right_tool}, {"arguments", q.right_arguments}}})}};
    if (name == "train") {
      bool wrong_first = std::uniform_real_distribution<double>(0.0, 1.0)(rng) < options.wrong_tool_fraction;
      e.meta["tool_trace"] = trace_of(q, wrong_first);
    }
    return e;
  };
  auto make_split = [&](const std::vector<size_t>& rows, const std::string& name, std::vector<Example>& out) {
    for (size_t k = 0; k < rows.size(); ++k) {
      if (name == "train" && options.every_kind_in_train) {
        for (const auto& kind : kinds) out.push_back(make_example(records, spec.file, "", kind, rows, k, name));
      } else {
        out.push_back(make_example(records, spec.file, "", kinds[rng() % kinds.size()], rows, k, name));
      }
    }
  };
  make_split(split.train, "train", build.train);
  make_split(split.valid, "valid", build.valid);
  make_split(split.test, "test", build.test);

  if (!options.extra_train_csv.empty()) {
    // Held-out scaffolds and molecules: an extra molecule sharing either is left out of train.
    std::set<std::string> held_out_scaffolds, held_out_molecules, esol_train_molecules;
    for (const auto* rows : {&split.valid, &split.test})
      for (size_t i : *rows) {
        held_out_scaffolds.insert(records[i].scaffold);
        held_out_molecules.insert(chem::Molecule::from_smiles(records[i].smiles).canonical_smiles());
      }
    for (size_t i : split.train) esol_train_molecules.insert(chem::Molecule::from_smiles(records[i].smiles).canonical_smiles());
    const CsvTable table = read_csv_file(options.extra_train_csv);
    const std::string file_name = std::filesystem::path(options.extra_train_csv).filename().string();
    size_t smiles_column = 0;
    try {
      smiles_column = table.column("SMILES");
    } catch (const DataError&) {
      smiles_column = table.column("smiles");
    }
    std::vector<MoleculeRecord> extra;
    std::set<std::string> seen;
    for (const auto& row : table.rows) {
      ++build.extra_read;
      if (options.extra_train_limit > 0 && extra.size() >= options.extra_train_limit) continue;
      const std::string& smiles = row.fields[smiles_column];
      if (smiles.size() > options.max_smiles_length) {
        ++build.extra_too_long;
        continue;
      }
      auto mol = chem::Molecule::try_from_smiles(smiles);
      if (!mol) {
        ++build.extra_invalid;
        continue;
      }
      const std::string canonical = mol->canonical_smiles();
      const std::string scaffold = chem::murcko_scaffold(*mol);
      if (held_out_scaffolds.count(scaffold) || held_out_molecules.count(canonical)) {
        ++build.extra_held_out;
        continue;
      }
      if (esol_train_molecules.count(canonical) || !seen.insert(canonical).second) {
        ++build.extra_duplicate;
        continue;
      }
      extra.push_back({smiles, 0.0, row.line, scaffold});
    }
    build.extra_used = static_cast<int>(extra.size());
    std::vector<size_t> rows(extra.size());
    for (size_t k = 0; k < rows.size(); ++k) rows[k] = k;
    for (size_t k = 0; k < rows.size(); ++k)
      build.train.push_back(make_example(extra, file_name, "extra-", kinds[rng() % kinds.size()], rows, k, "train"));
  }
  return build;
}

std::string write_tool_agent_tasks(const ToolAgentBuild& build, const ToolAgentOptions& options, const std::string& out_dir) {
  const auto dir = std::filesystem::path(out_dir) / "tool_agent";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw IoError(dir.string() + ": cannot create directory: " + ec.message());
  for (const auto& [name, examples] : {std::pair{"train", &build.train}, {"valid", &build.valid}, {"test", &build.test}}) {
    std::vector<json> lines;
    for (const auto& e : *examples) lines.push_back(example_to_json(e));
    write_jsonl((dir / (std::string(name) + ".jsonl")).string(), lines);
  }
  return "tool_agent: read " + std::to_string(build.molecules_read) + " molecules, used " +
         std::to_string(build.molecules_used) + " (SMILES <= " + std::to_string(options.max_smiles_length) +
         " chars), wrote train " + std::to_string(build.train.size()) + " / valid " + std::to_string(build.valid.size()) +
         " / test " + std::to_string(build.test.size()) +
         (options.extra_train_csv.empty()
              ? std::string()
              : ", train includes " + std::to_string(build.extra_used) + " extra molecules from " + options.extra_train_csv +
                    " (of " + std::to_string(build.extra_read) + " rows: " + std::to_string(build.extra_too_long) +
                    " too long, " + std::to_string(build.extra_invalid) + " invalid, " + std::to_string(build.extra_duplicate) +
                    " repeated, " + std::to_string(build.extra_held_out) + " held-out scaffold or molecule" +
                    (options.extra_train_limit > 0 ? ", limit " + std::to_string(options.extra_train_limit) : std::string()) + ")");
}

}  // namespace retort::datasets
