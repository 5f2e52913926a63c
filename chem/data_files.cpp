// Locating chem/data files (see data_files.h).
#include "chem/data_files.h"

#include <cstdlib>
#include <filesystem>

#include "chem/molecule.h"

#ifndef RETORT_CHEM_DATA_DIR
#define RETORT_CHEM_DATA_DIR ""
#endif

namespace retort::chem {

std::string chem_data_file(const std::string& name) {
  std::string tried;
  const char* env = std::getenv("RETORT_CHEM_DATA");
  for (const char* dir : {env, static_cast<const char*>(RETORT_CHEM_DATA_DIR)}) {
    if (!dir || !*dir) continue;
    std::filesystem::path p = std::filesystem::path(dir) / name;
    if (std::filesystem::exists(p)) return p.string();
    tried += (tried.empty() ? "" : ", ") + p.string();
  }
  throw ChemError("chem data file '" + name + "' not found (tried: " + (tried.empty() ? "nothing" : tried) +
                  "); set RETORT_CHEM_DATA to the folder holding chem/data");
}

}  // namespace retort::chem
