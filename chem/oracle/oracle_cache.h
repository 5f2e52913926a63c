// SQLite cache of oracle results keyed by (canonical SMILES, method, settings hash). WAL mode, one
// transaction per stored result, so a killed run loses nothing it finished. Thread-safe (one
// connection behind a mutex); several processes may share a file (busy timeout).
#pragma once
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "chem/oracle/oracle.h"

struct sqlite3;

namespace retort::chem::oracle {

class OracleCache {
 public:
  // Opens or creates PATH; throws std::runtime_error("oracle cache PATH: ...") when it cannot.
  explicit OracleCache(const std::filesystem::path& path);
  ~OracleCache();
  OracleCache(const OracleCache&) = delete;
  OracleCache& operator=(const OracleCache&) = delete;

  // The stored result for MOLECULE under SETTINGS (states, gap, status, message; no pick applied),
  // with cache_hit = true. nullopt when absent or unreadable.
  std::optional<OracleResult> lookup(const PreparedMolecule& molecule, const OracleSettings& settings);
  // Stores RESULT when its status is cacheable (status_is_cacheable); returns whether it stored.
  // Storage errors are reported on stderr once and otherwise ignored (the cache is an optimisation).
  bool store(const OracleResult& result, const OracleSettings& settings);
  std::size_t size();

  // The key's molecule part: the canonical SMILES, or "input:" + the raw line when it did not parse.
  static std::string molecule_key(const std::string& canonical_smiles, const std::string& input);

 private:
  std::filesystem::path path_;
  sqlite3* db_ = nullptr;
  std::mutex mutex_;
  bool warned_ = false;
};

}  // namespace retort::chem::oracle
