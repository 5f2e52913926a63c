// The active-learning filter (issue 9): generated SMILES -> the molecules worth an oracle call.
// Valid (RDKit parses it, one fragment, printable ASCII), min_heavy_atoms..max_heavy_atoms heavy atoms, no ring (SSSR) larger than
// max_ring_size, unique within the batch, novel against the pool (and, optionally, the corpus).
// Torch-free.
#pragma once
#include <string>
#include <unordered_set>
#include <vector>

namespace retort::al {

struct FilterSettings {
  int max_heavy_atoms = 70;
  int min_heavy_atoms = 1;  // e.g. 10 keeps the oracle off ethylene-sized molecules
  int max_ring_size = 6;
  bool require_unique = true;
  bool require_novel = true;
};

// Why one SMILES was kept or dropped (the first failing check).
enum class FilterVerdict { kept, invalid, too_many_heavy_atoms, too_few_heavy_atoms, ring_too_large, duplicate, not_novel };
const char* verdict_name(FilterVerdict verdict);

struct FilterOutcome {
  std::string input;
  std::string canonical;  // empty when invalid
  FilterVerdict verdict = FilterVerdict::invalid;
};

struct FilterCounts {
  int generated = 0;
  int valid = 0;    // parses and passes the size/ring rules
  int unique = 0;   // valid and first of its canonical form in this batch
  int novel = 0;    // unique and not in KNOWN
};

struct FilterResult {
  std::vector<FilterOutcome> outcomes;  // one per input, input order
  std::vector<std::string> kept;        // canonical SMILES that passed every check, first-seen order
  FilterCounts counts;
};

// The checks of one molecule that do not depend on the others (parse, heavy atoms, ring size);
// CANONICAL is set when it parses.
FilterVerdict check_molecule(const std::string& smiles, const FilterSettings& settings, std::string* canonical);

// Runs every check over SMILES; KNOWN holds canonical SMILES already in the pool (novelty).
FilterResult filter_candidates(const std::vector<std::string>& smiles, const FilterSettings& settings,
                               const std::unordered_set<std::string>& known);

// The largest ring (SSSR) of a parsed molecule, 0 when acyclic; -1 when SMILES does not parse.
int largest_ring_size(const std::string& smiles);

}  // namespace retort::al
