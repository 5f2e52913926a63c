// The active-learning pool and its CSV file (molecule_pool.h).
#include "al/molecule_pool.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/errors.h"

namespace retort::al {
namespace {

std::vector<std::string> split_commas(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  std::istringstream in(line);
  while (std::getline(in, cell, ',')) cells.push_back(cell);
  if (!line.empty() && line.back() == ',') cells.push_back("");
  return cells;
}

std::string number_text(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.10g", value);
  return buffer;
}

}  // namespace

void write_file_atomic(const std::string& path, const std::string& text) {
  std::filesystem::path target(path);
  if (target.has_parent_path()) std::filesystem::create_directories(target.parent_path());
  std::string temporary = path + ".tmp";
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) throw IoError(temporary + ": cannot open for writing");
  std::size_t written = 0;
  while (written < text.size()) {
    ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n <= 0) {
      ::close(fd);
      throw IoError(temporary + ": write failed");
    }
    written += static_cast<std::size_t>(n);
  }
  ::fsync(fd);
  ::close(fd);
  if (std::rename(temporary.c_str(), path.c_str()) != 0) throw IoError(path + ": cannot rename " + temporary + " into place");
}

bool MoleculePool::add(PoolEntry entry) {
  if (index_.count(entry.smiles)) return false;
  index_[entry.smiles] = entries_.size();
  entries_.push_back(std::move(entry));
  return true;
}

const PoolEntry* MoleculePool::find(const std::string& smiles) const {
  auto it = index_.find(smiles);
  return it == index_.end() ? nullptr : &entries_[it->second];
}

std::unordered_set<std::string> MoleculePool::smiles_set() const {
  std::unordered_set<std::string> out;
  for (const auto& e : entries_) out.insert(e.smiles);
  return out;
}

std::vector<const PoolEntry*> MoleculePool::ranked() const {
  std::vector<const PoolEntry*> out;
  for (const auto& e : entries_)
    if (e.score) out.push_back(&e);
  std::stable_sort(out.begin(), out.end(), [](const PoolEntry* a, const PoolEntry* b) { return *a->score > *b->score; });
  return out;
}

std::optional<double> MoleculePool::top_mean(std::size_t k) const {
  auto r = ranked();
  if (r.empty() || k == 0) return std::nullopt;
  std::size_t n = std::min(k, r.size());
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) sum += *r[i]->score;
  return sum / static_cast<double>(n);
}

void MoleculePool::drop_after_round(int round) {
  std::vector<PoolEntry> kept;
  for (auto& e : entries_)
    if (e.round <= round) kept.push_back(std::move(e));
  entries_.clear();
  index_.clear();
  for (auto& e : kept) add(std::move(e));
}

std::string MoleculePool::to_csv() const {
  std::string out = "smiles,round,status,score";
  for (const auto& p : property_names_) out += "," + p;
  out += "\n";
  for (const auto& e : entries_) {
    out += e.smiles + "," + std::to_string(e.round) + "," + e.status + "," + (e.score ? number_text(*e.score) : "");
    for (const auto& p : property_names_) {
      auto it = e.props.find(p);
      out += "," + (it == e.props.end() ? std::string() : number_text(it->second));
    }
    out += "\n";
  }
  return out;
}

void MoleculePool::save(const std::string& path) const { write_file_atomic(path, to_csv()); }

MoleculePool MoleculePool::load(const std::string& path, std::vector<std::string> property_names) {
  MoleculePool pool(property_names);
  std::ifstream in(path);
  if (!in) return pool;
  std::string line;
  std::getline(in, line);
  auto header = split_commas(line);
  if (header.size() != 4 + property_names.size() || header[0] != "smiles")
    throw DataError(path + " line 1: header '" + line + "' does not match this run's properties");
  for (std::size_t number = 2; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    auto cells = split_commas(line);
    std::string where = path + " line " + std::to_string(number);
    if (cells.size() != header.size())
      throw DataError(where + ": expected " + std::to_string(header.size()) + " cells, got " + std::to_string(cells.size()));
    PoolEntry e;
    e.smiles = cells[0];
    try {
      e.round = std::stoi(cells[1]);
      e.status = cells[2];
      if (!cells[3].empty()) e.score = std::stod(cells[3]);
      for (std::size_t i = 0; i < property_names.size(); ++i)
        if (!cells[4 + i].empty()) e.props[property_names[i]] = std::stod(cells[4 + i]);
    } catch (const std::exception&) {
      throw DataError(where + ": a number does not parse");
    }
    pool.add(std::move(e));
  }
  return pool;
}

}  // namespace retort::al
