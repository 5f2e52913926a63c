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
#include "tests/rl/trainer_test_util.h"

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
  // The NUL of line 4's SMILES is quoted escaped, so what() keeps the whole message (it used to end there).
  EXPECT_NE(strict.find("esol.csv line 4: SMILES 'C\\x00C' does not parse: NUL byte \\x00 at position 2; "),
            std::string::npos) << strict;
  EXPECT_NE(strict.find("; ...); fix them or pass --skip-invalid to skip and count them"), std::string::npos) << strict;
  EXPECT_EQ(strict.find('\0'), std::string::npos);

  datasets::TaskBuild b = build(dir, "esol", true);
  EXPECT_EQ(b.rows_read, 7);
  EXPECT_EQ(b.train.size() + b.valid.size() + b.test.size(), 2u);
  ASSERT_EQ(b.invalid.size(), 5u) << "every bad row counted";
  const char* lines[] = {"esol.csv line 3: SMILES 'C1CC' does not parse", "esol.csv line 4: ", "esol.csv line 5: ", "esol.csv line 6: ",
                         "esol.csv line 7: empty SMILES"};
  for (size_t i = 0; i < 5; ++i) EXPECT_EQ(b.invalid[i].rfind(lines[i], 0), 0u) << b.invalid[i];
  EXPECT_EQ(b.invalid[1], "esol.csv line 4: SMILES 'C\\x00C' does not parse: NUL byte \\x00 at position 2");
  EXPECT_NE(datasets::summary_line(b).find("invalid SMILES 5 skipped"), std::string::npos) << datasets::summary_line(b);
  // The skipped rows' reasons are written next to the split files, one line each (bytes escaped).
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

// Fixed findings: a CSV with a header and no rows, and one whose every row is skipped, built an empty
// task without an error (the trainer stopped later at "no examples"); bytes after a SMILES such as
// "C\xff\xfe" were dropped by RDKit's parser, so the row silently became methane.
TEST(BadData, CsvWithNoUsableRowsAndTrailingBytesAreErrors) {
  TempDir dir;
  dir.write("esol.csv", "smiles,logp\n");
  for (bool skip_invalid : {false, true})
    EXPECT_EQ(error_of([&] { build(dir, "esol", skip_invalid); }), "esol.csv: no data rows (only the header line)");
  dir.write("esol.csv", "smiles,logp\nC1CC,1\nXyz,2\n");
  const std::string all_invalid = error_of([&] { build(dir, "esol", true); });
  EXPECT_EQ(all_invalid.rfind("esol.csv: no usable rows: all 2 rows have invalid SMILES (esol.csv line 2: SMILES 'C1CC' "
                              "does not parse: ", 0), 0u)
      << "every row skipped must not build an empty task: " << all_invalid;
  EXPECT_NE(all_invalid.find("; esol.csv line 3: SMILES 'Xyz' does not parse: "), std::string::npos) << all_invalid;
  // Without --skip-invalid the invalid rows are the error, as before.
  EXPECT_EQ(error_of([&] { build(dir, "esol", false); }).rfind("esol.csv: 2 rows with invalid SMILES (", 0), 0u);
  dir.write("esol.csv", "smiles,logp\nCCO,1\nC\xff\xfe,2\nCCN,3\n");
  datasets::TaskBuild b = build(dir, "esol", true);
  ASSERT_EQ(b.invalid.size(), 1u) << "'C\\xff\\xfe' must not be read as methane";
  EXPECT_EQ(b.invalid[0], "esol.csv line 3: SMILES 'C\\xFF\\xFE' does not parse: non-ASCII byte \\xFF at position 2 (SMILES is ASCII)");
  EXPECT_EQ(b.train.size() + b.valid.size() + b.test.size(), 2u);
  // A SMILES followed by a name ("CCO ethanol", RDKit's SMILES-name form) is refused the same way.
  dir.write("esol.csv", "smiles,logp\nCCO ethanol,1\nCCN,3\n");
  b = build(dir, "esol", true);
  ASSERT_EQ(b.invalid.size(), 1u);
  EXPECT_EQ(b.invalid[0].rfind("esol.csv line 2: SMILES 'CCO ethanol' does not parse: a space at position 4 (", 0), 0u) << b.invalid[0];
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
  // Unknown tasks and SMILES that do not parse fail here, not later in training (a fixed finding).
  EXPECT_EQ(load(good + "\n{\"task\": \"chess\"}\n").rfind("train.jsonl line 2: task: unknown task 'chess' (known: bace, bbbp, ", 0), 0u)
      << load(good + "\n{\"task\": \"chess\"}\n");
  EXPECT_NE(load("{\"task\": \"chess\"}\n").find(", esol, "), std::string::npos);
  EXPECT_NE(load("{\"task\": \"chess\"}\n").find("`retort score --help`"), std::string::npos);
  const std::string ring = load(good + "\n" + R"({"task": "esol", "smiles": "C1CC", "answer": 1})" + "\n");
  EXPECT_EQ(ring.rfind("train.jsonl line 2: smiles: SMILES 'C1CC' does not parse: ", 0), 0u) << ring;
  EXPECT_NE(ring.find("unclosed ring"), std::string::npos) << ring;  // RDKit's reason
  EXPECT_EQ(load(good + "\n" + R"({"task": "esol", "smiles": "CCO ethanol"})" + "\n"),
            "train.jsonl line 2: smiles: SMILES 'CCO ethanol' does not parse: a space at position 4 (RDKit reads the "
            "SMILES only up to whitespace; give the SMILES alone, without a name)");
  EXPECT_EQ(load(good + "\n" + R"({"task": "esol", "smiles": "C\u0001"})" + "\n"),
            "train.jsonl line 2: smiles: SMILES 'C\\x01' does not parse: control byte \\x01 at position 2");
  // A line nested past the bound is an error, not a stack overflow when the example is copied.
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_EQ(load(good + "\n{\"task\": \"esol\", \"answer\": " + deep + "}\n"),
            "train.jsonl line 2: not valid JSON: nested deeper than 128 levels");
  // Blank and CRLF lines are fine; every other line is an example, in order.
  const std::string path = dir.write("ok.jsonl", good + "\r\n\r\n" + good + "\n");
  EXPECT_EQ(rl::load_examples(path).size(), 2u);
}

// The trainer reads its task files as rl::load_examples does, except that any task is accepted when a
// reward function replaces the verifiers (tests/rl use made-up tasks that way): without one, an unknown
// task stops run() before anything starts, naming the file and line.
TEST(BadData, TrainerStopsAtAnUnknownTaskUnlessARewardFunctionScoresIt) {
  rl::test::ScratchDir dir("bad_data_trainer_tasks");
  const nlohmann::json good = {{"id", "a"}, {"task", "esol"}, {"prompt", "p"}, {"smiles", "CCO"}, {"answer", -0.77}};
  const nlohmann::json chess = {{"id", "b"}, {"task", "chess"}, {"prompt", "p"}, {"answer", 1}};
  auto train = rl::test::write_examples(dir.path / "train.jsonl", {good, chess});
  auto config = rl::test::small_config(dir.path / "run", train, 1);
  rl::Trainer trainer(rl::test::parse_config(config), config);
  const std::string message = error_of([&] { trainer.run(); });
  EXPECT_EQ(message.rfind("train.jsonl line 2: task: unknown task 'chess' (known: bace, ", 0), 0u) << message;
  EXPECT_FALSE(fs::exists(dir.path / "run")) << "nothing started";
  // An invalid SMILES is an error at construction, reward function or not.
  nlohmann::json ring = good;
  ring["smiles"] = "C1CC";
  train = rl::test::write_examples(dir.path / "train.jsonl", {good, good, ring});
  config = rl::test::small_config(dir.path / "run", train, 1);
  const std::string ring_message = error_of([&] { rl::Trainer t(rl::test::parse_config(config), config); });
  EXPECT_EQ(ring_message.rfind("train.jsonl line 3: smiles: SMILES 'C1CC' does not parse: ", 0), 0u) << ring_message;
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

// A fixed finding: a `retort score` line nested 100000 deep killed the process (stack overflow when
// nlohmann copied or dumped the parsed value); score_line now bounds the nesting before parsing.
TEST(BadData, DeeplyNestedScoreLineIsAnErrorNotACrash) {
  VerifierRegistry registry;
  chem::register_verifiers(registry);
  med::register_verifiers(registry);
  LineScorer scorer(registry, RewardSpec::defaults());
  std::string deep_array(100000, '[');
  deep_array += std::string(100000, ']');
  const std::string deep_object = R"({"task": "mcq", "reference": )" + deep_array + "}";
  // 128 levels pass the bound (and are scored: mcq without options is the verifier's error); 129 do not.
  const std::string at_bound = R"({"task": "mcq", "reference": )" + std::string(127, '[') + std::string(127, ']') +
                               R"(, "completion": "<answer>A</answer>"})";
  const std::string past_bound = R"({"task": "mcq", "reference": )" + std::string(128, '[') + std::string(128, ']') +
                                 R"(, "completion": "<answer>A</answer>"})";
  // Brackets inside strings do not count.
  const std::string in_string = R"({"task": "mcq", "reference": "A", "completion": ")" + std::string(1000, '[') +
                                R"(<answer>A</answer>", "options": {"A": "x", "B": "y"}})";
  auto out = scorer.score_lines({deep_array, deep_object, at_bound, past_bound, in_string}, 2);
  ASSERT_EQ(out.size(), 5u);
  for (size_t i : {0, 1, 3})
    EXPECT_EQ(nlohmann::json::parse(out[i])["error"], "line " + std::to_string(i + 1) + ": not valid JSON: nested deeper than 128 levels")
        << i;
  auto third = nlohmann::json::parse(out[2]);
  ASSERT_TRUE(third.contains("error"));
  EXPECT_EQ(third["error"].get<std::string>().find("nested deeper"), std::string::npos) << third["error"];
  auto fifth = nlohmann::json::parse(out[4]);
  EXPECT_FALSE(fifth.contains("error")) << out[4];
  EXPECT_EQ(fifth["correct"], true) << out[4];
}
