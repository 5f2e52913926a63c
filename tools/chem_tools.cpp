// The chemistry tools (see chem_tools.h): schemas, descriptions and result JSON over chem/.
#include "tools/chem_tools.h"

#include "chem/conformer.h"
#include "chem/descriptors.h"
#include "chem/functional_groups.h"
#include "chem/molecule.h"
#include "chem/structure.h"
#include "tools/function_tool.h"
#include "tools/safety.h"

namespace retort::tools {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

ordered_json smiles_property(const std::string& description = "SMILES of the molecule") {
  return {{"type", "string"}, {"description", description}, {"minLength", 1}, {"maxLength", kMaxSmilesLength}};
}

ordered_json object_schema(ordered_json properties, std::vector<std::string> required) {
  return {{"type", "object"}, {"properties", std::move(properties)}, {"required", required},
          {"additionalProperties", false}};
}

ordered_json smiles_only_schema() { return object_schema({{"smiles", smiles_property()}}, {"smiles"}); }

std::string shown(const std::string& text) { return text.size() > 80 ? text.substr(0, 80) + "..." : text; }

chem::Molecule parse_smiles(const json& args, const char* key = "smiles") {
  const std::string& smiles = args.at(key).get_ref<const std::string&>();
  std::string error;
  auto mol = chem::Molecule::try_from_smiles(smiles, &error);
  if (!mol) throw ToolError(error);  // "SMILES '...' does not parse: <reason>", from chem/molecule
  if (mol->heavy_atoms() == 0 && smiles.find('[') == std::string::npos)
    throw ToolError("SMILES '" + shown(smiles) + "' has no atoms");
  return std::move(*mol);
}

double round_to(double x, int digits) {
  double scale = std::pow(10.0, digits);
  return std::round(x * scale) / scale;
}

std::shared_ptr<Tool> canonicalize_smiles() {
  return make_function_tool(
      "canonicalize_smiles", "RDKit canonical SMILES of a molecule (isomeric unless isomeric is false).",
      object_schema({{"smiles", smiles_property()},
                     {"isomeric", {{"type", "boolean"}, {"description", "keep stereochemistry and isotopes (default true)"}}}},
                    {"smiles"}),
      [](const json& args, const Deadline&) -> json {
        bool isomeric = args.value("isomeric", true);
        return {{"canonical_smiles", parse_smiles(args).canonical_smiles(isomeric)}};
      });
}

std::shared_ptr<Tool> molecular_weight() {
  return make_function_tool(
      "molecular_weight", "Average molecular weight (g/mol, IUPAC atomic weights) and monoisotopic exact mass.",
      smiles_only_schema(), [](const json& args, const Deadline&) -> json {
        auto d = chem::compute_descriptors(parse_smiles(args));
        return {{"molecular_weight", d.mol_wt}, {"exact_mass", d.exact_mass}, {"unit", "g/mol"}};
      });
}

std::shared_ptr<Tool> molecular_formula() {
  return make_function_tool("molecular_formula", "Molecular formula in Hill order (e.g. C9H8O4).",
                            smiles_only_schema(), [](const json& args, const Deadline&) -> json {
                              return {{"formula", parse_smiles(args).formula()}};
                            });
}

std::shared_ptr<Tool> functional_groups() {
  return make_function_tool(
      "functional_groups", "Functional groups present in the molecule, with match counts and their SMARTS.",
      smiles_only_schema(), [](const json& args, const Deadline&) -> json {
        auto mol = parse_smiles(args);
        std::map<std::string, std::string> smarts_of;
        for (const auto& g : chem::functional_group_catalogue()) smarts_of.emplace(g.name, g.smarts);
        json groups = json::array();
        for (const auto& name : chem::functional_groups(mol)) {
          groups.push_back({{"name", name}, {"count", chem::count_functional_group(mol, name)}, {"smarts", smarts_of[name]}});
        }
        return {{"functional_groups", groups}};
      });
}

std::shared_ptr<Tool> similarity() {
  return make_function_tool(
      "similarity", "Tanimoto similarity of two molecules on Morgan fingerprints (radius 2, 2048 bits by default).",
      object_schema({{"smiles_a", smiles_property("SMILES of the first molecule")},
                     {"smiles_b", smiles_property("SMILES of the second molecule")},
                     {"radius", {{"type", "integer"}, {"description", "Morgan radius (default 2)"}, {"minimum", 1}, {"maximum", 4}}}},
                    {"smiles_a", "smiles_b"}),
      [](const json& args, const Deadline&) -> json {
        int radius = args.value("radius", 2);
        auto a = chem::morgan_fingerprint(parse_smiles(args, "smiles_a"), radius, 2048);
        auto b = chem::morgan_fingerprint(parse_smiles(args, "smiles_b"), radius, 2048);
        return {{"tanimoto", chem::tanimoto(a, b)},
                {"fingerprint", "Morgan radius " + std::to_string(radius) + ", 2048 bits"}};
      });
}

std::shared_ptr<Tool> descriptors() {
  return make_function_tool(
      "descriptors",
      "RDKit descriptors: molecular weight, exact mass, Crippen logP and molar refractivity, TPSA, H-bond donors "
      "and acceptors, rotatable bonds, fraction sp3 carbons, ring counts, heavy atoms, formal charge, QED and "
      "synthetic accessibility (1 easy - 10 hard).",
      smiles_only_schema(), [](const json& args, const Deadline&) -> json {
        auto mol = parse_smiles(args);
        auto d = chem::compute_descriptors(mol);
        return {{"molecular_weight", d.mol_wt},      {"exact_mass", d.exact_mass},
                {"logp", d.logp},                     {"molar_refractivity", d.mr},
                {"tpsa", d.tpsa},                     {"h_bond_donors", d.hbd},
                {"h_bond_acceptors", d.hba},          {"rotatable_bonds", d.rotatable_bonds},
                {"fraction_csp3", d.fraction_csp3},   {"rings", mol.ring_count()},
                {"aromatic_rings", mol.aromatic_ring_count()}, {"heavy_atoms", mol.heavy_atoms()},
                {"formal_charge", mol.formal_charge()}, {"qed", d.qed},
                {"sa_score", d.sa_score}};
      });
}

std::shared_ptr<Tool> lipinski() {
  return make_function_tool(
      "lipinski",
      "Lipinski's rule of five: MW <= 500, logP <= 5, N-H/O-H donors <= 5, N+O acceptors <= 10; passes with at "
      "most one violation.",
      smiles_only_schema(), [](const json& args, const Deadline&) -> json {
        auto d = chem::compute_descriptors(parse_smiles(args));
        json rules = {{"molecular_weight <= 500", d.mol_wt <= 500},
                      {"logp <= 5", d.logp <= 5},
                      {"h_bond_donors <= 5", d.hbd_lipinski <= 5},
                      {"h_bond_acceptors <= 10", d.hba_lipinski <= 10}};
        int violations = 0;
        for (const auto& [rule, ok] : rules.items()) violations += ok.get<bool>() ? 0 : 1;
        return {{"molecular_weight", d.mol_wt}, {"logp", d.logp}, {"h_bond_donors", d.hbd_lipinski},
                {"h_bond_acceptors", d.hba_lipinski}, {"rules", rules}, {"violations", violations},
                {"passes", violations <= 1}};
      });
}

std::shared_ptr<Tool> substructure_match() {
  return make_function_tool(
      "substructure_match", "Whether a SMARTS pattern occurs in the molecule, and how many unique matches.",
      object_schema({{"smiles", smiles_property()},
                     {"smarts", {{"type", "string"}, {"description", "SMARTS pattern"}, {"minLength", 1}, {"maxLength", 300}}}},
                    {"smiles", "smarts"}),
      [](const json& args, const Deadline&) -> json {
        auto mol = parse_smiles(args);
        const std::string& smarts = args["smarts"].get_ref<const std::string&>();
        try {
          auto pattern = chem::SmartsPattern::parse(smarts);
          int count = pattern.count_matches(mol);
          return {{"matches", count > 0}, {"count", count}};
        } catch (const chem::ChemError& e) {
          throw ToolError(e.what());
        }
      });
}

std::shared_ptr<Tool> murcko_scaffold() {
  return make_function_tool(
      "murcko_scaffold", "Bemis-Murcko scaffold (ring systems and linkers) as canonical SMILES; empty for acyclic molecules.",
      smiles_only_schema(), [](const json& args, const Deadline&) -> json {
        return {{"scaffold", chem::murcko_scaffold(parse_smiles(args))}};
      });
}

std::shared_ptr<Tool> conformer_3d() {
  return make_function_tool(
      "conformer_3d",
      "One 3D conformer with hydrogens as XYZ text (Angstrom): Open Babel MMFF94 (default) or RDKit ETKDG. "
      "Molecules up to " + std::to_string(kMaxConformerHeavyAtoms) + " heavy atoms.",
      object_schema({{"smiles", smiles_property()},
                     {"method", {{"type", "string"}, {"enum", {"mmff94", "etkdg"}}, {"description", "default mmff94"}}}},
                    {"smiles"}),
      [](const json& args, const Deadline&) -> json {
        auto mol = parse_smiles(args);
        if (mol.heavy_atoms() > kMaxConformerHeavyAtoms)
          throw ToolError("molecule has " + std::to_string(mol.heavy_atoms()) + " heavy atoms; the limit is " +
                          std::to_string(kMaxConformerHeavyAtoms));
        std::string method = args.value("method", std::string("mmff94"));
        try {
          std::string xyz = chem::conformer_xyz(
              mol, method == "etkdg" ? chem::ConformerMethod::rdkit_etkdg : chem::ConformerMethod::openbabel_mmff94);
          int atoms = std::atoi(xyz.c_str());
          return {{"xyz", xyz}, {"atoms", atoms}, {"method", method}};
        } catch (const chem::ChemError& e) {
          throw ToolError(e.what());
        }
      });
}

std::shared_ptr<Tool> safety_check_tool() {
  return make_function_tool(
      "safety_check",
      "Screens a molecule for explosive/energetic groups (polynitro, azide, peroxide, diazo, nitrate ester, ...), "
      "chemical-weapon motifs, and similarity (Morgan Tanimoto > 0.35, with the agent's heteroatoms) to Chemical "
      "Weapons Convention agents and precursors. Returns safe and the reasons.",
      smiles_only_schema(), [](const json& args, const Deadline&) -> json {
        auto report = safety_check(parse_smiles(args));
        return {{"safe", report.safe},
                {"reasons", report.reasons},
                {"nearest_listed_agent", {{"name", report.nearest_listed}, {"tanimoto", round_to(report.nearest_tanimoto, 4)}}}};
      });
}

}  // namespace

std::vector<std::shared_ptr<Tool>> make_chemistry_tools() {
  return {canonicalize_smiles(), molecular_weight(), molecular_formula(), functional_groups(), similarity(),
          descriptors(), lipinski(), substructure_match(), murcko_scaffold(), conformer_3d(), safety_check_tool()};
}

}  // namespace retort::tools
