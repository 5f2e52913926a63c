// The functional-group catalogue: retort's common organic groups (SMARTS written here, mostly after
// Daylight's SMARTS examples) followed by RDKit's FunctionalGroups.txt (a copy ships in chem/data).
#include "chem/functional_groups.h"

#include <GraphMol/Descriptors/Lipinski.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>

#include "chem/data_files.h"
#include "chem/guard.h"
#include "chem/structure.h"

namespace retort::chem {
namespace {

struct RetortGroup {
  const char* name;
  const char* smarts;
};

// Amines: N bonded only to carbon (and H), not acyl/imidoyl/thioacyl N, neutral, sp3-style (X3).
#define RETORT_AMINE_N(h) "[NX3;" h ";+0;!$(N~[!#6;!#1]);!$(N[#6]=[#7,#8,#16])]"

constexpr RetortGroup kRetortGroups[] = {
    {"carboxylic_acid", "[CX3](=O)[OX2H1]"},
    {"carboxylate", "[CX3](=O)[OX1-]"},
    {"ester", "[#6][CX3](=O)[OX2H0][#6]"},
    {"amide", "[NX3][CX3](=[OX1])[#6]"},
    {"primary_amine", RETORT_AMINE_N("H2")},
    {"secondary_amine", RETORT_AMINE_N("H1")},
    {"tertiary_amine", RETORT_AMINE_N("H0")},
    {"quaternary_ammonium", "[NX4+;H0]"},
    {"alcohol", "[OX2H][CX4]"},
    {"phenol", "[OX2H]c"},
    {"aldehyde", "[CX3H1](=O)[#6]"},
    {"ketone", "[#6][CX3](=O)[#6]"},
    {"carbonyl", "[CX3]=[OX1]"},
    {"ether", "[OX2H0;!$(O[#6]=[O,S,N])]([#6])[#6]"},
    {"nitro", "[$([NX3](=O)=O),$([NX3+](=O)[O-])][!#8]"},
    {"nitrile", "[NX1]#[CX2]"},
    {"halide", "[#6][F,Cl,Br,I]"},
    {"acyl_halide", "[CX3](=[OX1])[F,Cl,Br,I]"},
    {"anhydride", "[CX3](=[OX1])[OX2][CX3](=[OX1])"},
    {"sulfonamide", "[#6][SX4](=[OX1])(=[OX1])[NX3]"},
    {"sulfone", "[#6][SX4](=[OX1])(=[OX1])[#6]"},
    {"sulfonic_acid", "[SX4](=[OX1])(=[OX1])[OX2H1]"},
    {"thiol", "[#16X2H1]"},
    {"thioether", "[#16X2H0;!$([#16][#16])]([#6])[#6]"},
    {"disulfide", "[#16X2H0][#16X2H0]"},
    {"azo", "[#6][NX2]=[NX2][#6]"},
    {"azide", "[$([NX2]=[NX2+]=[NX1-]),$([NX2-]-[NX2+]#[NX1])]"},
    {"hydrazine", "[NX3;!$(N=*)][NX3;!$(N=*)]"},
    {"hydroxylamine", "[NX3;+0;!$(N=*);!$(N[#6]=[O,S])][OX2H1]"},
    {"imine", "[CX3;!$(C(N)=N)]=[NX2;+0;H1,$(N[#6])]"},
    {"oxime", "[CX3]=[NX2][OX2H1]"},
    {"urea", "[NX3][CX3](=[OX1])[NX3]"},
    {"carbamate", "[NX3][CX3](=[OX1])[OX2H0][#6]"},
    {"isocyanate", "[NX2]=[CX2]=[OX1]"},
    {"peroxide", "[OX2][OX2]"},
    {"phosphate", "[PX4](=[OX1])([OX2,OX1-])([OX2,OX1-])[OX2,OX1-]"},
    {"alkene", "[CX3]=[CX3]"},
    {"alkyne", "[CX2]#[CX2]"},
    {"aromatic_ring", "[a]"},  // counted as aromatic rings, not atoms (see count_functional_group)
    {"heteroaromatic_ring", "[a;!#6]"},
};

#undef RETORT_AMINE_N

// "side-chain aldehydes or ketones" -> "side_chain_aldehydes_or_ketones"; "=N" -> "eq_n".
std::string snake(const std::string& text) {
  std::string out;
  for (char ch : text) {
    if (std::isalnum(static_cast<unsigned char>(ch))) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    } else if (ch == '=' || ch == '#') {
      if (!out.empty() && out.back() != '_') out += '_';
      out += ch == '=' ? "eq_" : "triple_";
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

struct Entry {
  FunctionalGroup group;
  SmartsPattern pattern;
};

std::vector<Entry> build_catalogue() {
  std::vector<Entry> entries;
  std::set<std::string> names;
  for (const auto& g : kRetortGroups) {
    entries.push_back({{g.name, g.smarts, "retort"}, SmartsPattern::parse(g.smarts)});
    names.insert(g.name);
  }
  // RDKit's file: "label<TAB>SMARTS<TAB>notes", // comments (parsed as FunctionalGroups.py does).
  const std::string path = chem_data_file("rdkit_FunctionalGroups.txt");
  std::ifstream in(path);
  if (!in) throw ChemError("cannot read " + path);
  std::string line;
  int line_no = 0;
  const std::regex tabs("\t+");
  while (std::getline(in, line)) {
    ++line_no;
    line = line.substr(0, line.find("//"));
    std::vector<std::string> fields;
    for (std::sregex_token_iterator it(line.begin(), line.end(), tabs, -1), end; it != end; ++it) {
      std::string f = *it;
      size_t b = f.find_first_not_of(" \r"), e = f.find_last_not_of(" \r");
      if (b != std::string::npos) fields.push_back(f.substr(b, e - b + 1));
    }
    if (fields.size() < 3) continue;
    std::string name = "rdkit_" + snake(fields[2]);
    if (fields[2].find_first_of("abcdefghijklmnopqrstuvwxyz") == std::string::npos) name = "rdkit_" + snake(fields[0]);
    if (names.count(name)) name += "_" + snake(fields[0]);
    if (names.count(name)) throw ChemError(path + " line " + std::to_string(line_no) + ": duplicate group " + name);
    names.insert(name);
    entries.push_back({{name, fields[1], "RDKit FunctionalGroups.txt"}, SmartsPattern::parse(fields[1])});
  }
  return entries;
}

const std::vector<Entry>& catalogue_entries() {
  static const std::vector<Entry> entries = build_catalogue();
  return entries;
}

const Entry& find_entry(const std::string& name) {
  static const std::map<std::string, size_t> index = [] {
    std::map<std::string, size_t> m;
    const auto& e = catalogue_entries();
    for (size_t i = 0; i < e.size(); ++i) m[e[i].group.name] = i;
    return m;
  }();
  auto it = index.find(name);
  if (it == index.end()) throw ChemError("unknown functional group '" + name + "'");
  return catalogue_entries()[it->second];
}

}  // namespace

const std::vector<FunctionalGroup>& functional_group_catalogue() {
  static const std::vector<FunctionalGroup> groups = [] {
    std::vector<FunctionalGroup> g;
    for (const auto& e : catalogue_entries()) g.push_back(e.group);
    return g;
  }();
  return groups;
}

std::vector<std::string> functional_groups(const Molecule& mol) {
  return guarded("functional groups", mol, [&] {
    std::vector<std::string> present;
    for (const auto& e : catalogue_entries()) {
      if (e.pattern.matches(mol)) present.push_back(e.group.name);
    }
    return present;
  });
}

// SmartsPattern::matches is itself guarded.
bool has_functional_group(const Molecule& mol, const std::string& name) { return find_entry(name).pattern.matches(mol); }

int count_functional_group(const Molecule& mol, const std::string& name) {
  return guarded("functional group count", mol, [&] {
    const Entry& e = find_entry(name);
    if (name == "aromatic_ring") return mol.aromatic_ring_count();
    if (name == "heteroaromatic_ring") {
      return static_cast<int>(RDKit::Descriptors::calcNumAromaticHeterocycles(mol.rdkit()));
    }
    return e.pattern.count_matches(mol);
  });
}

}  // namespace retort::chem
