// Test helper: runs tests/chem/data/rdkit_reference.py with Debian's /usr/bin/python3 (python3-rdkit,
// the RDKit retort links) on a SMILES file and returns its rows, for the parity tests.
#pragma once
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace retort::chem::testing {

struct ReferenceRow {
  std::vector<std::string> f;  // the columns documented in rdkit_reference.py
  double d(size_t i) const { return std::stod(f.at(i)); }
  int n(size_t i) const { return std::stoi(f.at(i)); }
};

inline std::string zinc_1000_path() { return std::string(RETORT_SOURCE_DIR) + "/tests/chem/data/zinc_1000.csv"; }

inline std::vector<std::string> read_smiles(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line == "SMILES") continue;
    out.push_back(line);
  }
  return out;
}

// Rows of Python RDKit's values, in file order. Fails the test (not skips) when anything is missing.
inline std::vector<ReferenceRow> rdkit_reference(const std::string& smiles_file) {
  std::vector<ReferenceRow> rows;
  if (!std::filesystem::exists(smiles_file)) {
    ADD_FAILURE() << "parity data missing: " << smiles_file;
    return rows;
  }
  std::string script = std::string(RETORT_SOURCE_DIR) + "/tests/chem/data/rdkit_reference.py";
  std::string cmd = "/usr/bin/python3 '" + script + "' '" + smiles_file + "' 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) {
    ADD_FAILURE() << "cannot run " << cmd;
    return rows;
  }
  std::stringstream out;
  char buf[65536];
  while (size_t k = fread(buf, 1, sizeof buf, pipe)) out.write(buf, static_cast<std::streamsize>(k));
  int rc = pclose(pipe);
  if (rc != 0) {
    ADD_FAILURE() << "python RDKit reference failed (rc " << rc << "): " << out.str().substr(0, 2000);
    return rows;
  }
  std::string line;
  while (std::getline(out, line)) {
    ReferenceRow r;
    std::stringstream ls(line);
    std::string field;
    while (std::getline(ls, field, '\t')) r.f.push_back(field);
    if (line.back() == '\t') r.f.push_back("");
    rows.push_back(std::move(r));
  }
  return rows;
}

}  // namespace retort::chem::testing
