// CSV/JSONL output of oracle results in input order (see oracle_csv.h).
#include "chem/oracle/oracle_csv.h"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace retort::chem::oracle {

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

namespace {
std::string number(double value, const char* format) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, value);
  return buf;
}
}  // namespace

std::string oracle_csv_row(const OracleResult& result) {
  std::string row = csv_field(result.input) + "," + status_name(result.status) + ",";
  row += result.wavelength_nm ? number(*result.wavelength_nm, "%.2f") : "";
  row += ",";
  row += result.oscillator_strength ? number(*result.oscillator_strength, "%.6f") : "";
  row += ",";
  row += result.gap_ev ? number(*result.gap_ev, "%.4f") : "";
  row += "," + number(result.seconds, "%.3f");
  return row;
}

std::string oracle_jsonl_record(std::size_t line, const OracleResult& result) {
  nlohmann::json j;
  j["line"] = line + 1;
  j["smiles"] = result.input;
  j["canonical"] = result.canonical_smiles;
  j["status"] = status_name(result.status);
  j["message"] = result.message;
  j["gap_ev"] = result.gap_ev ? nlohmann::json(*result.gap_ev) : nlohmann::json(nullptr);
  j["wavelength_nm"] = result.wavelength_nm ? nlohmann::json(*result.wavelength_nm) : nlohmann::json(nullptr);
  j["f_osc"] = result.oscillator_strength ? nlohmann::json(*result.oscillator_strength) : nlohmann::json(nullptr);
  nlohmann::json states = nlohmann::json::array();
  for (const auto& s : result.states) states.push_back({s.energy_ev, s.wavelength_nm, s.oscillator_strength});
  j["states"] = states;
  j["cache_hit"] = result.cache_hit;
  j["seconds"] = result.seconds;
  // Untrusted input lines may hold invalid UTF-8: replace rather than throw.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

OrderedOracleWriter::OrderedOracleWriter(std::ostream& csv, std::ostream* states_jsonl)
    : csv_(csv), jsonl_(states_jsonl) {
  csv_ << oracle_csv_header() << "\n";
  csv_.flush();
}

void OrderedOracleWriter::write(std::size_t index, const OracleResult& result) {
  csv_ << oracle_csv_row(result) << "\n";
  if (jsonl_) *jsonl_ << oracle_jsonl_record(index, result) << "\n";
}

void OrderedOracleWriter::add(std::size_t index, const OracleResult& result) {
  if (index < next_) return;  // already written
  if (index != next_) {
    pending_.emplace(index, result);
    return;
  }
  write(index, result);
  ++next_;
  for (auto it = pending_.find(next_); it != pending_.end(); it = pending_.find(next_)) {
    write(it->first, it->second);
    pending_.erase(it);
    ++next_;
  }
  csv_.flush();
  if (jsonl_) jsonl_->flush();
}

}  // namespace retort::chem::oracle
