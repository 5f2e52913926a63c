// Where chem/ finds the data files it ships (chem/data/): $RETORT_CHEM_DATA if set, else the source
// tree's chem/data, whose absolute path is compiled in (chem/CMakeLists.txt: RETORT_CHEM_DATA_DIR).
#pragma once
#include <string>

namespace retort::chem {

// Full path of chem/data/NAME; throws ChemError naming the directories tried when it is missing.
std::string chem_data_file(const std::string& name);

}  // namespace retort::chem
