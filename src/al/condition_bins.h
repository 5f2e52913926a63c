// Property condition tokens of the SMILES generator (issue 9 item 1): each conditioned property has
// ascending bin edges; a value's bin is the number of edges <= it (0 .. edges.size()), written into
// the prompt as "<TAG=BIN>" (e.g. "<fosc=3><wl=5>"). The conditioning range of the objective's target
// property moves between rounds (STGG+AL): low = bin of the mean target value of the top-100 molecules
// by score, high = bin of the top-1 molecule's value + extrapolate_bins (capped at the last bin).
// Torch-free.
#pragma once
#include <random>
#include <string>
#include <vector>

#include "al/objective.h"

namespace retort::al {

struct ConditionProperty {
  std::string property;        // "f_osc", "wavelength", "qed", "sa"
  std::string tag;             // written in the prompt: "fosc", "wl", "qed", "sa"
  std::vector<double> edges;   // ascending
  int bin_count() const { return static_cast<int>(edges.size()) + 1; }
  int bin_of(double value) const;
};

// The default bins of a property (edges chosen around the shipped corpora's quantiles).
ConditionProperty default_condition_property(const std::string& property);

// "<fosc=3><wl=5>" for BINS (one per property, same order).
std::string condition_prompt(const std::vector<ConditionProperty>& properties, const std::vector<int>& bins);
// The bins of PROPS' values (a property missing from PROPS gets bin 0).
std::vector<int> bins_of(const std::vector<ConditionProperty>& properties, const Properties& props);

struct ConditionRange {
  int low = 0, high = 0;  // inclusive bin range of the target property
};

// A molecule with its score and properties, as the range update reads it.
struct ScoredProperties {
  double score = 0;
  Properties props;
};

// The range from the top-TOP_N (by score, highest first) and the top-1 molecule of SCORED:
// low = bin(mean target over the top-N), high = min(bin(top-1 target) + EXTRAPOLATE, last bin),
// low <= high. Returns FALLBACK when SCORED is empty or lacks the target.
ConditionRange update_condition_range(const ConditionProperty& target, std::vector<ScoredProperties> scored,
                                      int top_n, int extrapolate_bins, ConditionRange fallback);

// Draws condition bins: the target property's bin uniformly in RANGE, every other property's bins
// copied from a random CONTEXT entry (the top molecules), or bin 0 when CONTEXT is empty.
std::vector<int> sample_condition_bins(const std::vector<ConditionProperty>& properties, std::size_t target_index,
                                       const ConditionRange& range, const std::vector<std::vector<int>>& context,
                                       std::mt19937_64& rng);

}  // namespace retort::al
