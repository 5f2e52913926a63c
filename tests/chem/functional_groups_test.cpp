// Functional-group catalogue: every group matches a molecule that has it and none of the molecules
// that do not (table below covers the whole catalogue, checked), plus counts and unknown names.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "chem/functional_groups.h"

using namespace retort::chem;

namespace {

struct Case {
  const char* group;
  const char* has;      // one SMILES with the group
  const char* has_not;  // space-separated SMILES without it
};

const Case kCases[] = {
    {"carboxylic_acid", "CC(=O)O", "CC(=O)OC CC(=O)[O-] CC(N)=O"},
    {"carboxylate", "CC(=O)[O-]", "CC(=O)O"},
    {"ester", "CC(=O)OC", "CC(=O)O COC"},
    {"amide", "CC(=O)NC", "CC(=O)OC NC(N)=O"},
    {"primary_amine", "CCN", "CCNC CC(N)=O CS(N)(=O)=O NN"},
    {"secondary_amine", "CCNC", "CCN CC(=O)NC CN(C)C"},
    {"tertiary_amine", "CCN(C)C", "CCNC CN(C)C=O C[N+](C)(C)C c1ccncc1"},
    {"quaternary_ammonium", "C[N+](C)(C)C", "CN(C)C C[NH+](C)C"},
    {"alcohol", "CCO", "Oc1ccccc1 CC(=O)O C=CO"},
    {"phenol", "Oc1ccccc1", "OCc1ccccc1"},
    {"aldehyde", "CC=O", "CC(C)=O CC(=O)O"},
    {"ketone", "CC(C)=O", "CC=O CC(=O)O CC(=O)OC"},
    {"carbonyl", "CC=O", "CCO COC"},
    {"ether", "COC", "CC(=O)OC CCO c1ccoc1"},
    {"nitro", "c1ccccc1[N+](=O)[O-]", "CN=O CC#N"},
    {"nitrile", "CC#N", "CC#C CC=N"},
    {"halide", "CCCl", "CCO [Na+].[Cl-]"},
    {"acyl_halide", "CC(=O)Cl", "CCCl CC(=O)O"},
    {"anhydride", "CC(=O)OC(C)=O", "CC(=O)OC"},
    {"sulfonamide", "CS(=O)(=O)N", "CS(=O)(=O)C CS(=O)(=O)O"},
    {"sulfone", "CS(=O)(=O)C", "CS(C)=O CS(=O)(=O)N"},
    {"sulfonic_acid", "CS(=O)(=O)O", "CS(=O)(=O)OC"},
    {"thiol", "CCS", "CSC"},
    {"thioether", "CSC", "CCS CSSC"},
    {"disulfide", "CSSC", "CSC"},
    {"azo", "c1ccccc1N=Nc1ccccc1", "CNNC CN=C"},
    {"azide", "CN=[N+]=[N-]", "CN=C=O CN"},
    {"hydrazine", "CNN", "CN=NC CNC"},
    {"hydroxylamine", "CNO", "CC(=O)NO CC=NO CON"},
    {"imine", "CC(C)=NC", "CC(C)=NO CC(N)=N CC(C)=O"},
    {"oxime", "CC(C)=NO", "CC(C)=NC"},
    {"urea", "NC(=O)N", "CC(N)=O"},
    {"carbamate", "CNC(=O)OC", "NC(=O)N CC(=O)OC"},
    {"isocyanate", "CN=C=O", "CN=C=S"},
    {"peroxide", "COOC", "COC"},
    {"phosphate", "COP(=O)(O)O", "CP(C)(C)=O"},
    {"alkene", "CC=CC", "c1ccccc1 CCC CC=O"},
    {"alkyne", "CC#CC", "CC#N"},
    {"aromatic_ring", "c1ccccc1", "C1CCCCC1 C1=CCC=CC1"},
    {"heteroaromatic_ring", "c1ccncc1", "c1ccccc1"},
    // RDKit FunctionalGroups.txt (the first atom of each SMARTS is the attachment point).
    {"rdkit_methyl_amide", "c1ccccc1NC(C)=O", "c1ccccc1N(C)C(C)=O"},
    {"rdkit_carboxylic_acids", "CC(=O)O", "CC(=O)OC"},
    {"rdkit_carbonyl_methyl_ester", "CCC(=O)OC", "CCC(=O)OCC"},
    {"rdkit_terminal_aldehyde", "CCC(C)=O", "CC=O CCC(=O)O"},
    {"rdkit_amide", "CC(N)=O", "CC(=O)NC"},
    {"rdkit_carbonyl_methyl", "CCC(C)=O", "CCC(=O)CC"},
    {"rdkit_isocyanate", "CN=C=O", "CN=C=S"},
    {"rdkit_isothiocyanate", "CN=C=S", "CN=C=O"},
    {"rdkit_nitro", "C[N+](=O)[O-]", "CN=O"},
    {"rdkit_nitroso", "CN=O", "CNO"},
    {"rdkit_oximes", "CC(C)=NO", "CC(C)=NOC"},
    {"rdkit_imines", "CC(C)=NC", "CC(C)=NCC"},
    {"rdkit_imines_n_eq_ch2", "CCN=C", "CCN=CC"},
    {"rdkit_terminal_azo", "c1ccccc1N=NC", "c1ccccc1N=Nc1ccccc1"},
    {"rdkit_hydrazines", "CN=N", "CNN"},
    {"rdkit_diazo", "c1ccccc1[N+]#N", "CC#N"},
    {"rdkit_cyano", "CC#N", "CC#C"},
    {"rdkit_primary_sulfonamide", "CS(N)(=O)=O", "CS(=O)(=O)NC"},
    {"rdkit_methyl_sulfonamide", "c1ccccc1NS(C)(=O)=O", "c1ccccc1NS(=O)(=O)CC"},
    {"rdkit_sulfonic_acid", "CS(=O)(=O)O", "CS(=O)(=O)OC"},
    {"rdkit_methyl_ester_sulfonyl", "CCS(=O)(=O)OC", "CCS(=O)(=O)OCC"},
    {"rdkit_methyl_sulfonyl", "CCS(C)(=O)=O", "CCS(=O)(=O)CC"},
    {"rdkit_sulfonyl_chloride", "CS(=O)(=O)Cl", "CS(=O)(=O)O"},
    {"rdkit_methyl_sulfinyl", "CCS(C)=O", "CCS(=O)CC"},
    {"rdkit_methylthio", "CCSC", "CCSCC"},
    {"rdkit_thiols", "CCS", "CSC"},
    {"rdkit_thiocarbonyls", "CC(C)=S", "CCS"},
    {"rdkit_halogens", "CCBr", "CCO"},
    {"rdkit_t_butyl", "CCC(C)(C)C", "CCC(C)C"},
    {"rdkit_trifluoromethyl", "c1ccccc1C(F)(F)F", "c1ccccc1C(F)F"},
    {"rdkit_acetylenes", "CC#C", "CC#CC"},
    {"rdkit_cyclopropyl", "CC1CC1", "CC1CCC1"},
    {"rdkit_ethoxy", "c1ccccc1OCC", "c1ccccc1OC"},
    {"rdkit_methoxy", "c1ccccc1OC", "c1ccccc1OCC"},
    {"rdkit_side_chain_hydroxyls", "CCO", "COC"},
    {"rdkit_side_chain_aldehydes_or_ketones", "CC=O", "CCO"},
    {"rdkit_primary_amines", "CCN", "CNC"},
    {"rdkit_eq_n", "CC(C)=N", "CC(C)=NC"},
    {"rdkit_nitriles", "CC#N", "CC=N"},
};

}  // namespace

TEST(FunctionalGroups, TableCoversTheWholeCatalogue) {
  std::set<std::string> tested, catalogue;
  for (const auto& c : kCases) EXPECT_TRUE(tested.insert(c.group).second) << "duplicate case " << c.group;
  for (const auto& g : functional_group_catalogue()) EXPECT_TRUE(catalogue.insert(g.name).second) << "duplicate " << g.name;
  EXPECT_EQ(tested, catalogue);
  int rdkit = 0;
  for (const auto& g : functional_group_catalogue()) rdkit += g.source == "RDKit FunctionalGroups.txt";
  EXPECT_EQ(rdkit, 39);  // every data line of RDKit 2022.09's FunctionalGroups.txt
}

TEST(FunctionalGroups, EachGroupOnAMoleculeWithItAndWithoutIt) {
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.group);
    auto with = Molecule::from_smiles(c.has);
    EXPECT_TRUE(has_functional_group(with, c.group)) << c.has;
    EXPECT_GE(count_functional_group(with, c.group), 1) << c.has;
    auto listed = functional_groups(with);
    EXPECT_NE(std::find(listed.begin(), listed.end(), c.group), listed.end()) << c.has;
    std::istringstream negatives(c.has_not);
    std::string smi;
    int n = 0;
    while (negatives >> smi) {
      ++n;
      auto without = Molecule::from_smiles(smi);
      EXPECT_FALSE(has_functional_group(without, c.group)) << smi;
      EXPECT_EQ(count_functional_group(without, c.group), 0) << smi;
    }
    EXPECT_GE(n, 1);
  }
}

TEST(FunctionalGroups, CountsAndListing) {
  auto aspirin = Molecule::from_smiles("CC(=O)Oc1ccccc1C(=O)O");
  auto groups = functional_groups(aspirin);
  for (const char* g : {"carboxylic_acid", "ester", "aromatic_ring", "carbonyl"}) {
    EXPECT_NE(std::find(groups.begin(), groups.end(), g), groups.end()) << g;
  }
  for (const char* g : {"phenol", "amide", "alcohol", "ketone", "ether"}) {
    EXPECT_EQ(std::find(groups.begin(), groups.end(), g), groups.end()) << g;
  }
  EXPECT_EQ(count_functional_group(aspirin, "carbonyl"), 2);
  EXPECT_EQ(count_functional_group(Molecule::from_smiles("c1ccc2ccccc2c1"), "aromatic_ring"), 2);
  EXPECT_EQ(count_functional_group(Molecule::from_smiles("NCCCCN"), "primary_amine"), 2);
  EXPECT_EQ(count_functional_group(Molecule::from_smiles("c1ccc(-c2ccncc2)nc1"), "heteroaromatic_ring"), 2);
  EXPECT_THROW(has_functional_group(aspirin, "no_such_group"), ChemError);
}

TEST(FunctionalGroups, ShippedRdkitFileIsDebiansCopy) {
  const std::string shipped = std::string(RETORT_SOURCE_DIR) + "/chem/data/rdkit_FunctionalGroups.txt";
  const std::string system = "/usr/share/RDKit/Data/FunctionalGroups.txt";
  ASSERT_TRUE(std::filesystem::exists(shipped));
  if (!std::filesystem::exists(system)) GTEST_SKIP() << "rdkit-data not installed";
  std::ifstream a(shipped), b(system);
  std::stringstream sa, sb;
  sa << a.rdbuf();
  sb << b.rdbuf();
  EXPECT_EQ(sa.str(), sb.str());
}
