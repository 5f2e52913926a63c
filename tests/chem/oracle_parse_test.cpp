// Tests of the oracle's readers and writers without running programs: MOPAC's excited-state table
// (a real MOPAC 22 INDO/S-CIS excerpt for 4-nitroaniline, values hand-copied), MOPAC error boxes, the
// xtbout.json gap, XYZ checks, the MOPAC deck, the pick rule and calibration, settings hashing, CSV.
#include <gtest/gtest.h>

#include <sstream>

#include "chem/oracle/mopac_io.h"
#include "chem/oracle/oracle.h"
#include "chem/oracle/oracle_csv.h"
#include "chem/oracle/xtb_io.h"

using namespace retort::chem::oracle;

namespace {

// Excerpt of MOPAC 22 output (INDO CIS C.I.=(20,10) MAXCI=400 WRTCI=10 1SCF) for 4-nitroaniline.
const char* kMopacTable = R"( Depression of ground-state after CI=          0. cm**-1 Energy= -7200.6957130 eV
 Dipole moment=  8.292907 -0.028460  0.520412 tot=  8.309268 Debyes


  CI trans.  energy frequency wavelength oscillator--------- polarization---------  dipole  ------ components-----
 st.  symm.    eV      cm - 1       nm      strength       x          y         z       moment     x       y       z 

   2      2.7951017    22544.    443.58  0.000000   0.982923  -0.183267  -0.016612  5.961560   5.936  -0.020   0.552
   3      3.0387393    24509.    408.01  0.000034   0.348468  -0.011523  -0.937250  6.407143   6.384  -0.022   0.548
   4      3.7114070    29935.    334.06  0.539149   0.999797  -0.003567  -0.019827 19.135375  19.133  -0.067   0.319
   5      4.2502794    34281.    291.71  0.001052  -0.003611  -0.999990   0.002472 11.251485  11.242  -0.039   0.452

 Polarizability (au  ) xx=   94.56 xy=   -0.11 yy=   65.83 xz=   -2.20 yz=   -0.14 zz=    0.09
)";

const char* kMopacXenon = R"(           Data are not available for Xenon.

 ******************************************************************************
 *                                                                            *
 *     Error and normal termination messages reported in this calculation     *
 *                                                                            *
 *  Data are not available for Xenon.                                         *
 * JOB ENDED NORMALLY                                                         *
 *                                                                            *
 ******************************************************************************
)";

}  // namespace

TEST(OracleParse, ReadsMopacExcitedStateTable) {
  MopacParse p = parse_mopac_excited_states(kMopacTable);
  ASSERT_TRUE(p.ok) << p.error;
  ASSERT_EQ(p.states.size(), 4u);
  EXPECT_DOUBLE_EQ(p.states[0].energy_ev, 2.7951017);
  EXPECT_DOUBLE_EQ(p.states[0].wavelength_nm, 443.58);
  EXPECT_DOUBLE_EQ(p.states[0].oscillator_strength, 0.0);
  EXPECT_DOUBLE_EQ(p.states[2].wavelength_nm, 334.06);
  EXPECT_DOUBLE_EQ(p.states[2].oscillator_strength, 0.539149);
  EXPECT_DOUBLE_EQ(p.states[3].energy_ev, 4.2502794);
  // nm and eV in the table agree: 1239.84 / 3.7114070 = 334.06 nm.
  EXPECT_NEAR(1239.84193 / p.states[2].energy_ev, p.states[2].wavelength_nm, 0.01);
}

TEST(OracleParse, MopacErrorsSayWhy) {
  MopacParse xenon = parse_mopac_excited_states(kMopacXenon);
  EXPECT_FALSE(xenon.ok);
  EXPECT_EQ(xenon.error, "MOPAC: Data are not available for Xenon.");
  MopacParse nothing = parse_mopac_excited_states("random text\n");
  EXPECT_FALSE(nothing.ok);
  EXPECT_NE(nothing.error.find("no excited-state table"), std::string::npos);
  std::string empty_table = "  CI trans.  energy frequency wavelength oscillator\n st. symm. eV\n\n\n Polar\n";
  EXPECT_FALSE(parse_mopac_excited_states(empty_table).ok);
  std::string garbage = "  CI trans.  energy frequency wavelength oscillator\n st.\n\n   2   NaN garbage ***** ?? ?\n";
  MopacParse g = parse_mopac_excited_states(garbage);
  EXPECT_FALSE(g.ok);
  EXPECT_NE(g.error.find("unreadable"), std::string::npos) << g.error;
  EXPECT_EQ(mopac_orbital_count("  Number of M.O.s in system:                          6\n"), 6);
  EXPECT_EQ(mopac_orbital_count("nothing"), -1);
  EXPECT_EQ(mopac_highest_ci_orbital("          Index of highest M.O. requested in C.I.:           21\n"), 21);
}

TEST(OracleParse, ReadsXtbGap) {
  std::string error;
  auto gap = parse_xtb_gap(R"({"total energy": -42.1, "HOMO-LUMO gap/eV": 2.56940773, "dipole": [1,2,3]})", &error);
  ASSERT_TRUE(gap.has_value()) << error;
  EXPECT_DOUBLE_EQ(*gap, 2.56940773);
  EXPECT_FALSE(parse_xtb_gap("{\"HOMO-LUMO gap/eV\": \"x\"}", &error).has_value());
  EXPECT_NE(error.find("no number"), std::string::npos);
  EXPECT_FALSE(parse_xtb_gap("{ truncated", &error).has_value());
  EXPECT_EQ(error, "xtbout.json is not JSON");
}

TEST(OracleParse, ChecksXyzAndWritesMopacDeck) {
  std::string water = "3\ncomment\nO 0.0 0.0 0.1173\nH 0.0 0.7572 -0.4692\nH 0.0 -0.7572 -0.4692\n";
  EXPECT_EQ(check_xyz(water), "");
  EXPECT_EQ(check_xyz(water, 3), "");
  EXPECT_EQ(check_xyz(water, 4), "has 3 atoms, expected 4");
  EXPECT_NE(check_xyz("3\nc\nO 0 0 0\n"), "");
  EXPECT_NE(check_xyz("3\nc\nO 0 0 0\nH nan 0 0\nH 1 1 1\n"), "");
  EXPECT_NE(check_xyz("this is not\nan xyz file\n"), "");
  MopacCiSettings ci;
  ci.active_orbitals = 8;
  ci.doubly_occupied = 4;
  std::string deck = mopac_input_from_xyz(water, ci, -1);
  std::istringstream lines(deck);
  std::string l1, l2, l3, l4;
  std::getline(lines, l1);
  std::getline(lines, l2);
  std::getline(lines, l3);
  std::getline(lines, l4);
  EXPECT_EQ(l1, "INDO CIS C.I.=(8,4) MAXCI=400 WRTCI=20 1SCF CHARGE=-1");
  EXPECT_EQ(l3, "");
  EXPECT_EQ(l4, "O 0.00000000 1 0.00000000 1 0.11730000 1");
  EXPECT_THROW(mopac_input_from_xyz("garbage", ci, 0), std::runtime_error);
}

TEST(OracleParse, PickRuleAndCalibration) {
  OracleResult r;
  r.status = OracleStatus::ok;
  r.states = {{2.795, 443.58, 0.0}, {3.039, 408.01, 0.000034}, {3.711, 334.06, 0.539}, {4.25, 291.71, 0.001}};
  OracleSettings s;
  apply_pick(r, s);  // first state
  EXPECT_DOUBLE_EQ(*r.wavelength_nm, 443.58);
  EXPECT_DOUBLE_EQ(*r.oscillator_strength, 0.0);
  s.pick.bright_threshold = 0.1;
  apply_pick(r, s);
  EXPECT_DOUBLE_EQ(*r.wavelength_nm, 334.06);
  EXPECT_DOUBLE_EQ(*r.oscillator_strength, 0.539);
  s.pick.bright_threshold = 5;  // nothing that bright: falls back to the first state
  apply_pick(r, s);
  EXPECT_DOUBLE_EQ(*r.wavelength_nm, 443.58);
  s.pick.bright_threshold = 0;
  s.wavelength_scale = 0.5;
  s.wavelength_offset_nm = 100;
  apply_pick(r, s);
  EXPECT_DOUBLE_EQ(*r.wavelength_nm, 0.5 * 443.58 + 100);
  // Three-term calibration: 0.5 * 443.58 + 100 + 0.25 * (1239.84193 / 2.0 eV = 619.92 nm).
  s.wavelength_gap_coefficient = 0.25;
  r.gap_ev = 2.0;
  apply_pick(r, s);
  EXPECT_NEAR(*r.wavelength_nm, 0.5 * 443.58 + 100 + 0.25 * 619.920965, 1e-9);
  r.gap_ev.reset();  // no gap: no calibrated wavelength rather than a wrong one
  apply_pick(r, s);
  EXPECT_FALSE(r.wavelength_nm.has_value());
  r.status = OracleStatus::timeout;
  apply_pick(r, s);
  EXPECT_FALSE(r.wavelength_nm.has_value());
}

TEST(OracleParse, OscillatorStrengthRules) {
  // 4-nitroaniline's table: 2.7951 eV f 0, 3.0387 eV f 0.000034, 3.7114 eV f 0.539149, 4.2503 eV f 0.001052.
  OracleResult r;
  r.status = OracleStatus::ok;
  r.states = parse_mopac_excited_states(kMopacTable).states;
  ASSERT_EQ(r.states.size(), 4u);
  OracleSettings s;
  s.pick.f_max_lowest = 2;  // the lowest two: max(0, 0.000034)
  apply_pick(r, s);
  EXPECT_DOUBLE_EQ(*r.oscillator_strength, 0.000034);
  EXPECT_DOUBLE_EQ(*r.wavelength_nm, 443.58);  // the wavelength stays the first state's
  s.pick.f_max_lowest = 3;  // reaches the 334 nm band
  apply_pick(r, s);
  EXPECT_DOUBLE_EQ(*r.oscillator_strength, 0.539149);
  s.pick.f_max_lowest = 0;
  s.pick.f_window_ev = 0.5;  // states up to 3.2951 eV: the first two
  apply_pick(r, s);
  EXPECT_DOUBLE_EQ(*r.oscillator_strength, 0.000034);
  s.pick.f_window_ev = 1.0;  // up to 3.7951 eV: includes 3.7114
  apply_pick(r, s);
  EXPECT_DOUBLE_EQ(*r.oscillator_strength, 0.539149);
  EXPECT_DOUBLE_EQ(*r.wavelength_nm, 443.58);
}

TEST(OracleParse, SettingsHashFollowsWhatTheTableDependsOn) {
  OracleSettings a, b;
  EXPECT_EQ(a.settings_hash(), b.settings_hash());
  EXPECT_EQ(a.settings_hash().size(), 16u);
  b.pick.bright_threshold = 0.2;  // applied after the cache: same key
  b.timeout_seconds = 5;
  b.wavelength_scale = 2;
  EXPECT_EQ(a.settings_hash(), b.settings_hash());
  b.ci.active_orbitals = 30;
  EXPECT_NE(a.settings_hash(), b.settings_hash());
  EXPECT_EQ(a.method_name(), "gfnff+gfn2sp/indo-cis(20,10)");
  b.geometry = GeometryLevel::gfn2;
  EXPECT_EQ(b.method_name(), "gfnff+gfn2opt/indo-cis(30,10)");
}

TEST(OracleParse, StatusNamesRoundTrip) {
  for (auto s : {OracleStatus::ok, OracleStatus::parse_error, OracleStatus::unsupported, OracleStatus::conformer_failed,
                 OracleStatus::xtb_failed, OracleStatus::mopac_failed, OracleStatus::bad_output, OracleStatus::timeout,
                 OracleStatus::not_found, OracleStatus::internal_error})
    EXPECT_EQ(status_from_name(status_name(s)), s);
  EXPECT_FALSE(status_from_name("nonsense").has_value());
  EXPECT_TRUE(status_is_cacheable(OracleStatus::ok));
  EXPECT_FALSE(status_is_cacheable(OracleStatus::timeout));
  EXPECT_FALSE(status_is_cacheable(OracleStatus::not_found));
}

TEST(OracleParse, CsvRowsAndOrderedWriter) {
  EXPECT_EQ(csv_field("CCO"), "CCO");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  OracleResult ok;
  ok.input = "c1ccccc1";
  ok.status = OracleStatus::ok;
  ok.wavelength_nm = 250.123;
  ok.oscillator_strength = 0.0123456;
  ok.gap_ev = 4.5;
  ok.seconds = 1.5;
  EXPECT_EQ(oracle_csv_row(ok), "c1ccccc1,ok,250.12,0.012346,4.5000,1.500");
  OracleResult bad;
  bad.input = "C1CC,x";
  bad.status = OracleStatus::parse_error;
  bad.seconds = 0.001;
  EXPECT_EQ(oracle_csv_row(bad), "\"C1CC,x\",parse_error,,,,0.001");
  std::ostringstream csv, jsonl;
  {
    OrderedOracleWriter w(csv, &jsonl);
    w.add(2, bad);
    w.add(1, ok);
    EXPECT_EQ(w.written(), 0u);  // row 0 not known yet
    w.add(0, ok);
    EXPECT_EQ(w.written(), 3u);
  }
  EXPECT_EQ(csv.str(), std::string(oracle_csv_header()) + "\n" + oracle_csv_row(ok) + "\n" + oracle_csv_row(ok) + "\n" +
                           oracle_csv_row(bad) + "\n");
  EXPECT_NE(jsonl.str().find("\"line\":3"), std::string::npos);
}
