// SQLite result cache for the oracle (see oracle_cache.h).
#include "chem/oracle/oracle_cache.h"

#include <sqlite3.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace retort::chem::oracle {

namespace {

const char* kSchema =
    "CREATE TABLE IF NOT EXISTS oracle_results ("
    " molecule TEXT NOT NULL, method TEXT NOT NULL, settings_hash TEXT NOT NULL,"
    " settings TEXT NOT NULL, status TEXT NOT NULL, message TEXT NOT NULL,"
    " states_json TEXT NOT NULL, gap_ev REAL, seconds REAL NOT NULL,"
    " created TEXT NOT NULL DEFAULT (datetime('now')),"
    " PRIMARY KEY (molecule, method, settings_hash));";

// RAII statement.
struct Statement {
  sqlite3_stmt* stmt = nullptr;
  Statement(sqlite3* db, const char* sql) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) stmt = nullptr;
  }
  ~Statement() { sqlite3_finalize(stmt); }
  void text(int i, const std::string& s) { sqlite3_bind_text(stmt, i, s.c_str(), static_cast<int>(s.size()), SQLITE_TRANSIENT); }
};

}  // namespace

std::string OracleCache::molecule_key(const std::string& canonical_smiles, const std::string& input) {
  return canonical_smiles.empty() ? "input:" + input : canonical_smiles;
}

OracleCache::OracleCache(const std::filesystem::path& path) : path_(path) {
  auto fail = [&](const std::string& why) {
    std::string message = "oracle cache " + path.string() + ": " + why;
    if (db_) sqlite3_close(db_);
    db_ = nullptr;
    throw std::runtime_error(message);
  };
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr) !=
      SQLITE_OK)
    fail(db_ ? sqlite3_errmsg(db_) : "cannot open");
  sqlite3_busy_timeout(db_, 10000);
  char* error = nullptr;
  // WAL + synchronous=NORMAL: every committed result survives the process being killed.
  for (const char* sql : {"PRAGMA journal_mode=WAL;", "PRAGMA synchronous=NORMAL;", kSchema}) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
      std::string why = error ? error : "unknown error";
      sqlite3_free(error);
      fail(why);
    }
  }
}

OracleCache::~OracleCache() {
  if (db_) sqlite3_close(db_);
}

std::optional<OracleResult> OracleCache::lookup(const PreparedMolecule& molecule, const OracleSettings& settings) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement q(db_,
              "SELECT status, message, states_json, gap_ev, seconds FROM oracle_results "
              "WHERE molecule = ?1 AND method = ?2 AND settings_hash = ?3;");
  if (!q.stmt) return std::nullopt;
  q.text(1, molecule_key(molecule.canonical_smiles, molecule.input));
  q.text(2, settings.method_name());
  q.text(3, settings.settings_hash());
  if (sqlite3_step(q.stmt) != SQLITE_ROW) return std::nullopt;
  auto column_text = [&](int i) {
    const unsigned char* t = sqlite3_column_text(q.stmt, i);
    return t ? std::string(reinterpret_cast<const char*>(t)) : std::string();
  };
  auto status = status_from_name(column_text(0));
  if (!status) return std::nullopt;
  OracleResult result;
  result.input = molecule.input;
  result.canonical_smiles = molecule.canonical_smiles;
  result.status = *status;
  result.message = column_text(1);
  nlohmann::json states = nlohmann::json::parse(column_text(2), nullptr, false);
  if (states.is_discarded() || !states.is_array()) return std::nullopt;
  for (const auto& s : states) {
    if (!s.is_array() || s.size() != 3) return std::nullopt;
    result.states.push_back({s[0].get<double>(), s[1].get<double>(), s[2].get<double>()});
  }
  if (sqlite3_column_type(q.stmt, 3) != SQLITE_NULL) result.gap_ev = sqlite3_column_double(q.stmt, 3);
  result.cache_hit = true;
  result.seconds = 0;
  return result;
}

bool OracleCache::store(const OracleResult& result, const OracleSettings& settings) {
  if (!status_is_cacheable(result.status)) return false;
  nlohmann::json states = nlohmann::json::array();
  for (const auto& s : result.states) states.push_back({s.energy_ev, s.wavelength_nm, s.oscillator_strength});
  std::lock_guard<std::mutex> lock(mutex_);
  Statement q(db_,
              "INSERT OR REPLACE INTO oracle_results "
              "(molecule, method, settings_hash, settings, status, message, states_json, gap_ev, seconds) "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9);");
  bool ok = q.stmt != nullptr;
  if (ok) {
    q.text(1, molecule_key(result.canonical_smiles, result.input));
    q.text(2, settings.method_name());
    q.text(3, settings.settings_hash());
    q.text(4, settings.settings_text());
    q.text(5, status_name(result.status));
    q.text(6, result.message);
    q.text(7, states.dump());
    if (result.gap_ev) sqlite3_bind_double(q.stmt, 8, *result.gap_ev);
    else sqlite3_bind_null(q.stmt, 8);
    sqlite3_bind_double(q.stmt, 9, result.seconds);
    ok = sqlite3_step(q.stmt) == SQLITE_DONE;  // autocommit: one transaction per result
  }
  if (!ok && !warned_) {
    warned_ = true;
    std::fprintf(stderr, "oracle cache %s: cannot store a result: %s\n", path_.c_str(), sqlite3_errmsg(db_));
  }
  return ok;
}

std::size_t OracleCache::size() {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement q(db_, "SELECT COUNT(*) FROM oracle_results;");
  if (!q.stmt || sqlite3_step(q.stmt) != SQLITE_ROW) return 0;
  return static_cast<std::size_t>(sqlite3_column_int64(q.stmt, 0));
}

}  // namespace retort::chem::oracle
