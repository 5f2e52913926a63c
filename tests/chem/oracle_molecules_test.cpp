// The oracle end to end with the real xtb 6.5 and MOPAC 22 on three dyes with known absorption, the
// SQLite cache (a second run is a hit, equals the first, and runs no program), and CSV order with
// mixed failures. Kept to a handful of small molecules so the suite stays fast.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "chem/oracle/oracle.h"
#include "chem/oracle/oracle_cache.h"
#include "chem/oracle/oracle_csv.h"
#include "chem/oracle/oracle_pool.h"
#include "chem/oracle/subprocess.h"

namespace fs = std::filesystem;
using namespace retort::chem::oracle;

namespace {

const ExcitedState* first_bright(const OracleResult& r, double threshold) {
  for (const auto& s : r.states)
    if (s.oscillator_strength >= threshold) return &s;
  return nullptr;
}

OracleSettings test_settings() {
  OracleSettings s;  // the defaults: GFN-FF geometry, GFN2 single-point gap, C.I.=(20,10)
  s.timeout_seconds = 120;
  return s;
}

}  // namespace

// Experimental absorption maxima (long-wavelength band): 4-nitroaniline 320-330 nm in cyclohexane,
// 380 nm in water; Nile red ~490 nm in hexane, 550-590 nm in polar solvents; coumarin 153 ~390 nm in
// cyclohexane, ~420 nm in ethanol. INDO/S-CIS in vacuum on an xTB geometry sits near the non-polar
// values, so the first state with f >= 0.1 must fall in a window around them, be strong (f well above
// zero: these are allowed pi-pi* charge-transfer bands), and the GFN2 gap must be a sane 1-4 eV.
TEST(OracleMolecules, FourNitroaniline) {
  OracleResult r = evaluate_smiles("Nc1ccc(cc1)[N+](=O)[O-]", test_settings());
  ASSERT_EQ(r.status, OracleStatus::ok) << r.message;
  ASSERT_GE(r.states.size(), 3u);
  const ExcitedState* band = first_bright(r, 0.1);
  ASSERT_NE(band, nullptr);
  EXPECT_GT(band->wavelength_nm, 280);  // UV / near-UV charge-transfer band
  EXPECT_LT(band->wavelength_nm, 400);
  EXPECT_GT(band->oscillator_strength, 0.2);
  ASSERT_TRUE(r.gap_ev.has_value());
  EXPECT_GT(*r.gap_ev, 1.0);
  EXPECT_LT(*r.gap_ev, 4.0);
  // States come lowest energy first, and the reported (first-state) pick is the first row.
  for (std::size_t i = 1; i < r.states.size(); ++i) EXPECT_LE(r.states[i - 1].energy_ev, r.states[i].energy_ev);
  EXPECT_DOUBLE_EQ(*r.wavelength_nm, r.states.front().wavelength_nm);
}

TEST(OracleMolecules, NileRed) {
  OracleResult r = evaluate_smiles("CCN(CC)C1=CC2=C(C=C1)N=C3C4=CC=CC=C4C(=O)C=C3O2", test_settings());
  ASSERT_EQ(r.status, OracleStatus::ok) << r.message;
  const ExcitedState* band = first_bright(r, 0.1);
  ASSERT_NE(band, nullptr);
  EXPECT_GT(band->wavelength_nm, 400);  // visible: Nile red is a red/purple dye
  EXPECT_LT(band->wavelength_nm, 600);
  EXPECT_GT(band->oscillator_strength, 0.2);
  ASSERT_TRUE(r.gap_ev.has_value());
  EXPECT_GT(*r.gap_ev, 0.5);
  EXPECT_LT(*r.gap_ev, 3.5);
}

TEST(OracleMolecules, Coumarin153) {
  OracleResult r = evaluate_smiles("C1CC2=C3C(=CC4=C2N(C1)CCC4)C(=CC(=O)O3)C(F)(F)F", test_settings());
  ASSERT_EQ(r.status, OracleStatus::ok) << r.message;
  const ExcitedState* band = first_bright(r, 0.1);
  ASSERT_NE(band, nullptr);
  EXPECT_GT(band->wavelength_nm, 320);  // near-UV / violet
  EXPECT_LT(band->wavelength_nm, 470);
  EXPECT_GT(band->oscillator_strength, 0.2);
}

TEST(OracleMolecules, SmallMoleculeGetsAShrunkActiveSpace) {
  // Formaldehyde has 10 valence orbitals: C.I.=(20,10) is retried with a smaller n. Its lowest singlet
  // is the symmetry-forbidden n-pi* (f ~ 0; 4.07 eV / 305 nm measured, INDO/S places it near 390 nm).
  OracleResult r = evaluate_smiles("C=O", test_settings());
  ASSERT_EQ(r.status, OracleStatus::ok) << r.message;
  EXPECT_GT(r.states.front().wavelength_nm, 250);
  EXPECT_LT(r.states.front().wavelength_nm, 450);
  EXPECT_LT(r.states.front().oscillator_strength, 0.01);
}

TEST(OracleMolecules, CacheHitEqualsFirstRunAndRunsNothing) {
  JobDirectory dir;
  fs::path db = dir.path() / "cache.sqlite";
  OracleSettings settings = test_settings();
  std::vector<std::string> inputs = {"O=C1C=CC(=O)C=C1", "C1CC"};  // benzoquinone, a parse error
  std::vector<OracleResult> first, second;
  {
    OracleCache cache(db);
    first = OraclePool(settings, 2, &cache).run(inputs);
    EXPECT_EQ(cache.size(), 2u);  // ok and parse_error are both cacheable
  }
  ASSERT_EQ(first[0].status, OracleStatus::ok) << first[0].message;
  EXPECT_FALSE(first[0].cache_hit);
  {
    // Reopened (as after a restart), and with no xtb or mopac reachable: only the cache can answer.
    OracleCache cache(db);
    OracleSettings no_programs = settings;
    no_programs.search_path = dir.path().string();
    second = OraclePool(no_programs, 2, &cache).run(inputs);
  }
  ASSERT_EQ(second[0].status, OracleStatus::ok) << second[0].message;
  EXPECT_TRUE(second[0].cache_hit);
  EXPECT_EQ(second[0].canonical_smiles, first[0].canonical_smiles);
  ASSERT_EQ(second[0].states.size(), first[0].states.size());
  for (std::size_t i = 0; i < first[0].states.size(); ++i) {
    EXPECT_DOUBLE_EQ(second[0].states[i].energy_ev, first[0].states[i].energy_ev);
    EXPECT_DOUBLE_EQ(second[0].states[i].wavelength_nm, first[0].states[i].wavelength_nm);
    EXPECT_DOUBLE_EQ(second[0].states[i].oscillator_strength, first[0].states[i].oscillator_strength);
  }
  EXPECT_DOUBLE_EQ(*second[0].wavelength_nm, *first[0].wavelength_nm);
  EXPECT_DOUBLE_EQ(*second[0].gap_ev, *first[0].gap_ev);
  EXPECT_EQ(second[1].status, OracleStatus::parse_error);
  EXPECT_TRUE(second[1].cache_hit);
  // A different active space is a different key: a miss, which now fails (no programs), and is not stored.
  OracleCache cache(db);
  OracleSettings other = settings;
  other.ci.active_orbitals = 16;
  other.search_path = dir.path().string();
  auto third = OraclePool(other, 1, &cache).run({inputs[0]});
  EXPECT_EQ(third[0].status, OracleStatus::not_found);
  EXPECT_EQ(cache.size(), 2u);
}

TEST(OracleMolecules, CsvKeepsInputOrderWithMixedFailures) {
  std::vector<std::string> inputs = {"C=CC=O", "C1CC", "[CH3]", "O=C1C=CC(=O)C=C1", "", "C=CC=CC=O"};
  auto results = OraclePool(test_settings(), 2).run(inputs);
  std::ostringstream csv;
  OrderedOracleWriter writer(csv, nullptr);
  for (std::size_t i = results.size(); i-- > 0;) writer.add(i, results[i]);  // worst case: reverse arrival
  std::istringstream lines(csv.str());
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line, "smiles,status,wavelength_nm,f_osc,gap_ev,seconds");
  std::vector<std::string> expected_status = {"ok", "parse_error", "unsupported", "ok", "parse_error", "ok"};
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    ASSERT_TRUE(std::getline(lines, line)) << "row " << i << " missing";
    EXPECT_EQ(line.substr(0, inputs[i].size() + 1), inputs[i] + ",") << line;
    std::string status = line.substr(inputs[i].size() + 1);
    status = status.substr(0, status.find(','));
    EXPECT_EQ(status, expected_status[i]) << line << " / " << results[i].message;
  }
  EXPECT_FALSE(std::getline(lines, line));
  // Conjugation red-shifts the pi-pi* band: acrolein (~210 nm) < 2,4-pentadienal (~270 nm).
  ASSERT_TRUE(results[0].ok() && results[5].ok());
  const ExcitedState* short_band = first_bright(results[0], 0.1);
  const ExcitedState* long_band = first_bright(results[5], 0.1);
  ASSERT_TRUE(short_band && long_band);
  EXPECT_LT(short_band->wavelength_nm + 20, long_band->wavelength_nm);
}
