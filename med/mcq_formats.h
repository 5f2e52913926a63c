// Multiple-choice medical QA items and their JSONL loaders: MedQA / MedMCQA / PubMedQA as shipped in
// datasets/medqa ({question, options{A..}, answer_idx, answer}), plus files with other option counts
// (2-10 options as an object A-J or as an array), integer answer indices, and PubMedQA's original
// final_decision field. Also the prompt text and the task-JSONL line of an item.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "med/mcq_answer.h"

namespace retort::med {

struct McqItem {
  std::string id;
  std::string dataset;       // "medqa", "medmcqa", "pubmedqa", "kg_mcq", ...
  std::string question;
  Options options;           // 'A' -> text, contiguous from A
  char answer = 0;           // the correct letter
  nlohmann::json meta = nlohmann::json::object();  // difficulty, hops, source facts, ...
};

// One item from a JSON object; throws DataError "WHERE: field: problem".
McqItem mcq_item_from_json(const nlohmann::json& j, const std::string& where, const std::string& dataset);
// Every line of PATH (blank lines skipped); errors name "PATH line N".
std::vector<McqItem> load_mcq_jsonl(const std::string& path, const std::string& dataset);

// The question, then one "A. text" line per option, then the answer instruction.
std::string mcq_prompt(const McqItem& item);
// A task-JSONL Example line: {"id", "task", "prompt", "answer": letter, "meta": {"options", ...}}.
nlohmann::json mcq_task_line(const McqItem& item);

}  // namespace retort::med
