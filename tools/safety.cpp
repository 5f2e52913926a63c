// safety_check's screen (see safety.h): list parsing, SMARTS hazards, similarity and identity checks.
#include "tools/safety.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

#include "chem/structure.h"

namespace retort::tools {
namespace {

// Data rows of a TSV: skips '#' comments, blank lines and the header; checks the column count.
std::vector<std::vector<std::string>> tsv_rows(std::string_view text, size_t columns, const std::string& where) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in{std::string(text)};
  std::string line;
  bool header_seen = false;
  for (int number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    if (!header_seen) {
      header_seen = true;
      continue;
    }
    std::vector<std::string> fields;
    size_t start = 0;
    for (size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1)
      fields.push_back(line.substr(start, tab - start));
    fields.push_back(line.substr(start));
    if (fields.size() != columns)
      throw std::runtime_error(where + " line " + std::to_string(number) + ": expected " + std::to_string(columns) +
                               " tab-separated columns, got " + std::to_string(fields.size()));
    rows.push_back(std::move(fields));
  }
  return rows;
}

struct ScreenEntry {
  const ListedChemical* chemical;
  chem::Fingerprint fingerprint;
  std::string canonical;
  std::set<std::string> heteroatoms;  // elements other than C and H
};

// Element symbols other than C and H in a Hill formula ("C4H10FO2P" -> F, O, P).
std::set<std::string> heteroatom_elements(const std::string& formula) {
  std::set<std::string> out;
  for (size_t i = 0; i < formula.size(); ++i) {
    if (formula[i] < 'A' || formula[i] > 'Z') continue;
    std::string symbol(1, formula[i]);
    if (i + 1 < formula.size() && formula[i + 1] >= 'a' && formula[i + 1] <= 'z') symbol += formula[i + 1];
    if (symbol != "C" && symbol != "H") out.insert(symbol);
  }
  return out;
}

struct Screen {
  std::vector<ScreenEntry> entries;
  std::vector<std::pair<const HazardPattern*, chem::SmartsPattern>> patterns;
};

const Screen& screen() {
  static const Screen s = [] {
    Screen out;
    for (const auto& c : listed_chemicals()) {
      auto mol = chem::Molecule::from_smiles(c.smiles);
      out.entries.push_back({&c, chem::morgan_fingerprint(mol, 2, 2048), mol.canonical_smiles(),
                             heteroatom_elements(mol.formula())});
    }
    for (const auto& p : hazard_patterns()) out.patterns.emplace_back(&p, chem::SmartsPattern::parse(p.smarts));
    return out;
  }();
  return s;
}

std::string two_decimals(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", x);
  return buf;
}

// Canonical SMILES of each dot-separated fragment of MOL.
std::set<std::string> fragment_smiles(const chem::Molecule& mol) {
  std::set<std::string> out;
  std::string all = mol.canonical_smiles(), piece;
  std::istringstream in(all);
  while (std::getline(in, piece, '.')) {
    if (auto frag = chem::Molecule::try_from_smiles(piece)) out.insert(frag->canonical_smiles());
  }
  return out;
}

}  // namespace

const std::vector<ListedChemical>& listed_chemicals() {
  static const std::vector<ListedChemical> list = [] {
    std::vector<ListedChemical> out;
    for (auto& f : tsv_rows(chemical_weapons_tsv(), 5, "tools/data/chemical_weapons.tsv")) {
      if (f[3] != "similarity" && f[3] != "exact")
        throw std::runtime_error("tools/data/chemical_weapons.tsv: match must be similarity or exact, got '" + f[3] + "'");
      out.push_back({f[0], f[1], f[2], f[4], f[3] == "similarity"});
    }
    return out;
  }();
  return list;
}

const std::vector<HazardPattern>& hazard_patterns() {
  static const std::vector<HazardPattern> list = [] {
    std::vector<HazardPattern> out;
    for (auto& f : tsv_rows(hazard_smarts_tsv(), 5, "tools/data/hazard_smarts.tsv"))
      out.push_back({f[0], f[1], f[3], f[4], std::stoi(f[2])});
    return out;
  }();
  return list;
}

SafetyReport safety_check(const chem::Molecule& mol, double similarity_threshold) {
  const Screen& s = screen();
  SafetyReport report;
  std::set<std::string> fired_patterns;
  for (const auto& [pattern, compiled] : s.patterns) {
    if (fired_patterns.count(pattern->name)) continue;
    int count = compiled.count_matches(mol);
    if (count >= pattern->min_count) {
      fired_patterns.insert(pattern->name);
      report.reasons.push_back(pattern->category + " group: " + pattern->reason + " (" + std::to_string(count) +
                               " match" + (count == 1 ? "" : "es") + ")");
    }
  }
  // Identity with any listed chemical, fragment by fragment (salts and mixtures included).
  std::set<std::string> fragments = fragment_smiles(mol);
  for (const auto& e : s.entries) {
    if (fragments.count(e.canonical))
      report.reasons.push_back("is " + e.chemical->name + ", a CWC Schedule " + e.chemical->schedule + " " +
                               e.chemical->chemical_class);
  }
  // Similarity to the agents: the whole molecule and its largest fragment, whichever is closer. A flag also
  // needs every heteroatom element of the agent in the molecule (P, F for sarin; S, Cl for mustard):
  // without it small everyday molecules match on carbon skeletons alone (triethylamine vs HN-1: 0.47,
  // 1,2-dichloroethane vs sulfur mustard: 0.36).
  std::set<std::string> elements = heteroatom_elements(mol.formula());
  std::vector<chem::Fingerprint> fingerprints = {chem::morgan_fingerprint(mol, 2, 2048)};
  if (fragments.size() > 1) fingerprints.push_back(chem::morgan_fingerprint(mol.largest_fragment(), 2, 2048));
  for (const auto& e : s.entries) {
    if (!e.chemical->similarity) continue;
    double best = 0;
    for (const auto& fp : fingerprints) best = std::max(best, chem::tanimoto(fp, e.fingerprint));
    if (best > report.nearest_tanimoto || report.nearest_listed.empty()) {
      report.nearest_tanimoto = best;
      report.nearest_listed = e.chemical->name;
    }
    bool has_elements = std::includes(elements.begin(), elements.end(), e.heteroatoms.begin(), e.heteroatoms.end());
    if (best > similarity_threshold && has_elements && !fragments.count(e.canonical))  // identity: reported above
      report.reasons.push_back("similar to " + e.chemical->name + ", a CWC Schedule " + e.chemical->schedule + " " +
                               e.chemical->chemical_class + " (Tanimoto " + two_decimals(best) + " > " +
                               two_decimals(similarity_threshold) + ")");
  }
  report.safe = report.reasons.empty();
  return report;
}

}  // namespace retort::tools
