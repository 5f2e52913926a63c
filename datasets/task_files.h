// Building a task's split files: source CSV -> records -> seeded scaffold split -> Examples ->
// OUT/<task>/{train,valid,test}.jsonl, with a one-line summary per task.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/example.h"
#include "datasets/moleculenet_tasks.h"
#include "datasets/scaffold_split.h"

namespace retort::datasets {

struct BuildOptions {
  std::string data_dir = "datasets/moleculenet";  // where the task CSVs are
  uint64_t seed = 0;                              // scaffold-split seed
  bool skip_invalid = false;  // false: any invalid SMILES row is a DataError listing the first few
  SplitFractions fractions;
};

struct TaskBuild {
  std::string task;
  int rows_read = 0;
  std::vector<Example> train, valid, test;
  std::vector<std::string> invalid;  // one "file line N: reason" per skipped row (skip_invalid only)
};

// Throws DataError when rows are invalid and !skip_invalid:
// "bbbp.csv: 2 rows with invalid SMILES (bbbp.csv line 60: ...; bbbp.csv line 71: ...); fix them or
// pass --skip-invalid to skip and count them". Also a DataError naming the file when it has no data
// rows, or when every row was skipped. PROGRESS gets (rows done, rows total).
TaskBuild build_task(const TaskSpec& spec, const BuildOptions& options,
                     const std::function<void(size_t, size_t)>& progress = {});

// Writes OUT_DIR/<task>/{train,valid,test}.jsonl (directories created; IoError on failure), and,
// when rows were skipped, OUT_DIR/<task>/invalid.txt with one reason per line.
void write_task_files(const TaskBuild& build, const std::string& out_dir);

// "esol: read 1128 rows, wrote train 902 / valid 112 / test 114, invalid SMILES 0"
// (+ " skipped (first: ...)" when rows were skipped).
std::string summary_line(const TaskBuild& build);

// Writes one JSON object per line to PATH.
void write_jsonl(const std::string& path, const std::vector<nlohmann::json>& lines);

}  // namespace retort::datasets
