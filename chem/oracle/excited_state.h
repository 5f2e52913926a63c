// One electronic excitation as the oracle reports it (from MOPAC's INDO/S-CIS table).
#pragma once
#include <vector>

namespace retort::chem::oracle {

struct ExcitedState {
  double energy_ev = 0;
  double wavelength_nm = 0;
  double oscillator_strength = 0;
};

using ExcitedStates = std::vector<ExcitedState>;  // lowest energy first

}  // namespace retort::chem::oracle
