// merge_rank_metrics: the rules of rank_metrics.h.
#include "dist/rank_metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include <nlohmann/json.hpp>

#include "dist/dist_context.h"

namespace retort::dist {

MetricMerge metric_merge_rule(const std::string& name) {
  if (name.rfind("timing_s/", 0) == 0) return MetricMerge::max;
  if (name == "perf/tokens_per_s" || name == "perf/tokens" || name == "sft/target_tokens") return MetricMerge::sum;
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

std::map<std::string, double> gather_and_merge_metrics(DistContext& dist, const std::map<std::string, double>& mine) {
  if (!dist.distributed()) return mine;
  // Values as strings: JSON has no NaN or Inf, and %.17g round-trips a double exactly.
  nlohmann::json encoded = nlohmann::json::object();
  for (const auto& [name, value] : mine) {
    char text[32];
    std::snprintf(text, sizeof text, "%.17g", value);
    encoded[name] = text;
  }
  std::vector<std::map<std::string, double>> per_rank;
  for (const auto& text : dist.all_gather(encoded.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))) {
    std::map<std::string, double> metrics;
    const nlohmann::json parsed = nlohmann::json::parse(text);
    for (const auto& [name, value] : parsed.items()) metrics[name] = std::strtod(value.get<std::string>().c_str(), nullptr);
    per_rank.push_back(std::move(metrics));
  }
  return merge_rank_metrics(per_rank);
}

}  // namespace retort::dist
