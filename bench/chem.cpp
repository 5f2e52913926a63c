// bench_chem: one thread pushes every SMILES of a CSV (first column, header skipped) through parse +
// canonical SMILES + MolWt + logP + TPSA + QED + Morgan(r=2, 2048 bits) with retort's chem/ and prints
// one JSON line {"molecules","failed","seconds","cpu_seconds","per_second","qed_sum","checksum"} (bench/chem.sh compares it
// against Python RDKit doing the same).
#include <chrono>
#include <ctime>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "chem/descriptors.h"
#include "chem/structure.h"

using namespace retort::chem;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: bench_chem SMILES.csv\n");
    return 2;
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::fprintf(stderr, "bench_chem: cannot read %s\n", argv[1]);
    return 1;
  }
  std::vector<std::string> smiles;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::string first = line.substr(0, line.find(','));
    if (!first.empty()) smiles.push_back(first);
  }
  // Warm-up outside the timing: QED's SMARTS tables are compiled on first use (Python compiles them at import).
  qed(Molecule::from_smiles("CCO"));

  int failed = 0;
  double qed_sum = 0, checksum = 0;
  auto t0 = std::chrono::steady_clock::now();
  const std::clock_t cpu0 = std::clock();
  for (const auto& s : smiles) {
    std::string error;
    auto mol = Molecule::try_from_smiles(s, &error);
    if (!mol) {
      ++failed;
      continue;
    }
    checksum += static_cast<double>(mol->canonical_smiles().size());
    checksum += mol_wt(*mol) + logp(*mol) + tpsa(*mol);
    qed_sum += qed(*mol);
    auto fp = morgan_fingerprint(*mol, 2, 2048);
    checksum += static_cast<double>(fp[0] & 1);
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  double cpu_seconds = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
  std::printf("{\"molecules\": %zu, \"failed\": %d, \"seconds\": %.4f, \"cpu_seconds\": %.4f, \"per_second\": %.1f, \"qed_sum\": %.9f, "
              "\"checksum\": %.6f}\n",
              smiles.size(), failed, seconds, cpu_seconds, smiles.size() / seconds, qed_sum, checksum);
  return 0;
}
