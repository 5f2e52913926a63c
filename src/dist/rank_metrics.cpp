// merge_rank_metrics: the rules of rank_metrics.h.
#include "dist/rank_metrics.h"

#include <algorithm>

namespace retort::dist {

MetricMerge metric_merge_rule(const std::string& name) {
  if (name.rfind("timing_s/", 0) == 0) return MetricMerge::max;
  if (name == "perf/tokens_per_s" || name == "sft/target_tokens" || name == "rl/groups_kept") return MetricMerge::sum;
  if (name == "loss" || name == "grad_norm" || name == "lr") return MetricMerge::first;
  return MetricMerge::mean;
}

std::map<std::string, double> merge_rank_metrics(const std::vector<std::map<std::string, double>>& per_rank) {
  std::map<std::string, double> merged;
  std::map<std::string, int> reported;
  for (const auto& metrics : per_rank) {
    for (const auto& [name, value] : metrics) {
      int& count = reported[name];
      if (count == 0) {
        merged[name] = value;
      } else {
        switch (metric_merge_rule(name)) {
          case MetricMerge::mean:
          case MetricMerge::sum: merged[name] += value; break;
          case MetricMerge::max: merged[name] = std::max(merged[name], value); break;
          case MetricMerge::first: break;
        }
      }
      ++count;
    }
  }
  for (auto& [name, value] : merged)
    if (metric_merge_rule(name) == MetricMerge::mean) value /= reported[name];
  return merged;
}

}  // namespace retort::dist
