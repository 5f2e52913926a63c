// The quantum-chemistry tools over the chem/ oracle: excited_states (xTB geometry + MOPAC INDO/S-CIS)
// and xtb_properties (GFN2-xTB single point or optimisation: energy, HOMO/LUMO, gap, dipole, charges).
// Both run external programs through the oracle's subprocess runner (argv, no shell, own temp dir,
// killed at the deadline). Absent when this build has no chem/oracle/oracle.h.
#pragma once
#include <memory>
#include <vector>

#include "tools/tool.h"

namespace retort::tools {

// Empty when the oracle is not part of this build.
std::vector<std::shared_ptr<Tool>> make_oracle_tools();

}  // namespace retort::tools
