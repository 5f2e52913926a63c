// format_stage_table: fixed-width columns in the order base, sft, rl (then any other stage).
#include "cli/stage_table.h"

#include <cstdio>
#include <set>
#include <vector>

namespace retort::cli {

std::string format_stage_table(const nlohmann::json& stages) {
  std::vector<std::string> columns;
  for (const char* s : {"base", "sft", "rl"})
    if (stages.contains(s)) columns.push_back(s);
  for (auto it = stages.begin(); it != stages.end(); ++it)
    if (it.key() != "base" && it.key() != "sft" && it.key() != "rl") columns.push_back(it.key());
  std::set<std::string> metrics;
  for (const auto& c : columns)
    for (auto it = stages[c].begin(); it != stages[c].end(); ++it) metrics.insert(it.key());
  char cell[64];
  std::string out;
  std::snprintf(cell, sizeof cell, "%-20s", "metric");
  out += cell;
  for (const auto& c : columns) std::snprintf(cell, sizeof cell, "%10s", c.c_str()), out += cell;
  out += "\n";
  for (const auto& metric : metrics) {
    std::snprintf(cell, sizeof cell, "%-20s", metric.c_str());
    out += cell;
    for (const auto& c : columns) {
      if (stages[c].contains(metric) && stages[c][metric].is_number())
        std::snprintf(cell, sizeof cell, "%10.3f", stages[c][metric].get<double>());
      else
        std::snprintf(cell, sizeof cell, "%10s", "-");
      out += cell;
    }
    out += "\n";
  }
  return out;
}

std::string main_metric_line(const nlohmann::json& stages) {
  if (!stages.contains("sft") || !stages.contains("rl")) return "";
  const auto& sft = stages["sft"];
  const auto& rl = stages["rl"];
  std::string metric;
  for (const char* m : {"roc_auc", "rmse", "accuracy"})
    if (sft.contains(m) && rl.contains(m) && sft[m].is_number() && rl[m].is_number()) {
      metric = m;
      break;
    }
  if (metric.empty()) return "";
  const bool lower_better = metric == "rmse";
  const double a = sft[metric].get<double>(), b = rl[metric].get<double>();
  const bool better = lower_better ? b < a : b > a;
  char line[256];
  std::snprintf(line, sizeof line, "main metric %s (%s is better): sft %.3f -> rl %.3f (%+.3f): RL %s SFT",
                metric.c_str(), lower_better ? "lower" : "higher", a, b, b - a,
                better ? "better than" : (a == b ? "equal to" : "worse than"));
  return line;
}

}  // namespace retort::cli
