// Fault handling of the oracle, with fake xtb/mopac programs (tests/chem/fake_bin) first on its PATH:
// an unparseable SMILES, open shells, a forced timeout, xtb killed mid-run by SIGKILL, garbage output
// from xtb and from MOPAC, xtb missing from PATH. Each must be a typed result, never an exception, the
// pool must go on with the other molecules, and no job directory may be left behind.
#include <gtest/gtest.h>

#include <filesystem>

#include "chem/oracle/oracle.h"
#include "chem/oracle/oracle_pool.h"
#include "chem/oracle/subprocess.h"

namespace fs = std::filesystem;
using namespace retort::chem::oracle;

namespace {

const fs::path kFakeBin = fs::path(RETORT_SOURCE_DIR) / "tests/chem/fake_bin";

// Settings whose programs are looked up in FAKE_DIR first (then the real system), with job
// directories under a fresh root that the test checks for leftovers.
struct FakeSetup {
  JobDirectory root{{}, "retort-oracle-test-"};
  OracleSettings settings;
  explicit FakeSetup(const std::string& fake_dir, double timeout = 30) {
    settings.search_path = (fake_dir.empty() ? std::string() : (kFakeBin / fake_dir).string() + ":") + "/usr/bin:/bin";
    settings.temp_root = root.path();
    settings.timeout_seconds = timeout;
  }
  bool no_leftovers() const { return fs::is_empty(root.path()); }
};

}  // namespace

TEST(OracleFailure, UnparseableSmilesIsParseError) {
  FakeSetup setup("killed");  // no program may run for these
  for (std::string bad : {"C1CC", "not a smiles", "c1cccc1", "C(C)(C)(C)(C)C", "", "   "}) {
    OracleResult r = evaluate_smiles(bad, setup.settings);
    EXPECT_EQ(r.status, OracleStatus::parse_error) << "'" << bad << "': " << r.message;
    EXPECT_FALSE(r.message.empty());
    EXPECT_FALSE(r.wavelength_nm.has_value());
  }
  EXPECT_TRUE(setup.no_leftovers());
}

TEST(OracleFailure, OpenShellIsUnsupported) {
  FakeSetup setup("killed");
  OracleResult methyl = evaluate_smiles("[CH3]", setup.settings);  // 9 electrons
  EXPECT_EQ(methyl.status, OracleStatus::unsupported) << methyl.message;
  EXPECT_NE(methyl.message.find("9 electrons"), std::string::npos) << methyl.message;
  OracleResult no2 = evaluate_smiles("[O]N=O", setup.settings);  // NO2 radical, 23 electrons
  EXPECT_EQ(no2.status, OracleStatus::unsupported) << no2.message;
  // Even-electron ions are fine at this stage: the pyridinium cation goes on to run xtb (killed fake).
  OracleResult pyridinium = evaluate_smiles("c1cc[nH+]cc1", setup.settings);
  EXPECT_EQ(pyridinium.status, OracleStatus::xtb_failed) << pyridinium.message;
}

TEST(OracleFailure, ForcedTimeoutKillsTheJob) {
  FakeSetup setup("sleeping", /*timeout=*/1.0);
  auto start = std::chrono::steady_clock::now();
  OracleResult r = evaluate_smiles("c1ccccc1", setup.settings);
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(r.status, OracleStatus::timeout) << r.message;
  EXPECT_NE(r.message.find("xtb --gfnff --opt"), std::string::npos) << r.message;
  EXPECT_LT(elapsed, 5.0);  // the fake sleeps 300 s
  EXPECT_TRUE(setup.no_leftovers());
}

TEST(OracleFailure, XtbKilledMidRunIsXtbFailed) {
  FakeSetup setup("killed");
  OracleResult r = evaluate_smiles("c1ccccc1", setup.settings);
  EXPECT_EQ(r.status, OracleStatus::xtb_failed);
  EXPECT_NE(r.message.find("killed by signal 9"), std::string::npos) << r.message;
  EXPECT_TRUE(setup.no_leftovers());
}

TEST(OracleFailure, GarbageXtbOutputIsBadOutput) {
  FakeSetup setup("garbage_xtb");
  OracleResult r = evaluate_smiles("c1ccccc1", setup.settings);
  EXPECT_EQ(r.status, OracleStatus::bad_output) << r.message;
  EXPECT_NE(r.message.find("xtbopt.xyz"), std::string::npos) << r.message;
  EXPECT_TRUE(setup.no_leftovers());
}

TEST(OracleFailure, GarbageMopacOutputIsBadOutput) {
  FakeSetup setup("garbage_mopac");  // the real xtb runs, the fake MOPAC writes garbage
  OracleResult r = evaluate_smiles("C=CC=O", setup.settings);
  EXPECT_EQ(r.status, OracleStatus::bad_output) << r.message;
  EXPECT_NE(r.message.find("MOPAC table row"), std::string::npos) << r.message;
  EXPECT_FALSE(r.gap_ev.has_value());  // a failed molecule reports nothing half-done
  EXPECT_TRUE(setup.no_leftovers());
}

TEST(OracleFailure, XtbMissingFromPathIsNotFound) {
  FakeSetup setup("");
  JobDirectory empty;
  setup.settings.search_path = empty.path().string();
  OracleResult r = evaluate_smiles("c1ccccc1", setup.settings);
  EXPECT_EQ(r.status, OracleStatus::not_found);
  EXPECT_EQ(r.message, "xtb not found on PATH");
  EXPECT_TRUE(setup.no_leftovers());
}

TEST(OracleFailure, PoolGoesOnAfterEachKindOfFailure) {
  FakeSetup setup("killed");
  std::vector<std::string> inputs = {"C1CC", "c1ccccc1", "[CH3]", "", "CCO", "c1ccccc1"};
  OraclePool pool(setup.settings, 3);
  std::vector<std::size_t> seen;
  auto results = pool.run(inputs, [&](std::size_t i, const OracleResult&) { seen.push_back(i); });
  ASSERT_EQ(results.size(), inputs.size());
  EXPECT_EQ(seen.size(), inputs.size());
  std::vector<OracleStatus> expected = {OracleStatus::parse_error, OracleStatus::xtb_failed, OracleStatus::unsupported,
                                        OracleStatus::parse_error, OracleStatus::xtb_failed, OracleStatus::xtb_failed};
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    EXPECT_EQ(results[i].status, expected[i]) << i << ": " << results[i].message;
    EXPECT_EQ(results[i].input, inputs[i]);
  }
  EXPECT_TRUE(setup.no_leftovers());
}
