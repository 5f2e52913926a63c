// Bad data, end to end: malformed CSV records, invalid SMILES (bytes RDKit rejects, NUL, invalid
// UTF-8), empty and header-only files, wrong column names, non-finite labels for the dataset builder;
// malformed, empty and hostile JSONL for the trainer's task-file loader (rl::load_examples) and for
// `retort score`'s line scorer. Each is an error naming the file and line, or a skip that is counted
// and listed; nothing is dropped silently.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "chem/verifiers/verifiers.h"
#include "core/errors.h"
#include "core/line_scorer.h"
#include "datasets/moleculenet_tasks.h"
#include "datasets/task_files.h"
#include "med/verifiers.h"
#include "rl/trainer.h"

namespace fs = std::filesystem;
using namespace retort;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "retort-bad-data-XXXXXX").string();
    path = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string write(const std::string& name, const std::string& bytes) const {
    std::ofstream(path / name, std::ios::binary) << bytes;
    return (path / name).string();
  }
};

// The message of the exception F throws ("(no error)" when it throws none).
template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no error)";
}

datasets::TaskBuild build(const TempDir& dir, const std::string& task, bool skip_invalid) {
  datasets::BuildOptions o;
  o.data_dir = dir.path.string();
  o.skip_invalid = skip_invalid;
  return datasets::build_task(datasets::find_task(task), o);
}

}  // namespace

TEST(BadData, CsvInvalidSmilesOfEveryKindAreListedWithTheirLine) {
  TempDir dir;
  const std::string nul_field("\"C\0C\",2\n", 8);  // NUL inside a quoted field
  dir.write("esol.csv", "smiles,logp\n"
                        "CCO,0.5\n"
                        "C1CC,1\n" +                       // unclosed ring
                        nul_field +
                        "c1cccc1,3\n"                      // kekulisation
                        "C(C)(C)(C)(C)C,4\n"               // valence
                        " ,5\n"                            // blank
                        "c1ccccc1,6\n");
  const std::string strict = error_of([&] { build(dir, "esol", false); });
  EXPECT_NE(strict.find("esol.csv: 5 rows with invalid SMILES (esol.csv line 3: "), std::string::npos) << strict;
  // (what() ends at the NUL of line 4's SMILES: the rest of the message, "--skip-invalid" included, is
  // lost. FINDING, reported: messages should escape control bytes of the data they quote.)

  datasets::TaskBuild b = build(dir, "esol", true);
  EXPECT_EQ(b.rows_read, 7);
  EXPECT_EQ(b.train.size() + b.valid.size() + b.test.size(), 2u);
  ASSERT_EQ(b.invalid.size(), 5u) << "every bad row counted";
  const char* lines[] = {"esol.csv line 3: SMILES 'C1CC' does not parse", "esol.csv line 4: ", "esol.csv line 5: ", "esol.csv line 6: ",
                         "esol.csv line 7: empty SMILES"};
  for (size_t i = 0; i < 5; ++i) EXPECT_EQ(b.invalid[i].rfind(lines[i], 0), 0u) << b.invalid[i];
  EXPECT_NE(datasets::summary_line(b).find("invalid SMILES 5 skipped"), std::string::npos) << datasets::summary_line(b);
  // The skipped rows' reasons are written next to the split files, raw bytes and all.
  datasets::write_task_files(b, (dir.path / "out").string());
  std::ifstream invalid(dir.path / "out" / "esol" / "invalid.txt");
  size_t count = 0;
  for (std::string line; std::getline(invalid, line);) ++count;
  EXPECT_EQ(count, 5u);
}

TEST(BadData, CsvLabelsThatAreNotFiniteNumbersNameFileLineAndColumn) {
  TempDir dir;
  for (const char* label : {"nan", "inf", "-inf", "1e400", "0x10", "1,5", "\"\""}) {
    dir.write("esol.csv", std::string("smiles,logp\nCCO,0.5\nCCN,") + label + "\n");
    const std::string message = error_of([&] { build(dir, "esol", true); });
    EXPECT_EQ(message.rfind("esol.csv line 3: ", 0), 0u) << label << " -> " << message;
  }
}

TEST(BadData, CsvEmptyHeaderOnlyAndWrongColumnsAreErrors) {
  TempDir dir;
  dir.write("esol.csv", "");
  EXPECT_EQ(error_of([&] { build(dir, "esol", true); }), "esol.csv: empty file (no header line)");
  dir.write("esol.csv", "\xEF\xBB\xBF");
  EXPECT_EQ(error_of([&] { build(dir, "esol", true); }), "esol.csv: empty file (no header line)");
  dir.write("esol.csv", "SMILES,LogP\nCCO,1\n");  // columns are case-sensitive
  EXPECT_EQ(error_of([&] { build(dir, "esol", true); }), "esol.csv: no column 'smiles' (columns: SMILES, LogP)");
}

// FINDINGS (datasets/task_files.cpp build_task, not fixed here; reported): a CSV with a header and no
// rows, and one whose every row is skipped, build an empty task without an error (the trainer then
// stops later at "no examples"); bytes after a SMILES such as "C\xff\xfe" are dropped by RDKit's
// parser, so the row silently becomes methane (chem/molecule.cpp accepts it). Enable when fixed.
TEST(BadData, DISABLED_CsvWithNoUsableRowsAndTrailingBytesAreErrors) {
  TempDir dir;
  dir.write("esol.csv", "smiles,logp\n");
  EXPECT_NE(error_of([&] { build(dir, "esol", true); }).find("esol.csv"), std::string::npos)
      << "a header without rows must not build an empty task";
  dir.write("esol.csv", "smiles,logp\nC1CC,1\nXyz,2\n");
  const std::string all_invalid = error_of([&] { build(dir, "esol", true); });
  EXPECT_NE(all_invalid.find("esol.csv"), std::string::npos)
      << "every row skipped must not build an empty task: " << all_invalid;
  dir.write("esol.csv", "smiles,logp\nCCO,1\nC\xff\xfe,2\n");
  EXPECT_EQ(build(dir, "esol", true).invalid.size(), 1u) << "'C\\xff\\xfe' must not be read as methane";
}

TEST(BadData, TaskFileErrorsNameFileAndLine) {
  TempDir dir;
  auto load = [&](const std::string& text) {
    const std::string path = dir.write("train.jsonl", text);
    return error_of([&] { rl::load_examples(path); });
  };
  const std::string good = R"({"id": "a", "task": "esol", "prompt": "p", "smiles": "CCO", "answer": -0.77})";
  EXPECT_EQ(load(good + "\n{\"id\": \"b\", \"task\": \n" + good + "\n"), "train.jsonl line 2: not valid JSON");
  EXPECT_EQ(load(good + "\n\n[1, 2]\n"), "train.jsonl line 3: expected a JSON object");
  EXPECT_EQ(load(good + "\n{\"id\": \"c\"}\n"), "train.jsonl line 2: task: missing");
  EXPECT_EQ(load(good + "\n{\"task\": 3}\n"), "train.jsonl line 2: task: must be a string, got 3");
  EXPECT_EQ(load(good + "\n{\"task\": \"esol\", \"smiles\": 5}\n"), "train.jsonl line 2: smiles: must be a string, got 5");
  EXPECT_EQ(load(good + "\n{\"task\": \"esol\", \"meta\": []}\n"), "train.jsonl line 2: meta: must be an object");
  EXPECT_EQ(load(good + "\n{\"task\": \"esol\", \"prompt\": \"\xff\"}\n"), "train.jsonl line 2: not valid JSON");
  EXPECT_EQ(load(good + "\n{\"task\": \"esol\"} trailing\n"), "train.jsonl line 2: not valid JSON");
  EXPECT_NE(load("").find("train.jsonl: no examples"), std::string::npos);
  EXPECT_NE(load("\n  \n\r\n").find("train.jsonl: no examples"), std::string::npos);
  EXPECT_NE(error_of([&] { rl::load_examples((dir.path / "absent.jsonl").string()); }).find("absent.jsonl: cannot open"),
            std::string::npos);
  // Blank and CRLF lines are fine; every other line is an example, in order.
  const std::string path = dir.write("ok.jsonl", good + "\r\n\r\n" + good + "\n");
  EXPECT_EQ(rl::load_examples(path).size(), 2u);
}

TEST(BadData, ScoreLinesAreNeverDroppedEvenWhenHostile) {
  VerifierRegistry registry;
  chem::register_verifiers(registry);
  med::register_verifiers(registry);
  LineScorer scorer(registry, RewardSpec::defaults());
  std::vector<std::string> lines = {
      R"({"task": "esol", "reference": -0.77, "smiles": "CCO", "completion": "<think>t</think><answer>-0.8</answer>"})",
      "{\"task\": \"esol\", \"reference\": 1, \"completion\": \"\xff\xfe\"}",  // invalid UTF-8: not JSON
      R"({"task": "esol", "reference": 1, "smiles": "C1CC", "completion": "<answer>1</answer>"})",
      R"({"task": "mol_equal", "reference": "not a smiles", "completion": "<answer>CCO</answer>"})",
      R"({"task": "mcq", "reference": "A", "completion": "<answer>A</answer>"})",  // no options
      std::string("{\"task\": \"esol\"\0, \"reference\": 1}", 33),
      "",
  };
  auto out = scorer.score_lines(lines, 2);
  ASSERT_EQ(out.size(), lines.size());
  for (size_t i = 0; i < out.size(); ++i) {
    SCOPED_TRACE("line " + std::to_string(i + 1));
    auto j = nlohmann::json::parse(out[i]);  // every output line is valid JSON
    ASSERT_TRUE(j.is_object());
    if (j.contains("error")) {
      EXPECT_EQ(j["error"].get<std::string>().rfind("line " + std::to_string(i + 1) + ": ", 0), 0u) << j["error"];
    } else {
      EXPECT_TRUE(j["reward"].is_number());
      EXPECT_TRUE(j["correct"].is_boolean());
    }
  }
  EXPECT_FALSE(nlohmann::json::parse(out[0]).contains("error"));
  EXPECT_TRUE(nlohmann::json::parse(out[1]).contains("error"));
  EXPECT_TRUE(nlohmann::json::parse(out[6]).contains("error"));
}

// FINDING (not fixed here; reported): a `retort score` line nested 100000 deep kills the process
// (stack overflow inside the JSON handling of LineScorer::score_line), where the contract is an
// error object on that line. Enable when score_line bounds the nesting depth before parsing.
TEST(BadData, DISABLED_DeeplyNestedScoreLineIsAnErrorNotACrash) {
  VerifierRegistry registry;
  chem::register_verifiers(registry);
  LineScorer scorer(registry, RewardSpec::defaults());
  std::string deep_array(100000, '[');
  deep_array += std::string(100000, ']');
  auto out = scorer.score_lines({deep_array, R"({"task": "mcq", "reference": )" + deep_array + "}"}, 1);
  EXPECT_TRUE(nlohmann::json::parse(out[0]).contains("error"));
  EXPECT_TRUE(nlohmann::json::parse(out[1]).contains("error"));
}
