// build_task / write_task_files / summary_line.
#include "datasets/task_files.h"

#include <filesystem>
#include <fstream>

#include "core/errors.h"
#include "datasets/csv_reader.h"
#include "datasets/moleculenet_loader.h"
#include "datasets/task_examples.h"

namespace retort::datasets {

namespace {

constexpr size_t kReasonsShown = 3;

std::string first_reasons(const std::vector<std::string>& reasons) {
  std::string out;
  for (size_t i = 0; i < reasons.size() && i < kReasonsShown; ++i) out += (i ? "; " : "") + reasons[i];
  if (reasons.size() > kReasonsShown) out += "; ...";
  return out;
}

}  // namespace

TaskBuild build_task(const TaskSpec& spec, const BuildOptions& options,
                     const std::function<void(size_t, size_t)>& progress) {
  const auto path = (std::filesystem::path(options.data_dir) / spec.file).string();
  CsvTable table = read_csv_file(path);
  LoadedRecords loaded = load_records(spec, table, progress);
  if (!loaded.invalid.empty() && !options.skip_invalid)
    throw DataError(spec.file + ": " + std::to_string(loaded.invalid.size()) +
                    " rows with invalid SMILES (" + first_reasons(loaded.invalid) +
                    "); fix them or pass --skip-invalid to skip and count them");
  // An empty task is an error here, where the file is known, not "no examples" later in training.
  if (loaded.rows_read == 0) throw DataError(spec.file + ": no data rows (only the header line)");
  if (loaded.records.empty())
    throw DataError(spec.file + ": no usable rows: all " + std::to_string(loaded.rows_read) +
                    " rows have invalid SMILES (" + first_reasons(loaded.invalid) + ")");

  std::vector<std::string> scaffolds;
  scaffolds.reserve(loaded.records.size());
  for (const auto& r : loaded.records) scaffolds.push_back(r.scaffold);
  SplitIndices split = balanced_scaffold_split(scaffolds, options.seed, options.fractions);

  TaskBuild build;
  build.task = spec.name;
  build.rows_read = loaded.rows_read;
  build.invalid = std::move(loaded.invalid);
  for (size_t i : split.train) build.train.push_back(make_example(spec, loaded.records[i], "train"));
  for (size_t i : split.valid) build.valid.push_back(make_example(spec, loaded.records[i], "valid"));
  for (size_t i : split.test) build.test.push_back(make_example(spec, loaded.records[i], "test"));
  return build;
}

void write_jsonl(const std::string& path, const std::vector<nlohmann::json>& lines) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw IoError(path + ": cannot open for writing");
  for (const auto& j : lines) out << j.dump() << '\n';
  out.flush();
  if (!out) throw IoError(path + ": write failed");
}

void write_task_files(const TaskBuild& build, const std::string& out_dir) {
  const auto dir = std::filesystem::path(out_dir) / build.task;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw IoError(dir.string() + ": cannot create directory: " + ec.message());
  auto write_split = [&](const char* name, const std::vector<Example>& examples) {
    std::vector<nlohmann::json> lines;
    lines.reserve(examples.size());
    for (const auto& e : examples) lines.push_back(example_to_json(e));
    write_jsonl((dir / (std::string(name) + ".jsonl")).string(), lines);
  };
  write_split("train", build.train);
  write_split("valid", build.valid);
  write_split("test", build.test);
  const auto invalid_path = dir / "invalid.txt";
  if (build.invalid.empty()) {
    std::filesystem::remove(invalid_path, ec);
    return;
  }
  std::ofstream out(invalid_path, std::ios::trunc);
  for (const auto& reason : build.invalid) out << reason << '\n';
  if (!out) throw IoError(invalid_path.string() + ": write failed");
}

std::string summary_line(const TaskBuild& build) {
  std::string line = build.task + ": read " + std::to_string(build.rows_read) + " rows, wrote train " +
                     std::to_string(build.train.size()) + " / valid " + std::to_string(build.valid.size()) +
                     " / test " + std::to_string(build.test.size()) + ", invalid SMILES " +
                     std::to_string(build.invalid.size());
  if (!build.invalid.empty()) line += " skipped (first: " + first_reasons(build.invalid) + ")";
  return line;
}

}  // namespace retort::datasets
