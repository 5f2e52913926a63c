// Task files for the medical QA example (examples/medical_qa): knowledge-graph questions synthesised by
// med/ (train and held-out splits that rest on disjoint sets of graph facts, answer letters balanced),
// their cold-start SFT traces, and the MedQA / MedMCQA / PubMedQA test files as task JSONL (evaluation
// only: nothing is trained on them). Also the hook cold_start_completion() uses for these questions.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/example.h"
#include "med/mcq_formats.h"

namespace retort::datasets {

struct MedKgOptions {
  std::string medqa_dir = "datasets/medqa";  // medqa_test.jsonl, medmcqa_test.jsonl, pubmedqa_test.jsonl
  uint64_t seed = 0;                         // drug split, distractors and answer letters
  int option_count = 4;
  double held_out_fraction = 0.2;            // share of drugs whose questions are held out
};

struct MedKgBuild {
  std::vector<med::McqItem> train, held_out;  // knowledge-graph questions, fact-disjoint, letters balanced
  size_t dropped_across_split = 0;            // questions whose facts named drugs of both splits
  std::map<std::string, std::vector<med::McqItem>> tests;  // "medqa" / "medmcqa" / "pubmedqa" -> items
};

// Throws DataError / IoError naming the file and line for a malformed or missing test file.
MedKgBuild build_med_kg_tasks(const MedKgOptions& options);

// Writes OUT_DIR/med_kg/{train,heldout,cold_start,medqa_test,medmcqa_test,pubmedqa_test}.jsonl
// (cold_start = the train lines with a "completion" trace) and returns the summary line:
// "med_kg: train N / held-out M questions (..., dropped K across the split), ...".
std::string write_med_kg_tasks(const MedKgBuild& build, const std::string& out_dir);

// True for a multiple-choice Example that carries meta.facts (a synthesised knowledge-graph question).
bool is_kg_trace_example(const Example& example);
// The McqItem of a multiple-choice task line (options from meta.options, letter answer); DataError otherwise.
med::McqItem mcq_item_of(const Example& example);
// med::kg_trace_completion of the Example's item.
std::string kg_cold_start_completion(const Example& example);

}  // namespace retort::datasets
