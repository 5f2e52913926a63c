// CSV reader: RFC 4180 quoting, CRLF, blank lines, BOM, and errors that name file and line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/errors.h"
#include "datasets/csv_reader.h"

using retort::DataError;
using retort::IoError;
using retort::datasets::parse_csv;

namespace {

std::string error_of(const std::string& text) {
  try {
    parse_csv(text, "t.csv");
  } catch (const DataError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST(CsvReader, QuotedCommasAndDoubledQuotes) {
  auto t = parse_csv("smiles,name\n\"C(C)O\",\"ethanol, absolute\"\nCC,\"say \"\"hi\"\"\"\n", "t.csv");
  ASSERT_EQ(t.header, (std::vector<std::string>{"smiles", "name"}));
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0].fields, (std::vector<std::string>{"C(C)O", "ethanol, absolute"}));
  EXPECT_EQ(t.rows[0].line, 2);
  EXPECT_EQ(t.rows[1].fields, (std::vector<std::string>{"CC", "say \"hi\""}));
  EXPECT_EQ(t.rows[1].line, 3);
}

TEST(CsvReader, CrlfRecordsAndNoTrailingNewline) {
  auto t = parse_csv("a,b\r\n1,2\r\n3,4", "t.csv");
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.header, (std::vector<std::string>{"a", "b"}));  // no stray \r in the last header field
  EXPECT_EQ(t.rows[0].fields, (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(t.rows[1].fields, (std::vector<std::string>{"3", "4"}));
  EXPECT_EQ(t.rows[1].line, 3);
}

TEST(CsvReader, BlankLinesAreSkippedButCountedInLineNumbers) {
  auto t = parse_csv("a,b\n\n1,2\r\n\r\n\n3,4\n\n", "t.csv");
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0].line, 3);
  EXPECT_EQ(t.rows[1].line, 6);
}

TEST(CsvReader, QuotedLineBreakKeepsTheRecordsStartLine) {
  auto t = parse_csv("a,b\n\"x\ny\",2\n3,4\n", "t.csv");
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0].fields[0], "x\ny");
  EXPECT_EQ(t.rows[0].line, 2);
  EXPECT_EQ(t.rows[1].line, 4);
}

TEST(CsvReader, EmptyFieldsAndByteOrderMark) {
  auto t = parse_csv("\xEF\xBB\xBFsmiles,y\n1,\n,\"\"\n", "t.csv");
  EXPECT_EQ(t.header[0], "smiles");
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0].fields, (std::vector<std::string>{"1", ""}));
  EXPECT_EQ(t.rows[1].fields, (std::vector<std::string>{"", ""}));
}

TEST(CsvReader, MissingAndExtraColumnsNameFileAndLine) {
  EXPECT_EQ(error_of("a,b\n1,2\n3\n"), "t.csv line 3: expected 2 fields, got 1");
  EXPECT_EQ(error_of("a,b\r\n\r\n1,2,3\r\n"), "t.csv line 3: expected 2 fields, got 3");
}

TEST(CsvReader, BadQuotingNamesTheLine) {
  EXPECT_EQ(error_of("a,b\n1,2\n\"3,4\n"), "t.csv line 3: quoted field is not closed before the end of the file");
  EXPECT_NE(error_of("a,b\n1x\"y,2\n").find("t.csv line 2: quote inside an unquoted field"), std::string::npos);
  EXPECT_NE(error_of("a,b\n\"1\"x,2\n").find("t.csv line 2: unexpected character after a closing quote"),
            std::string::npos);
  EXPECT_EQ(error_of(""), "t.csv: empty file (no header line)");
}

TEST(CsvReader, ColumnLookupListsTheColumns) {
  auto t = parse_csv("smiles,logp\nCCO,-0.77\n", "esol.csv");
  EXPECT_EQ(t.column("logp"), 1u);
  try {
    t.column("solubility");
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_STREQ(e.what(), "esol.csv: no column 'solubility' (columns: smiles, logp)");
  }
}

TEST(CsvReader, ReadsFilesAndReportsMissingOnes) {
  auto dir = std::filesystem::temp_directory_path() / "retort_csv_reader_test";
  std::filesystem::create_directories(dir);
  auto path = dir / "tiny.csv";
  std::ofstream(path) << "smiles,y\r\nCCO,1\r\n";
  auto t = retort::datasets::read_csv_file(path.string());
  EXPECT_EQ(t.source, "tiny.csv");
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0].fields[1], "1");
  EXPECT_THROW(retort::datasets::read_csv_file((dir / "absent.csv").string()), IoError);
  std::filesystem::remove_all(dir);
}

TEST(CsvReader, ShippedFilesParseWithTheDocumentedRowCounts) {
  const std::string dir = std::string(RETORT_SOURCE_DIR) + "/datasets/moleculenet/";
  // Row counts from ../shared/data/README.md.
  const std::vector<std::pair<std::string, size_t>> files = {
      {"esol.csv", 1128}, {"freesolv.csv", 642}, {"lipophilicity.csv", 4200},
      {"bbbp.csv", 2039}, {"bace.csv", 1513},    {"clintox.csv", 1478}};
  for (const auto& [name, rows] : files) EXPECT_EQ(retort::datasets::read_csv_file(dir + name).rows.size(), rows) << name;
}
