// CSV reader: a small RFC 4180 state machine over the whole text (the shipped files are < 1 MB).
#include "datasets/csv_reader.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/errors.h"

namespace retort::datasets {

size_t CsvTable::column(const std::string& name) const {
  for (size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  std::string names;
  for (const auto& h : header) names += (names.empty() ? "" : ", ") + h;
  throw DataError(source + ": no column '" + name + "' (columns: " + names + ")");
}

namespace {

struct Record {
  int line = 0;
  std::vector<std::string> fields;
  bool blank = false;  // an empty physical line (no fields, no quotes)
};

// Splits TEXT into records. A record ends at an unquoted LF or CRLF (a lone CR also ends it).
std::vector<Record> split_records(const std::string& text, const std::string& source) {
  std::vector<Record> records;
  size_t i = 0, n = text.size();
  if (n >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) i = 3;  // UTF-8 BOM
  int line = 1;
  while (i < n) {
    Record rec;
    rec.line = line;
    std::string field;
    bool any_content = false;  // the record has at least one character or a quoted field
    bool ended = false;
    while (!ended) {
      // Start of a field.
      if (i < n && text[i] == '"') {
        any_content = true;
        int quote_line = line;
        ++i;
        for (;;) {
          if (i >= n)
            throw DataError(source + " line " + std::to_string(quote_line) +
                            ": quoted field is not closed before the end of the file");
          char c = text[i];
          if (c == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (c == '\n') ++line;
          if (c == '\r' && !(i + 1 < n && text[i + 1] == '\n')) ++line;
          field += c;
          ++i;
        }
        // After the closing quote: a separator, a record end, or the end of the text.
        if (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
          throw DataError(source + " line " + std::to_string(line) +
                          ": unexpected character after a closing quote (a quote inside a field must be doubled)");
      } else {
        while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          if (text[i] == '"')
            throw DataError(source + " line " + std::to_string(line) +
                            ": quote inside an unquoted field (quote the whole field and double the quote)");
          field += text[i];
          any_content = true;
          ++i;
        }
      }
      rec.fields.push_back(std::move(field));
      field.clear();
      if (i >= n) {
        ended = true;
      } else if (text[i] == ',') {
        any_content = true;
        ++i;
      } else {  // \n, \r\n or \r
        if (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n') ++i;
        ++i;
        ++line;
        ended = true;
      }
    }
    rec.blank = !any_content;
    records.push_back(std::move(rec));
  }
  return records;
}

}  // namespace

CsvTable parse_csv(const std::string& text, const std::string& source) {
  CsvTable table;
  table.source = source;
  bool have_header = false;
  for (auto& rec : split_records(text, source)) {
    if (rec.blank) continue;
    if (!have_header) {
      table.header = std::move(rec.fields);
      have_header = true;
      continue;
    }
    if (rec.fields.size() != table.header.size())
      throw DataError(source + " line " + std::to_string(rec.line) + ": expected " +
                      std::to_string(table.header.size()) + " fields, got " +
                      std::to_string(rec.fields.size()));
    table.rows.push_back({rec.line, std::move(rec.fields)});
  }
  if (!have_header) throw DataError(source + ": empty file (no header line)");
  return table;
}

CsvTable read_csv_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path + ": cannot open for reading");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw IoError(path + ": read error");
  return parse_csv(buffer.str(), std::filesystem::path(path).filename().string());
}

}  // namespace retort::datasets
