// Structure queries: Morgan r=2/2048 bits and Murcko scaffolds equal Python RDKit on 1,000 ZINC
// molecules; Tanimoto pinned to DataStructs.TanimotoSimilarity; SMARTS errors carry RDKit's reason.
#include <gtest/gtest.h>

#include <bit>
#include <sstream>

#include "chem/structure.h"
#include "molecule_rdkit_reference.h"

using namespace retort::chem;
using namespace retort::chem::testing;

namespace {

std::string on_bits(const Fingerprint& fp) {
  std::string out;
  for (size_t w = 0; w < fp.size(); ++w) {
    for (int b = 0; b < 64; ++b) {
      if (fp[w] >> b & 1) out += (out.empty() ? "" : ",") + std::to_string(w * 64 + b);
    }
  }
  return out;
}

double tanimoto_of(const char* a, const char* b) {
  return tanimoto(morgan_fingerprint(Molecule::from_smiles(a)), morgan_fingerprint(Molecule::from_smiles(b)));
}

}  // namespace

TEST(Structure, TanimotoEqualsDataStructs) {
  // Python: DataStructs.TanimotoSimilarity(GetMorganFingerprintAsBitVect(m, 2, nBits=2048), ...)
  EXPECT_DOUBLE_EQ(tanimoto_of("CC(=O)Oc1ccccc1C(=O)O", "OC(=O)c1ccccc1O"), 0.4482758620689655);
  EXPECT_DOUBLE_EQ(tanimoto_of("c1ccccc1", "Cc1ccccc1"), 0.2727272727272727);
  EXPECT_DOUBLE_EQ(tanimoto_of("CCO", "CCCCCCCC"), 0.2727272727272727);
  EXPECT_DOUBLE_EQ(tanimoto_of("CN1C=NC2=C1C(=O)N(C(=O)N2C)C", "CN1C=NC2=C1C(=O)NC(=O)N2C"), 0.5294117647058824);
  EXPECT_DOUBLE_EQ(tanimoto_of("CCO", "OCC"), 1.0);
  auto fp = morgan_fingerprint(Molecule::from_smiles("CC(=O)Oc1ccccc1C(=O)O"));
  EXPECT_EQ(fp.size(), 32u);
  int on = 0;
  for (auto w : fp) on += std::popcount(w);
  EXPECT_EQ(on, 24);
  EXPECT_DOUBLE_EQ(tanimoto(Fingerprint(32, 0), Fingerprint(32, 0)), 1.0);  // as DataStructs
  EXPECT_THROW(tanimoto(Fingerprint(32, 0), Fingerprint(16, 0)), ChemError);
  EXPECT_THROW(morgan_fingerprint(Molecule::from_smiles("CC"), -1), ChemError);
}

TEST(Structure, MurckoScaffoldKnownValues) {
  EXPECT_EQ(murcko_scaffold(Molecule::from_smiles("Cc1cc(Oc2nccc(CCC)c2)ccc1")), "c1ccc(Oc2ccccn2)cc1");
  EXPECT_EQ(murcko_scaffold(Molecule::from_smiles("CC(=O)Oc1ccccc1C(=O)O")), "c1ccccc1");
  EXPECT_EQ(murcko_scaffold(Molecule::from_smiles("CCO")), "");
  EXPECT_EQ(murcko_scaffold(Molecule::from_smiles("C[C@H]1CC[C@@H](c2ccccc2)N1")), "c1ccc(C2CCCN2)cc1");
}

TEST(Structure, MorganAndScaffoldEqualPythonRdkitOnZinc1000) {
  auto smiles = read_smiles(zinc_1000_path());
  ASSERT_EQ(smiles.size(), 1000u);
  auto ref = rdkit_reference(zinc_1000_path());
  ASSERT_EQ(ref.size(), smiles.size());
  int bit_mismatch = 0, scaffold_mismatch = 0;
  for (size_t i = 0; i < smiles.size(); ++i) {
    auto m = Molecule::from_smiles(smiles[i]);
    if (on_bits(morgan_fingerprint(m)) != ref[i].f.at(23)) {
      ++bit_mismatch;
      ADD_FAILURE() << smiles[i] << ": Morgan bits differ";
    }
    if (murcko_scaffold(m) != ref[i].f.at(22)) {
      ++scaffold_mismatch;
      ADD_FAILURE() << smiles[i] << ": scaffold " << murcko_scaffold(m) << " vs Python " << ref[i].f.at(22);
    }
  }
  std::printf("Morgan mismatches %d / 1000, Murcko mismatches %d / 1000\n", bit_mismatch, scaffold_mismatch);
}

TEST(Structure, SmartsMatchesAndCounts) {
  auto p = SmartsPattern::parse("[CX3](=O)[OX2H1]");
  EXPECT_EQ(p.text(), "[CX3](=O)[OX2H1]");
  EXPECT_TRUE(p.matches(Molecule::from_smiles("CC(=O)O")));
  EXPECT_FALSE(p.matches(Molecule::from_smiles("CC(=O)OC")));
  EXPECT_EQ(p.count_matches(Molecule::from_smiles("OC(=O)CCC(=O)O")), 2);
  EXPECT_EQ(SmartsPattern::parse("c1ccccc1").count_matches(Molecule::from_smiles("c1ccccc1")), 1);  // unique
}

TEST(Structure, SmartsParseErrorsCarryReason) {
  auto message = [](const std::string& smarts) {
    try {
      SmartsPattern::parse(smarts);
    } catch (const ChemError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  std::string m = message("[C;");
  EXPECT_EQ(m, "SMARTS '[C;' does not parse: syntax error while parsing: [C;");
  m = message("C(C");
  EXPECT_EQ(m, "SMARTS 'C(C' does not parse: extra open parentheses");
  EXPECT_NE(message("").find("empty"), std::string::npos);
}
