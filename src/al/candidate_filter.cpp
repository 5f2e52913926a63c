// The active-learning filter: parse, size and ring rules, batch uniqueness, novelty (candidate_filter.h).
#include "al/candidate_filter.h"

#include <GraphMol/ROMol.h>
#include <GraphMol/RingInfo.h>

#include <algorithm>

#include "chem/molecule.h"

namespace retort::al {
namespace {

int largest_ring(const chem::Molecule& mol) {
  int largest = 0;
  const RDKit::RingInfo* rings = mol.rdkit().getRingInfo();
  if (!rings || !rings->isInitialized()) return 0;
  for (const auto& ring : rings->atomRings()) largest = std::max(largest, static_cast<int>(ring.size()));
  return largest;
}

}  // namespace

const char* verdict_name(FilterVerdict verdict) {
  switch (verdict) {
    case FilterVerdict::kept: return "kept";
    case FilterVerdict::invalid: return "invalid";
    case FilterVerdict::too_many_heavy_atoms: return "too_many_heavy_atoms";
    case FilterVerdict::too_few_heavy_atoms: return "too_few_heavy_atoms";
    case FilterVerdict::ring_too_large: return "ring_too_large";
    case FilterVerdict::duplicate: return "duplicate";
    case FilterVerdict::not_novel: return "not_novel";
  }
  return "?";
}

int largest_ring_size(const std::string& smiles) {
  auto mol = chem::Molecule::try_from_smiles(smiles);
  if (!mol) return -1;
  return largest_ring(*mol);
}

FilterVerdict check_molecule(const std::string& smiles, const FilterSettings& settings, std::string* canonical) {
  // Only printable ASCII without spaces: RDKit reads what follows a space or tab as the molecule's
  // name, so "C\tgarbage" (or other bytes model output may hold) must not parse as methane.
  if (smiles.empty()) return FilterVerdict::invalid;
  for (unsigned char ch : smiles)
    if (ch <= 0x20 || ch >= 0x7f) return FilterVerdict::invalid;
  auto mol = chem::Molecule::try_from_smiles(smiles);
  if (!mol) return FilterVerdict::invalid;
  if (mol->heavy_atoms() == 0) return FilterVerdict::invalid;
  std::string text = mol->canonical_smiles();
  if (canonical) *canonical = text;
  // Several fragments ("CC.O") are not one generated molecule.
  if (text.find('.') != std::string::npos) return FilterVerdict::invalid;
  if (mol->heavy_atoms() > settings.max_heavy_atoms) return FilterVerdict::too_many_heavy_atoms;
  if (mol->heavy_atoms() < settings.min_heavy_atoms) return FilterVerdict::too_few_heavy_atoms;
  if (largest_ring(*mol) > settings.max_ring_size) return FilterVerdict::ring_too_large;
  return FilterVerdict::kept;
}

FilterResult filter_candidates(const std::vector<std::string>& smiles, const FilterSettings& settings,
                               const std::unordered_set<std::string>& known) {
  FilterResult result;
  std::unordered_set<std::string> seen;
  for (const auto& s : smiles) {
    FilterOutcome outcome;
    outcome.input = s;
    outcome.verdict = check_molecule(s, settings, &outcome.canonical);
    ++result.counts.generated;
    if (outcome.verdict == FilterVerdict::kept) {
      ++result.counts.valid;
      bool first = seen.insert(outcome.canonical).second;
      bool is_known = known.count(outcome.canonical) > 0;
      if (first) ++result.counts.unique;
      if (first && !is_known) ++result.counts.novel;
      if (!first && settings.require_unique) {
        outcome.verdict = FilterVerdict::duplicate;
      } else if (is_known && settings.require_novel) {
        outcome.verdict = FilterVerdict::not_novel;
      }
      if (outcome.verdict == FilterVerdict::kept) result.kept.push_back(outcome.canonical);
    }
    result.outcomes.push_back(std::move(outcome));
  }
  return result;
}

}  // namespace retort::al
