// The oracle's table output: `smiles,status,wavelength_nm,f_osc,gap_ev,seconds`, one row per input
// line, in input order even when results arrive out of order (rows are written as soon as every
// earlier row is known), and an optional JSONL of every excited state and message per line.
#pragma once
#include <map>
#include <ostream>
#include <string>

#include "chem/oracle/oracle.h"

namespace retort::chem::oracle {

// One CSV field, quoted when it holds a comma, quote, CR or LF.
std::string csv_field(const std::string& text);
// The row for RESULT (empty numeric fields for failures), without the newline.
std::string oracle_csv_row(const OracleResult& result);
inline const char* oracle_csv_header() { return "smiles,status,wavelength_nm,f_osc,gap_ev,seconds"; }
// {"line": N, "smiles", "canonical", "status", "message", "gap_ev", "states": [[eV, nm, f], ...], "cache_hit"}
std::string oracle_jsonl_record(std::size_t line, const OracleResult& result);

class OrderedOracleWriter {
 public:
  // CSV is required; STATES_JSONL may be null. Writes the CSV header at once.
  OrderedOracleWriter(std::ostream& csv, std::ostream* states_jsonl);
  // Accepts result INDEX (0-based input line); writes it and any following ones that are ready.
  void add(std::size_t index, const OracleResult& result);
  std::size_t written() const { return next_; }

 private:
  void write(std::size_t index, const OracleResult& result);
  std::ostream& csv_;
  std::ostream* jsonl_;
  std::size_t next_ = 0;
  std::map<std::size_t, OracleResult> pending_;
};

}  // namespace retort::chem::oracle
