// `retort data build`: task JSONL files (train/valid/test by seeded Bemis-Murcko scaffold split) from
// the shipped MoleculeNet CSVs, optionally with cold-start SFT traces for the train split.
#include <cstdio>
#include <filesystem>
#include <optional>
#include <random>

#include "cli/commands.h"
#include "core/errors.h"
#include "core/progress.h"
#include "core/rng.h"
#include "datasets/cold_start.h"
#include "datasets/med_kg_tasks.h"
#include "datasets/moleculenet_tasks.h"
#include "datasets/task_files.h"
#include "datasets/tool_agent_tasks.h"

namespace retort::cli {
namespace {

uint64_t parse_seed(const Args& args) {
  auto text = args.get("seed");
  if (!text) return 0;
  try {
    size_t used = 0;
    if (text->empty() || (*text)[0] == '-') throw std::invalid_argument("negative");
    unsigned long long v = std::stoull(*text, &used);
    if (used != text->size()) throw std::invalid_argument("trailing text");
    return v;
  } catch (const std::exception&) {
    throw UsageError("--seed must be a non-negative integer, got '" + *text + "'");
  }
}

// Writes OUT/<task>/cold_start.jsonl: each train Example with a "completion" field added.
size_t write_cold_start(const datasets::TaskBuild& build, const std::string& out_dir, const std::string& style,
                        uint64_t seed) {
  RngStreams rng(seed);
  auto& engine = rng.stream("cold_start/" + build.task);
  std::vector<nlohmann::json> lines;
  ProgressBar bar(build.task + " traces", static_cast<int64_t>(build.train.size()));
  for (const auto& e : build.train) {
    datasets::TraceLength length = style == "full" ? datasets::TraceLength::full : datasets::TraceLength::brief;
    if (style == "mixed") length = (engine() & 1) ? datasets::TraceLength::full : datasets::TraceLength::brief;
    nlohmann::json j = example_to_json(e);
    j["completion"] = datasets::cold_start_completion(e, engine, length);
    lines.push_back(std::move(j));
    bar.advance();
  }
  bar.finish();
  datasets::write_jsonl((std::filesystem::path(out_dir) / build.task / "cold_start.jsonl").string(), lines);
  return lines.size();
}

int run(const std::vector<std::string>& argv) {
  Args args(argv, {"skip-invalid"});
  args.allow_only({"task", "out", "seed", "data-dir", "skip-invalid", "cold-start", "extra-train"});
  if (args.positionals().size() != 1 || args.positionals()[0] != "build")
    throw UsageError("expected the subcommand 'build'");
  const std::string task = args.require("task");
  datasets::BuildOptions options;
  const std::string out_dir = args.require("out");
  options.seed = parse_seed(args);
  options.skip_invalid = args.flag("skip-invalid");
  if (auto dir = args.get("data-dir")) options.data_dir = *dir;
  const std::string cold_start = args.get("cold-start").value_or("");
  if (!cold_start.empty() && cold_start != "full" && cold_start != "short" && cold_start != "mixed")
    throw UsageError("--cold-start must be full, short or mixed, got '" + cold_start + "'");
  if (!std::filesystem::is_directory(options.data_dir))
    throw IoError(options.data_dir + ": no such directory (run from the repository root or pass --data-dir)");

  if (task == "med_kg") {  // issue 6: knowledge-graph questions, traces and the medical test files (examples/medical_qa)
    datasets::MedKgOptions med_options;
    med_options.seed = options.seed;
    if (auto dir = args.get("data-dir")) med_options.medqa_dir = *dir;
    std::string line = datasets::write_med_kg_tasks(datasets::build_med_kg_tasks(med_options), out_dir);
    std::printf("%s -> %s\n", line.c_str(), (std::filesystem::path(out_dir) / "med_kg").string().c_str());
    return 0;
  }
  if (task == "tool_agent") {  // issue 7: tool-use questions with SFT traces in meta.tool_trace
    datasets::ToolAgentOptions tool_options;
    tool_options.data_dir = options.data_dir;
    tool_options.seed = options.seed;
    if (auto csv = args.get("extra-train")) tool_options.extra_train_csv = *csv;
    std::string line = datasets::write_tool_agent_tasks(datasets::build_tool_agent_tasks(tool_options), tool_options, out_dir);
    std::printf("%s -> %s\n", line.c_str(), (std::filesystem::path(out_dir) / "tool_agent").string().c_str());
    return 0;
  }
  std::vector<const datasets::TaskSpec*> specs;
  if (task == "all") {
    for (const auto& t : datasets::moleculenet_tasks()) specs.push_back(&t);
  } else {
    try {
      specs.push_back(&datasets::find_task(task));
    } catch (const DataError& e) {
      throw UsageError(e.what());
    }
  }
  for (const auto* spec : specs) {
    datasets::TaskBuild build;
    {
      std::optional<ProgressBar> bar;  // made at the first row, when the row count is known
      build = datasets::build_task(*spec, options, [&](size_t done, size_t total) {
        if (!bar) bar.emplace(spec->name, static_cast<int64_t>(total));
        bar->update(static_cast<int64_t>(done));
      });
      if (bar) bar->finish();
    }
    datasets::write_task_files(build, out_dir);
    std::string line = datasets::summary_line(build);
    if (!cold_start.empty())
      line += ", cold-start traces " + std::to_string(write_cold_start(build, out_dir, cold_start, options.seed));
    std::printf("%s -> %s\n", line.c_str(), (std::filesystem::path(out_dir) / spec->name).string().c_str());
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace

Command data_command() {
  return {"data", "task files from the shipped sources",
          "usage: retort data build --task NAME|all --out DIR [--seed N] [--data-dir DIR] [--skip-invalid]\n"
          "                         [--cold-start full|short|mixed]\n"
          "\n"
          "Builds MoleculeNet task files from the CSVs in datasets/moleculenet/: for each task writes\n"
          "DIR/<task>/train.jsonl, valid.jsonl and test.jsonl, one Example per line (DESIGN.md), split\n"
          "80/10/10 by Bemis-Murcko scaffold (chemprop's seeded balanced scaffold split), and prints one\n"
          "summary line per task: rows read, rows written per split, invalid SMILES count.\n"
          "\n"
          "options:\n"
          "  --task NAME|all     esol, freesolv, lipophilicity (numbers); bbbp, bace, clintox (yes/no); or all;\n"
          "                      tool_agent: molecular weight / TPSA / similarity questions answered with\n"
          "                      tools, train examples carrying SFT traces in meta.tool_trace (examples/tool_agent)\n"
          "                      --extra-train CSV adds that CSV's molecules (SMILES column) to train only,\n"
          "                      one question each, leaving out any with a valid/test scaffold (default: none)\n"
          "                      med_kg: knowledge-graph MCQs (train / held-out on disjoint facts), their\n"
          "                      cold-start traces, and MedQA / MedMCQA / PubMedQA test files from --data-dir\n"
          "                      (default datasets/medqa) in DIR/med_kg/ (examples/medical_qa)\n"
          "  --out DIR           output directory (created)\n"
          "  --seed N            scaffold-split and trace seed (default 0); same seed, same files\n"
          "  --data-dir DIR      where the CSVs are (default datasets/moleculenet)\n"
          "  --skip-invalid      skip rows whose SMILES RDKit cannot parse, count them in the summary and\n"
          "                      list them in DIR/<task>/invalid.txt (default: such rows are an error that\n"
          "                      names the first few file lines)\n"
          "  --cold-start STYLE  also write DIR/<task>/cold_start.jsonl: each train Example with a\n"
          "                      \"completion\" (<think>...</think><answer>...</answer>) written from RDKit\n"
          "                      facts; STYLE full (about 5 claims), short (2), or mixed (half each)\n"
          "\n"
          "example: retort data build --task all --out data/tasks --seed 0\n",
          run};
}

}  // namespace retort::cli
