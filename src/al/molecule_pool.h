// The active-learning pool: every molecule sent to the oracle (or scored), with its round, status,
// properties and score. Saved as pool.csv (written to a temporary file and renamed: a kill never
// leaves half a file). Torch-free.
#pragma once
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "al/objective.h"

namespace retort::al {

struct PoolEntry {
  std::string smiles;            // canonical
  int round = 0;
  std::string status = "ok";     // oracle status name ("ok", "xtb_failed", ...), or "ok" for druglike
  std::optional<double> score;   // empty when the evaluation failed
  Properties props;
};

class MoleculePool {
 public:
  explicit MoleculePool(std::vector<std::string> property_names) : property_names_(std::move(property_names)) {}

  // Adds ENTRY unless its SMILES is already there (returns false then).
  bool add(PoolEntry entry);
  bool contains(const std::string& smiles) const { return index_.count(smiles) > 0; }
  const PoolEntry* find(const std::string& smiles) const;
  const std::vector<PoolEntry>& entries() const { return entries_; }
  std::size_t size() const { return entries_.size(); }
  std::unordered_set<std::string> smiles_set() const;

  // Scored entries, highest score first (ties: earlier entry first).
  std::vector<const PoolEntry*> ranked() const;
  // Mean score of the best K scored entries (all of them when fewer); nullopt when none is scored.
  std::optional<double> top_mean(std::size_t k) const;

  // Drops every entry of a round after ROUND (a resumed run redoes that round).
  void drop_after_round(int round);

  // CSV: smiles,round,status,score,<property...>; empty cells for missing values.
  std::string to_csv() const;
  void save(const std::string& path) const;  // atomic
  // Reads PATH (missing file: empty pool). Throws DataError "PATH line N: ..." on malformed rows.
  static MoleculePool load(const std::string& path, std::vector<std::string> property_names);

 private:
  std::vector<std::string> property_names_;
  std::vector<PoolEntry> entries_;
  std::unordered_map<std::string, std::size_t> index_;
};

// Writes TEXT to PATH through PATH.tmp + fsync + rename (atomic on POSIX file systems).
void write_file_atomic(const std::string& path, const std::string& text);

}  // namespace retort::al
