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

}  // namespace retort::cli
