// Reads one task's CSV into molecule records: SMILES, label, source line and Bemis-Murcko scaffold.
// Rows whose SMILES RDKit cannot parse are collected with a "file line N: reason" each (the caller
// decides whether that is fatal); a bad label is always a DataError naming file, line and column.
#pragma once
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "datasets/csv_reader.h"
#include "datasets/moleculenet_tasks.h"

namespace retort::datasets {

struct MoleculeRecord {
  std::string smiles;    // as written in the source file
  double label = 0;      // the number, or 0/1 for binary tasks
  int source_line = 0;   // 1-based line in the source file
  std::string scaffold;  // chem::murcko_scaffold canonical SMILES, "" for acyclic molecules
};

struct LoadedRecords {
  int rows_read = 0;                  // data rows in the file (header and blank lines excluded)
  std::vector<MoleculeRecord> records;  // the rows whose SMILES parse, in file order
  std::vector<std::string> invalid;   // "bbbp.csv line 60: SMILES 'C1CC' does not parse: ..." per bad row
};

// Parses a label cell: numeric tasks take any finite number, binary tasks 0 or 1 (also 0.0 / 1.0).
// WHERE is "esol.csv line 5" for the message.
double parse_label(const TaskSpec& spec, const std::string& cell, const std::string& where);

// PROGRESS (optional) is called with (rows done, rows total) as rows are processed.
LoadedRecords load_records(const TaskSpec& spec, const CsvTable& table,
                           const std::function<void(size_t, size_t)>& progress = {});

}  // namespace retort::datasets
