// rounds.csv rows, round plots and the best-molecule grid (round_report.h).
#include "al/round_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "chem/image.h"
#include "chem/molecule.h"
#include "core/plot.h"

namespace retort::al {
namespace {

std::string number(double v, const char* format = "%.6g") {
  if (!std::isfinite(v)) return "";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, v);
  return buffer;
}

double json_number(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return std::nan("");
  return j[key].get<double>();
}

nlohmann::json finite_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

}  // namespace

nlohmann::json RoundRow::to_json() const {
  return {{"round", round},          {"generated", generated},
          {"valid", valid},          {"unique", unique},
          {"novel", novel},          {"oracle_calls", oracle_calls},
          {"failures", failures},    {"top1", finite_or_null(top1)},
          {"top10_mean", finite_or_null(top10_mean)}, {"top100_mean", finite_or_null(top100_mean)},
          {"mean_sa", finite_or_null(mean_sa)},       {"batch_mean_score", finite_or_null(batch_mean_score)},
          {"seconds", seconds},      {"oracle_calls_total", oracle_calls_total}};
}

RoundRow RoundRow::from_json(const nlohmann::json& j) {
  RoundRow r;
  r.round = j.at("round").get<int>();
  r.generated = j.at("generated").get<int>();
  r.valid = j.at("valid").get<int>();
  r.unique = j.at("unique").get<int>();
  r.novel = j.at("novel").get<int>();
  r.oracle_calls = j.at("oracle_calls").get<int>();
  r.failures = j.at("failures").get<int>();
  r.top1 = json_number(j, "top1");
  r.top10_mean = json_number(j, "top10_mean");
  r.top100_mean = json_number(j, "top100_mean");
  r.mean_sa = json_number(j, "mean_sa");
  r.batch_mean_score = json_number(j, "batch_mean_score");
  r.seconds = j.at("seconds").get<double>();
  r.oracle_calls_total = j.value("oracle_calls_total", 0);
  return r;
}

std::string rounds_csv_header() {
  return "round,generated,valid,unique,novel,oracle_calls,failures,top1,top10_mean,top100_mean,mean_sa,seconds,"
         "batch_mean_score,oracle_calls_total";
}

std::string rounds_csv_line(const RoundRow& r) {
  return std::to_string(r.round) + "," + std::to_string(r.generated) + "," + std::to_string(r.valid) + "," +
         std::to_string(r.unique) + "," + std::to_string(r.novel) + "," + std::to_string(r.oracle_calls) + "," +
         std::to_string(r.failures) + "," + number(r.top1) + "," + number(r.top10_mean) + "," +
         number(r.top100_mean) + "," + number(r.mean_sa) + "," + number(r.seconds, "%.1f") + "," +
         number(r.batch_mean_score) + "," + std::to_string(r.oracle_calls_total);
}

void write_rounds_csv(const std::string& path, const std::vector<RoundRow>& rows) {
  std::string text = rounds_csv_header() + "\n";
  for (const auto& r : rows) text += rounds_csv_line(r) + "\n";
  write_file_atomic(path, text);
}

void write_round_plots(const std::string& run_dir, const std::vector<RoundRow>& rows, const std::string& objective) {
  std::filesystem::create_directories(run_dir + "/plots");
  Series top1{"top-1", {}, {}}, top10{"top-10 mean", {}, {}}, top100{"top-100 mean", {}, {}},
      batch{"round mean", {}, {}};
  Series valid{"valid", {}, {}}, unique{"unique", {}, {}}, novel{"novel", {}, {}};
  for (const auto& r : rows) {
    double x = r.round;
    for (auto* s : {&top1, &top10, &top100, &batch, &valid, &unique, &novel}) s->x.push_back(x);
    top1.y.push_back(r.top1);
    top10.y.push_back(r.top10_mean);
    top100.y.push_back(r.top100_mean);
    batch.y.push_back(r.batch_mean_score);
    double generated = std::max(r.generated, 1);
    valid.y.push_back(r.valid / generated);
    unique.y.push_back(r.unique / generated);
    novel.y.push_back(r.novel / generated);
  }
  write_line_plot(run_dir + "/plots/rounds.png", objective + " score over rounds (pool)", {top1, top10, top100, batch},
                  "round");
  write_line_plot(run_dir + "/plots/filter_rates.png", "fraction of generated molecules", {valid, unique, novel},
                  "round");
}

void write_best_grid(const std::string& path, const MoleculePool& pool, int count) {
  std::vector<chem::Molecule> molecules;
  std::vector<std::string> captions;
  for (const PoolEntry* e : pool.ranked()) {
    if (static_cast<int>(molecules.size()) >= count) break;
    auto mol = chem::Molecule::try_from_smiles(e->smiles);
    if (!mol) continue;
    std::string caption = "score " + number(*e->score, "%.3f");
    for (const auto& [name, value] : e->props) {
      if (name == "f_osc") caption += " f " + number(value, "%.2f");
      if (name == "wavelength") caption += " " + number(value, "%.0f") + "nm";
      if (name == "qed") caption += " QED " + number(value, "%.2f");
      if (name == "sa") caption += " SA " + number(value, "%.1f");
    }
    molecules.push_back(*mol);
    captions.push_back(caption);
  }
  if (molecules.empty()) return;
  std::filesystem::path p(path);
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path());
  chem::write_grid_png(path, molecules, captions, 4, 300);
}

}  // namespace retort::al
