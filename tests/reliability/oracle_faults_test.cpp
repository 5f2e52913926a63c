// Oracle fault injection beyond tests/chem/oracle_failure_test.cpp (which covers xtb killed, hanging,
// printing garbage and missing, MOPAC printing garbage, and the pool going on): MOPAC killed mid-job,
// hanging past the deadline and missing from PATH, each a typed result; the SQLite cache through every
// fault (results cached before the fault come back unchanged, failures are never cached, the file stays
// consistent); and the process running the pool SIGKILLed while it is storing results.
#include <gtest/gtest.h>

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "chem/oracle/oracle.h"
#include "chem/oracle/oracle_cache.h"
#include "chem/oracle/oracle_pool.h"
#include "chem/oracle/subprocess.h"

namespace fs = std::filesystem;
using namespace retort::chem::oracle;

namespace {

const fs::path kChemFakes = fs::path(RETORT_SOURCE_DIR) / "tests/chem/fake_bin";
const fs::path kMopacFakes = fs::path(RETORT_SOURCE_DIR) / "tests/reliability/fake_bin";

OracleSettings settings_with_path(const std::string& search_path, const fs::path& temp_root, double timeout = 60) {
  OracleSettings s;
  s.search_path = search_path;
  s.temp_root = temp_root;
  s.timeout_seconds = timeout;
  return s;
}

// Kills the background sleepers a hanging fake left (their pids are in sleeper.pid files under ROOT).
void kill_leftover_sleepers(const fs::path& root) {
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator(); ++it) {
    if (it->path().filename() != "sleeper.pid") continue;
    std::ifstream in(it->path());
    pid_t pid = 0;
    if (in >> pid && pid > 1) ::kill(pid, SIGKILL);
  }
}

void expect_same_result(const OracleResult& got, const OracleResult& want) {
  EXPECT_EQ(got.status, want.status) << got.message;
  EXPECT_EQ(got.canonical_smiles, want.canonical_smiles);
  ASSERT_EQ(got.states.size(), want.states.size());
  for (size_t i = 0; i < want.states.size(); ++i) {
    EXPECT_DOUBLE_EQ(got.states[i].energy_ev, want.states[i].energy_ev);
    EXPECT_DOUBLE_EQ(got.states[i].wavelength_nm, want.states[i].wavelength_nm);
    EXPECT_DOUBLE_EQ(got.states[i].oscillator_strength, want.states[i].oscillator_strength);
  }
  EXPECT_EQ(got.gap_ev.has_value(), want.gap_ev.has_value());
  if (got.gap_ev && want.gap_ev) EXPECT_DOUBLE_EQ(*got.gap_ev, *want.gap_ev);
}

std::string integrity_check(const fs::path& db_path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return "cannot open";
  }
  std::string verdict = "no answer";
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
    verdict = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  sqlite3_close(db);
  return verdict;
}

}  // namespace

TEST(OracleFaults, MopacKilledMidJobIsMopacFailed) {
  JobDirectory root({}, "retort-reliability-");
  auto s = settings_with_path((kMopacFakes / "killed_mopac").string() + ":/usr/bin:/bin", root.path());
  OracleResult r = evaluate_smiles("C=CC=O", s);  // the real xtb runs first
  EXPECT_EQ(r.status, OracleStatus::mopac_failed) << r.message;
  EXPECT_NE(r.message.find("signal 9"), std::string::npos) << r.message;
  EXPECT_TRUE(r.states.empty());
  EXPECT_FALSE(r.wavelength_nm.has_value());
  EXPECT_TRUE(fs::is_empty(root.path()));
}

TEST(OracleFaults, MopacHangingPastTheDeadlineIsTimeout) {
  JobDirectory root({}, "retort-reliability-");
  auto s = settings_with_path((kMopacFakes / "sleeping_mopac").string() + ":/usr/bin:/bin", root.path(), 2.0);
  auto start = std::chrono::steady_clock::now();
  OracleResult r = evaluate_smiles("C=CC=O", s);
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  kill_leftover_sleepers(root.path());
  EXPECT_EQ(r.status, OracleStatus::timeout) << r.message;
  EXPECT_NE(r.message.find("mopac"), std::string::npos) << r.message;
  EXPECT_LT(elapsed, 10.0);  // the fake sleeps 300 s
  EXPECT_TRUE(fs::is_empty(root.path()));
}

TEST(OracleFaults, MopacMissingFromPathIsNotFound) {
  JobDirectory root({}, "retort-reliability-");
  JobDirectory only_xtb({}, "retort-only-xtb-");
  fs::create_symlink("/usr/bin/xtb", only_xtb.path() / "xtb");
  auto s = settings_with_path(only_xtb.path().string(), root.path());
  OracleResult r = evaluate_smiles("C=CC=O", s);
  EXPECT_EQ(r.status, OracleStatus::not_found) << r.message;
  EXPECT_EQ(r.message, "mopac not found on PATH");
  EXPECT_TRUE(fs::is_empty(root.path()));
}

// Two molecules computed for real and cached; then a pool run under each fault: the cached ones come
// back unchanged (cache hits, nothing run), the new molecule fails with the fault's status and is not
// stored, a parse error is stored once; the file passes SQLite's integrity check at the end.
TEST(OracleFaults, CachedResultsSurviveEveryFaultUnchanged) {
  JobDirectory root({}, "retort-reliability-");
  JobDirectory dir({}, "retort-cache-");
  const fs::path db = dir.path() / "cache.sqlite";
  const std::vector<std::string> good = {"C=CC=O", "CC=O"};
  std::vector<OracleResult> originals;
  {
    OracleCache cache(db);
    originals = OraclePool(settings_with_path("/usr/bin:/bin", root.path()), 2, &cache).run(good);
    ASSERT_EQ(originals[0].status, OracleStatus::ok) << originals[0].message;
    ASSERT_EQ(originals[1].status, OracleStatus::ok) << originals[1].message;
    EXPECT_EQ(cache.size(), 2u);
  }
  struct Fault {
    std::string name;
    std::string search_path;
    double timeout;
    OracleStatus expected;
  };
  JobDirectory empty({}, "retort-empty-path-");
  const std::vector<Fault> faults = {
      {"xtb killed", (kChemFakes / "killed").string() + ":/usr/bin:/bin", 60, OracleStatus::xtb_failed},
      {"xtb hanging", (kChemFakes / "sleeping").string() + ":/usr/bin:/bin", 1.0, OracleStatus::timeout},
      {"xtb garbage", (kChemFakes / "garbage_xtb").string() + ":/usr/bin:/bin", 60, OracleStatus::bad_output},
      {"mopac garbage", (kChemFakes / "garbage_mopac").string() + ":/usr/bin:/bin", 60, OracleStatus::bad_output},
      {"mopac killed", (kMopacFakes / "killed_mopac").string() + ":/usr/bin:/bin", 60, OracleStatus::mopac_failed},
      {"mopac hanging", (kMopacFakes / "sleeping_mopac").string() + ":/usr/bin:/bin", 2.0, OracleStatus::timeout},
      {"nothing on PATH", empty.path().string(), 60, OracleStatus::not_found},
  };
  const std::vector<std::string> inputs = {"C=CC=O", "c1ccccc1", "CC=O", "C1CC"};
  for (const Fault& fault : faults) {
    SCOPED_TRACE(fault.name);
    OracleCache cache(db);
    auto results = OraclePool(settings_with_path(fault.search_path, root.path(), fault.timeout), 2, &cache).run(inputs);
    kill_leftover_sleepers(root.path());
    ASSERT_EQ(results.size(), inputs.size());
    EXPECT_TRUE(results[0].cache_hit);
    expect_same_result(results[0], originals[0]);
    EXPECT_TRUE(results[2].cache_hit);
    expect_same_result(results[2], originals[1]);
    EXPECT_EQ(results[1].status, fault.expected) << results[1].message;
    EXPECT_FALSE(results[1].cache_hit);
    EXPECT_EQ(results[3].status, OracleStatus::parse_error);
    EXPECT_EQ(cache.size(), 3u) << "only the parse error joins the two real results";
    EXPECT_TRUE(fs::is_empty(root.path())) << "job directories left behind";
  }
  EXPECT_EQ(integrity_check(db), "ok");
  OracleCache reopened(db);
  OracleSettings no_programs = settings_with_path(empty.path().string(), root.path());
  for (size_t i = 0; i < good.size(); ++i) {
    auto again = reopened.lookup(prepare_molecule(good[i]), no_programs);
    ASSERT_TRUE(again.has_value()) << good[i];
    expect_same_result(*again, originals[i]);
  }
}

// A child process fills the cache with results (parse errors: cacheable, and cheap, so it is mostly
// writing) and is SIGKILLed mid-stream. Every result it reported as stored before the kill is still
// there, the two results cached beforehand are unchanged, and the file passes the integrity check.
TEST(OracleFaults, SigkillWhileStoringLosesNoCommittedResult) {
  JobDirectory root({}, "retort-reliability-");
  JobDirectory dir({}, "retort-cache-");
  const fs::path db = dir.path() / "cache.sqlite";
  const fs::path progress = dir.path() / "stored.txt";
  std::vector<OracleResult> originals;
  {
    OracleCache cache(db);
    originals = OraclePool(settings_with_path("/usr/bin:/bin", root.path()), 2, &cache).run({"C=CC=O", "CC=O"});
    ASSERT_EQ(originals[0].status, OracleStatus::ok) << originals[0].message;
  }
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The child: 2 workers storing parse errors "C1CC(<n>" (an unclosed branch never parses; "C1CC<n>" did
    // for n = 1, cyclopropane, whose real result made the test flaky); after each stored result it appends n to
    // stored.txt (written after the store, so every n listed was committed before).
    OracleCache cache(db);
    OraclePool pool(settings_with_path("/usr/bin:/bin", root.path()), 2, &cache);
    std::ofstream out(progress, std::ios::app);
    std::vector<std::string> batch;
    for (int n = 0; n < 100000; ++n) batch.push_back("C1CC(" + std::to_string(n));
    pool.run(batch, [&](size_t i, const OracleResult&) { out << i << "\n" << std::flush; });
    ::_exit(0);
  }
  // Kill it once it has stored a few hundred results.
  for (int waited = 0; waited < 600; ++waited) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::error_code ec;
    if (fs::file_size(progress, ec) > 2000) break;
  }
  ::kill(child, SIGKILL);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "the child finished before the kill";

  std::vector<size_t> reported;
  {
    std::ifstream in(progress);
    for (size_t n; in >> n;) reported.push_back(n);
  }
  ASSERT_GT(reported.size(), 100u);
  EXPECT_EQ(integrity_check(db), "ok");
  OracleCache cache(db);
  EXPECT_GE(cache.size(), 2u + reported.size());
  OracleSettings s = settings_with_path("/nonexistent", root.path());
  for (size_t n : reported) {
    auto hit = cache.lookup(prepare_molecule("C1CC(" + std::to_string(n)), s);
    ASSERT_TRUE(hit.has_value()) << "result " << n << " was reported stored but is gone";
    EXPECT_EQ(hit->status, OracleStatus::parse_error);
  }
  expect_same_result(*cache.lookup(prepare_molecule("C=CC=O"), s), originals[0]);
  expect_same_result(*cache.lookup(prepare_molecule("CC=O"), s), originals[1]);
}
