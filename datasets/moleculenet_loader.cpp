// load_records: CSV rows -> parsed molecules with scaffolds; invalid SMILES are listed, not dropped silently.
#include "datasets/moleculenet_loader.h"

#include <charconv>
#include <cmath>

#include "chem/molecule.h"
#include "chem/structure.h"
#include "core/errors.h"

namespace retort::datasets {

namespace {

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

}  // namespace

double parse_label(const TaskSpec& spec, const std::string& cell, const std::string& where) {
  std::string text = trim(cell);
  auto fail = [&](const std::string& why) -> double {
    throw DataError(where + ": column '" + spec.label_column + "': '" + cell + "' " + why);
  };
  if (text.empty()) return fail("is empty (no label)");
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
    return fail("is not a number");
  if (spec.kind == TaskKind::binary && value != 0.0 && value != 1.0) return fail("is not 0 or 1");
  return value;
}

LoadedRecords load_records(const TaskSpec& spec, const CsvTable& table,
                           const std::function<void(size_t, size_t)>& progress) {
  const size_t smiles_col = table.column(spec.smiles_column);
  const size_t label_col = table.column(spec.label_column);
  LoadedRecords out;
  out.rows_read = static_cast<int>(table.rows.size());
  out.records.reserve(table.rows.size());
  for (size_t i = 0; i < table.rows.size(); ++i) {
    const CsvRow& row = table.rows[i];
    const std::string where = table.source + " line " + std::to_string(row.line);
    const double label = parse_label(spec, row.fields[label_col], where);
    const std::string smiles = trim(row.fields[smiles_col]);
    if (smiles.empty()) {
      out.invalid.push_back(where + ": empty SMILES");
    } else {
      std::string error;
      auto mol = chem::Molecule::try_from_smiles(smiles, &error);
      if (!mol) {
        // chem's message already reads "SMILES '...' does not parse: reason"; keep one copy of it.
        if (error.rfind("SMILES '", 0) != 0) error = "SMILES '" + smiles + "' does not parse: " + error;
        out.invalid.push_back(where + ": " + error);
      } else {
        out.records.push_back({smiles, label, row.line, chem::murcko_scaffold(*mol)});
      }
    }
    if (progress) progress(i + 1, table.rows.size());
  }
  return out;
}

}  // namespace retort::datasets
