// Condition bins, prompts and the STGG+AL range update (condition_bins.h).
#include "al/condition_bins.h"

#include <algorithm>

#include "core/errors.h"

namespace retort::al {

int ConditionProperty::bin_of(double value) const {
  return static_cast<int>(std::upper_bound(edges.begin(), edges.end(), value) - edges.begin());
}

ConditionProperty default_condition_property(const std::string& property) {
  // Conjugated-xTB (sTDA-xTB) f_osc quantiles 10/25/50/75/90/99%: 0.006 0.05 0.28 0.74 1.52 3.24;
  // wavelength 1/10/25/50/75/90/99%: 301 324 344 382 429 482 659 nm. ZINC (MOSES) QED ~0.3-0.95, SA ~1.5-5.
  if (property == "f_osc") return {"f_osc", "fosc", {0.01, 0.05, 0.15, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0}};
  if (property == "wavelength") return {"wavelength", "wl", {300, 325, 350, 375, 400, 450, 500, 600, 800, 1000}};
  if (property == "qed") return {"qed", "qed", {0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9}};
  if (property == "sa") return {"sa", "sa", {1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0}};
  throw ConfigError("conditions: no default bins for property '" + property + "'");
}

std::string condition_prompt(const std::vector<ConditionProperty>& properties, const std::vector<int>& bins) {
  std::string out;
  for (std::size_t i = 0; i < properties.size(); ++i) {
    out += "<" + properties[i].tag + "=" + std::to_string(i < bins.size() ? bins[i] : 0) + ">";
  }
  return out;
}

std::vector<int> bins_of(const std::vector<ConditionProperty>& properties, const Properties& props) {
  std::vector<int> bins;
  for (const auto& p : properties) {
    auto it = props.find(p.property);
    bins.push_back(it == props.end() ? 0 : p.bin_of(it->second));
  }
  return bins;
}

ConditionRange update_condition_range(const ConditionProperty& target, std::vector<ScoredProperties> scored,
                                      int top_n, int extrapolate_bins, ConditionRange fallback) {
  scored.erase(std::remove_if(scored.begin(), scored.end(),
                              [&](const ScoredProperties& s) { return !s.props.count(target.property); }),
               scored.end());
  if (scored.empty() || top_n < 1) return fallback;
  std::stable_sort(scored.begin(), scored.end(),
                   [](const ScoredProperties& a, const ScoredProperties& b) { return a.score > b.score; });
  std::size_t n = std::min<std::size_t>(scored.size(), static_cast<std::size_t>(top_n));
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) sum += scored[i].props.at(target.property);
  ConditionRange range;
  range.low = target.bin_of(sum / static_cast<double>(n));
  range.high = std::min(target.bin_of(scored[0].props.at(target.property)) + std::max(extrapolate_bins, 0),
                        target.bin_count() - 1);
  range.low = std::min(range.low, range.high);
  return range;
}

std::vector<int> sample_condition_bins(const std::vector<ConditionProperty>& properties, std::size_t target_index,
                                       const ConditionRange& range, const std::vector<std::vector<int>>& context,
                                       std::mt19937_64& rng) {
  std::vector<int> bins(properties.size(), 0);
  if (!context.empty()) {
    std::uniform_int_distribution<std::size_t> pick(0, context.size() - 1);
    const auto& row = context[pick(rng)];
    for (std::size_t i = 0; i < bins.size() && i < row.size(); ++i) bins[i] = row[i];
  }
  std::uniform_int_distribution<int> target_bin(range.low, std::max(range.low, range.high));
  if (target_index < bins.size()) bins[target_index] = target_bin(rng);
  return bins;
}

}  // namespace retort::al
