// Medical QA task files: knowledge-graph questions, traces and the test sets (see med_kg_tasks.h).
#include "datasets/med_kg_tasks.h"

#include <algorithm>
#include <filesystem>

#include "core/errors.h"
#include "datasets/task_files.h"
#include "med/kg_traces.h"
#include "med/question_synthesis.h"

namespace retort::datasets {
namespace {

const char* const kTestSets[] = {"medqa", "medmcqa", "pubmedqa"};

std::string letter_counts(const std::vector<med::McqItem>& items) {
  std::map<char, int> counts;
  size_t letters = 0;
  for (const auto& item : items) ++counts[item.answer], letters = std::max(letters, item.options.size());
  std::string out;
  for (size_t i = 0; i < letters; ++i) out += (i ? "/" : "") + std::to_string(counts[static_cast<char>('A' + i)]);
  return out;
}

std::string difficulty_counts(const std::vector<med::McqItem>& items) {
  std::map<std::string, int> counts;
  for (const auto& item : items) ++counts[item.meta.value("difficulty", std::string("?"))];
  std::string out;
  for (const char* d : {"easy", "moderate", "hard"}) out += (out.empty() ? "" : " / ") + std::to_string(counts[d]) + " " + d;
  return out;
}

}  // namespace

MedKgBuild build_med_kg_tasks(const MedKgOptions& options) {
  med::SynthesisOptions synthesis;
  synthesis.seed = options.seed;
  synthesis.option_count = options.option_count;
  synthesis.held_out_fraction = options.held_out_fraction;
  synthesis.fact_disjoint = true;
  auto questions = med::synthesize_questions(med::KnowledgeGraph::builtin(), synthesis);
  MedKgBuild build;
  build.train = std::move(questions.train);
  build.held_out = std::move(questions.held_out);
  build.dropped_across_split = questions.dropped_across_split;
  med::balance_answer_letters(build.train, options.seed);
  med::balance_answer_letters(build.held_out, options.seed + 1);
  for (const char* name : kTestSets) {
    const std::string path = (std::filesystem::path(options.medqa_dir) / (std::string(name) + "_test.jsonl")).string();
    build.tests[name] = med::load_mcq_jsonl(path, name);
  }
  return build;
}

std::string write_med_kg_tasks(const MedKgBuild& build, const std::string& out_dir) {
  const std::filesystem::path dir = std::filesystem::path(out_dir) / "med_kg";
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) throw IoError(dir.string() + ": cannot create directory: " + error.message());
  auto lines_of = [](const std::vector<med::McqItem>& items) {
    std::vector<nlohmann::json> lines;
    for (const auto& item : items) lines.push_back(med::mcq_task_line(item));
    return lines;
  };
  write_jsonl((dir / "train.jsonl").string(), lines_of(build.train));
  write_jsonl((dir / "heldout.jsonl").string(), lines_of(build.held_out));
  std::vector<nlohmann::json> traces;
  for (const auto& item : build.train) {
    nlohmann::json line = med::mcq_task_line(item);
    line["completion"] = med::kg_trace_completion(item);
    traces.push_back(std::move(line));
  }
  write_jsonl((dir / "cold_start.jsonl").string(), traces);
  std::string tests;
  for (const auto& [name, items] : build.tests) {
    write_jsonl((dir / (name + "_test.jsonl")).string(), lines_of(items));
    tests += (tests.empty() ? "" : ", ") + name + " " + std::to_string(items.size());
  }
  return "med_kg: train " + std::to_string(build.train.size()) + " questions (" + difficulty_counts(build.train) +
         "), held-out " + std::to_string(build.held_out.size()) + " (" + difficulty_counts(build.held_out) +
         "), dropped " + std::to_string(build.dropped_across_split) +
         " whose facts straddle the split; answer letters A/B/C/D train " + letter_counts(build.train) +
         ", held-out " + letter_counts(build.held_out) + "; cold-start traces " + std::to_string(traces.size()) +
         "; test files (evaluation only) " + tests;
}

bool is_kg_trace_example(const Example& example) {
  return example.meta.is_object() && example.meta.contains("facts") && example.meta.contains("options");
}

med::McqItem mcq_item_of(const Example& example) {
  nlohmann::json j = {{"question", example.prompt}, {"meta", example.meta}};
  if (!example.meta.contains("options")) throw DataError("example '" + example.id + "': meta.options: missing");
  j["options"] = example.meta["options"];
  if (!example.answer.is_string()) throw DataError("example '" + example.id + "': answer: expected a letter");
  j["answer_idx"] = example.answer;
  med::McqItem item = med::mcq_item_from_json(j, "example '" + example.id + "'", example.meta.value("dataset", "mcq"));
  item.id = example.id;
  return item;
}

std::string kg_cold_start_completion(const Example& example) { return med::kg_trace_completion(mcq_item_of(example)); }

}  // namespace retort::datasets
