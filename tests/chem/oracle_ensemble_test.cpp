// The oracle's conformer ensemble (--conformers etkdg:K): K RDKit ETKDG starts, each optimised by
// GFN-FF, the lowest GFN-FF energy passed on to the GFN2 step and MOPAC. A fake xtb
// (tests/chem/fake_bin/ensemble_energies) runs the real one but assigns the energies -1, -3, -2 Eh, so
// the second conformer must be the one the GFN2 step reads. Also: the energy on xtb's XYZ comment
// line, and the cache key (the default start keeps the key every cached result was stored under).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "chem/oracle/oracle.h"
#include "chem/oracle/subprocess.h"
#include "chem/oracle/xtb_io.h"

namespace fs = std::filesystem;
using namespace retort::chem::oracle;

TEST(OracleEnsemble, ReadsEnergyFromXtbXyzComment) {
  // The comment line of a real xtb 6.5.1 xtbopt.xyz (GFN-FF, a 57-atom molecule).
  auto e = parse_xtb_xyz_energy("57\n energy: -12.719333400968 gnorm: 0.000982259715 xtb: 6.5.1 (unknown)\nC 0 0 0\n");
  ASSERT_TRUE(e.has_value());
  EXPECT_DOUBLE_EQ(*e, -12.719333400968);
  EXPECT_FALSE(parse_xtb_xyz_energy("3\nno energy here\n").has_value());
  EXPECT_FALSE(parse_xtb_xyz_energy("3\n energy: nan gnorm: 1\n").has_value());
  EXPECT_FALSE(parse_xtb_xyz_energy("3\n").has_value());
}

TEST(OracleEnsemble, SettingsKeyOfTheDefaultStartIsUnchanged) {
  OracleSettings a;
  // The text stored with every cached result of the default settings (runs/calibrate_oracle*/oracle_cache.sqlite).
  EXPECT_EQ(a.settings_text(), "v=1;conformer=openbabel_mmff94;seed=42;geometry=gfnff;gfn2_opt=-;gap=1;ci=20,10;maxci=400;wrtci=20");
  OracleSettings b = a;
  b.conformer_method = retort::chem::ConformerMethod::rdkit_etkdg;
  b.conformer_count = 10;
  EXPECT_EQ(b.settings_text(), "v=1;conformer=rdkit_etkdg*10;seed=42;geometry=gfnff;gfn2_opt=-;gap=1;ci=20,10;maxci=400;wrtci=20");
  EXPECT_NE(a.settings_hash(), b.settings_hash());
  EXPECT_EQ(b.method_name(), "etkdg10+gfnff+gfn2sp/indo-cis(20,10)");
}

TEST(OracleEnsemble, LowestGfnffEnergyConformerGoesOn) {
  JobDirectory root{{}, "retort-oracle-ensemble-"};
  OracleSettings s;
  s.search_path = (fs::path(RETORT_SOURCE_DIR) / "tests/chem/fake_bin/ensemble_energies").string() + ":/usr/bin:/bin";
  s.temp_root = root.path();
  s.timeout_seconds = 60;
  s.conformer_method = retort::chem::ConformerMethod::rdkit_etkdg;
  s.conformer_count = 3;
  // 1-butoxy-4-nitrobenzene: flexible, so the three ETKDG starts optimise to different geometries.
  OracleResult r = evaluate_smiles("CCCCOc1ccc(cc1)[N+](=O)[O-]", s);
  ASSERT_EQ(r.status, OracleStatus::ok) << r.message;
  EXPECT_FALSE(r.states.empty());
  std::ifstream log(root.path() / "fake_xtb.log");
  std::vector<std::pair<std::string, std::string>> calls;
  for (std::string step, sum; log >> step >> sum;) calls.emplace_back(step, sum);
  ASSERT_EQ(calls.size(), 4u) << "expected 3 GFN-FF optimisations and 1 GFN2 step";
  for (int i = 0; i < 3; ++i) EXPECT_EQ(calls[i].first, "gfnff");
  EXPECT_EQ(calls[3].first, "gfn2");
  ASSERT_NE(calls[0].second, calls[1].second);  // the test discriminates only if the geometries differ
  ASSERT_NE(calls[2].second, calls[1].second);
  EXPECT_EQ(calls[3].second, calls[1].second) << "the GFN2 step must read the conformer with energy -3 Eh";
  // Only the fake's log is left: the job directory is gone.
  int entries = 0;
  for (const auto& e : fs::directory_iterator(root.path())) entries += e.path().filename() != "fake_xtb.log";
  EXPECT_EQ(entries, 0);
}
