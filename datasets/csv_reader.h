// CSV reading (RFC 4180): quoted fields with embedded commas, quotes ("") and line breaks; LF or CRLF
// records; a UTF-8 byte-order mark is ignored; blank lines are skipped. Every error names the file and
// the line where the bad record starts ("bbbp.csv line 17: expected 2 fields, got 1").
#pragma once
#include <string>
#include <vector>

namespace retort::datasets {

struct CsvRow {
  int line = 0;                     // 1-based physical line where the record starts
  std::vector<std::string> fields;  // one per header column
};

struct CsvTable {
  std::string source;               // the name used in messages, e.g. "esol.csv"
  std::vector<std::string> header;
  std::vector<CsvRow> rows;

  // Index of the column called NAME; DataError "esol.csv: no column 'x' (columns: smiles, logp)".
  size_t column(const std::string& name) const;
};

// Parses CSV TEXT whose first record is the header. SOURCE names it in errors (DataError).
CsvTable parse_csv(const std::string& text, const std::string& source);
// Reads and parses the file at PATH (IoError if it cannot be read); messages use its file name.
CsvTable read_csv_file(const std::string& path);

}  // namespace retort::datasets
