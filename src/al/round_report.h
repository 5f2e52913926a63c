// What each round leaves in the run directory (issue 9 item 5): a row of rounds.csv, plots of the
// rows over rounds (plots/rounds.png: scores; plots/filter_rates.png: valid/unique/novel fractions)
// and a grid of the best molecules with their values (plots/best_molecules.png). Torch-free.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "al/molecule_pool.h"

namespace retort::al {

struct RoundRow {
  int round = 0;
  int generated = 0, valid = 0, unique = 0, novel = 0;
  int oracle_calls = 0;   // molecules evaluated this round (oracle cache hits included)
  int failures = 0;       // evaluations without a score (oracle status other than ok)
  double top1 = 0, top10_mean = 0, top100_mean = 0;  // over the whole pool after this round (NaN: none)
  double mean_sa = 0;     // SA score of this round's evaluated molecules (NaN: none)
  double batch_mean_score = 0;  // mean score of this round's evaluated molecules (NaN: none)
  double seconds = 0;     // wall time of the round
  int oracle_calls_total = 0;

  nlohmann::json to_json() const;
  static RoundRow from_json(const nlohmann::json& j);
};

std::string rounds_csv_header();
std::string rounds_csv_line(const RoundRow& row);
// Writes RUN_DIR/rounds.csv (atomic) from ROWS.
void write_rounds_csv(const std::string& path, const std::vector<RoundRow>& rows);
// plots/rounds.png and plots/filter_rates.png under RUN_DIR.
void write_round_plots(const std::string& run_dir, const std::vector<RoundRow>& rows, const std::string& objective);
// plots/best_molecules.png: the best COUNT scored molecules of POOL with score and properties.
void write_best_grid(const std::string& path, const MoleculePool& pool, int count);

}  // namespace retort::al
