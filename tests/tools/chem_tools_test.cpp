// The default registry's chemistry tools on known molecules (values hand-checked against RDKit 2022.09's
// Python API; the full parity run is tests/parity/test_tools.py), their errors, and safety_check.
#include <gtest/gtest.h>

#include <thread>

#include "tools/default_tools.h"
#include "tools/safety.h"

using namespace retort::tools;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

const ToolRegistry& registry() {
  static ToolRegistry r = make_default_registry();
  return r;
}

ToolResult call(const std::string& name, const json& args) { return registry().call(name, args, Deadline::after(60s)); }

json ok_result(const std::string& name, const json& args) {
  auto r = call(name, args);
  EXPECT_TRUE(r.ok) << name << ": " << r.error;
  return r.result;
}

}  // namespace

TEST(ChemTools, RegistryHoldsTheIssueTools) {
  for (const char* name : {"canonicalize_smiles", "molecular_weight", "molecular_formula", "functional_groups",
                           "similarity", "descriptors", "lipinski", "substructure_match", "murcko_scaffold",
                           "conformer_3d", "safety_check", "calculator", "unit_convert", "drug_lookup"})
    EXPECT_TRUE(registry().contains(name)) << name;
}

TEST(ChemTools, KnownMolecules) {
  const std::string aspirin = "CC(=O)Oc1ccccc1C(=O)O";
  // Descriptors.MolWt(aspirin) = 180.15899999999996, ExactMolWt = 180.042258736.
  auto mw = ok_result("molecular_weight", {{"smiles", aspirin}});
  EXPECT_NEAR(mw["molecular_weight"].get<double>(), 180.159, 1e-9);
  EXPECT_NEAR(mw["exact_mass"].get<double>(), 180.042258736, 1e-8);
  EXPECT_EQ(ok_result("molecular_formula", {{"smiles", aspirin}})["formula"], "C9H8O4");
  EXPECT_EQ(ok_result("canonicalize_smiles", {{"smiles", "OC(=O)c1ccccc1OC(C)=O"}})["canonical_smiles"], aspirin);
  EXPECT_EQ(ok_result("canonicalize_smiles", {{"smiles", "C[C@H](N)C(=O)O"}, {"isomeric", false}})["canonical_smiles"],
            "CC(N)C(=O)O");
  // MurckoScaffoldSmiles(aspirin) = "c1ccccc1"; ibuprofen's too; hexane has none.
  EXPECT_EQ(ok_result("murcko_scaffold", {{"smiles", aspirin}})["scaffold"], "c1ccccc1");
  EXPECT_EQ(ok_result("murcko_scaffold", {{"smiles", "CCCCCC"}})["scaffold"], "");
  // Two carbonyl-containing groups -> the C(=O)O SMARTS matches twice (ester and acid).
  auto match = ok_result("substructure_match", {{"smiles", aspirin}, {"smarts", "C(=O)O"}});
  EXPECT_EQ(match["count"], 2);
  EXPECT_EQ(match["matches"], true);
  EXPECT_EQ(ok_result("substructure_match", {{"smiles", aspirin}, {"smarts", "[#7]"}})["matches"], false);
  // The same molecule written two ways has Tanimoto 1.
  EXPECT_DOUBLE_EQ(ok_result("similarity", {{"smiles_a", "CCO"}, {"smiles_b", "OCC"}})["tanimoto"].get<double>(), 1.0);
  auto lipinski = ok_result("lipinski", {{"smiles", aspirin}});
  EXPECT_EQ(lipinski["violations"], 0);
  EXPECT_EQ(lipinski["passes"], true);
  EXPECT_EQ(lipinski["h_bond_donors"], 1);     // Lipinski.NHOHCount
  EXPECT_EQ(lipinski["h_bond_acceptors"], 4);  // Lipinski.NOCount
}

TEST(ChemTools, InvalidInputsAreReadableErrors) {
  auto r = call("molecular_weight", {{"smiles", "C1CC"}});
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error.rfind("molecular_weight: SMILES 'C1CC' does not parse: ", 0), 0u) << r.error;
  r = call("molecular_weight", {{"smiles", "c1cccc1"}});  // kekulisation failure: RDKit's reason
  EXPECT_NE(r.error.find("does not parse"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("kekulize"), std::string::npos) << r.error;
  r = call("substructure_match", {{"smiles", "CCO"}, {"smarts", "[C"}});
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("SMARTS"), std::string::npos) << r.error;
  r = call("similarity", {{"smiles_a", "CCO"}});
  EXPECT_EQ(r.error, "similarity: missing required argument 'smiles_b'");
  r = call("molecular_formula", {{"smiles", std::string(501, 'C')}});
  EXPECT_EQ(r.error, "molecular_formula: argument 'smiles': must have at most 500 characters, got 501");
  r = call("drug_lookup", {{"name", "notadrugzzz"}});
  EXPECT_EQ(r.error.rfind("drug_lookup: no drug named 'notadrugzzz'", 0), 0u) << r.error;
}

TEST(ChemTools, ConformerHasEveryAtomWithHydrogens) {
  auto xyz = ok_result("conformer_3d", {{"smiles", "CCO"}});
  EXPECT_EQ(xyz["atoms"], 9);  // C2H6O
  EXPECT_EQ(xyz["xyz"].get<std::string>().rfind("9\n", 0), 0u);
}

TEST(ChemTools, DrugLookupResolvesSynonyms) {
  auto record = ok_result("drug_lookup", {{"name", "Paracetamol"}});
  EXPECT_EQ(record["name"], "acetaminophen");
  EXPECT_FALSE(record["sources"].empty());
}

TEST(SafetyCheck, DataFilesParse) {
  EXPECT_GE(listed_chemicals().size(), 20u);
  EXPECT_GE(hazard_patterns().size(), 15u);
}

TEST(SafetyCheck, KnownPositives) {
  struct Case { const char* name; const char* smiles; const char* reason_part; };
  for (const Case& c : std::initializer_list<Case>{
           {"TNT", "Cc1c(cc(cc1[N+](=O)[O-])[N+](=O)[O-])[N+](=O)[O-]", "polynitro"},
           {"nitroglycerin", "C(C(CO[N+](=O)[O-])O[N+](=O)[O-])O[N+](=O)[O-]", "nitrate ester"},
           {"RDX", "C1N(CN(CN1[N+](=O)[O-])[N+](=O)[O-])[N+](=O)[O-]", "N-nitro"},
           {"TATP", "CC1(C)OOC(C)(C)OOC(C)(C)OO1", "peroxide"},
           {"sodium azide", "[Na+].[N-]=[N+]=[N-]", "azide"},
           {"phenyl azide", "c1ccc(cc1)N=[N+]=[N-]", "azide"},
           {"diazomethane", "C=[N+]=[N-]", "diazo"},
           {"sarin", "CC(C)OP(C)(=O)F", "is sarin (GB)"},
           {"ethyl sarin analogue", "CCOP(C)(=O)F", "similar to sarin (GB)"},
           {"VX", "CCOP(C)(=O)SCCN(C(C)C)C(C)C", "is VX"},
           {"half mustard CEES", "CCSCCCl", "2-haloethyl sulfide"},
           {"diisopropyl fluorophosphate", "CC(C)OP(=O)(OC(C)C)F", "similar to sarin (GB)"},
           {"thiodiglycol", "OCCSCCO", "is thiodiglycol"},
           {"phosgene", "ClC(Cl)=O", "is phosgene"}}) {
    auto r = call("safety_check", {{"smiles", c.smiles}});
    ASSERT_TRUE(r.ok) << c.name << ": " << r.error;
    EXPECT_FALSE(r.result["safe"].get<bool>()) << c.name;
    bool found = false;
    for (const auto& reason : r.result["reasons"]) found = found || reason.get<std::string>().find(c.reason_part) != std::string::npos;
    EXPECT_TRUE(found) << c.name << ": " << r.result.dump();
  }
}

TEST(SafetyCheck, KnownNegatives) {
  for (const char* smiles : {"CC(=O)Oc1ccccc1C(=O)O", "Cn1cnc2c1c(=O)n(C)c(=O)n2C", "CC(=O)Nc1ccc(O)cc1",
                             "CC(C)Cc1ccc(cc1)C(C)C(=O)O", "OCC1OC(O)C(O)C(O)C1O", "CCO", "CC(C)O", "OCCO",
                             "c1ccccc1", "CC(C)=O", "CCN(CC)CC", "ClCCl", "O=[N+]([O-])c1ccccc1",
                             "CCOC(=O)CC(SP(=S)(OC)OC)C(=O)OCC", "ClCCCl", "CCOP(=O)(OCC)OCC"}) {
    auto r = call("safety_check", {{"smiles", smiles}});
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_TRUE(r.result["safe"].get<bool>()) << smiles << ": " << r.result.dump();
    EXPECT_TRUE(r.result["reasons"].empty());
  }
}

TEST(ChemTools, ParallelCallsFromABatchGiveTheSequentialAnswers) {
  // A rollout batch calls tools from several threads at once; RDKit and Open Babel work must not interfere.
  const std::vector<std::string> molecules = {"CCO", "CC(=O)Oc1ccccc1C(=O)O", "Cn1cnc2c1c(=O)n(C)c(=O)n2C",
                                              "c1ccccc1O", "CC(C)Cc1ccc(cc1)C(C)C(=O)O", "CN1CCC[C@H]1c1cccnc1"};
  std::vector<std::string> sequential, parallel(molecules.size() * 3);
  for (const auto& smiles : molecules) {
    sequential.push_back(call("descriptors", {{"smiles", smiles}}).result.dump());
    sequential.push_back(call("safety_check", {{"smiles", smiles}}).result.dump());
    sequential.push_back(std::to_string(call("conformer_3d", {{"smiles", smiles}}).result["atoms"].get<int>()));
  }
  std::vector<std::thread> threads;
  for (size_t i = 0; i < molecules.size(); ++i) {
    threads.emplace_back([&, i] {
      parallel[3 * i] = call("descriptors", {{"smiles", molecules[i]}}).result.dump();
      parallel[3 * i + 1] = call("safety_check", {{"smiles", molecules[i]}}).result.dump();
      parallel[3 * i + 2] = std::to_string(call("conformer_3d", {{"smiles", molecules[i]}}).result["atoms"].get<int>());
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(parallel, sequential);
}
