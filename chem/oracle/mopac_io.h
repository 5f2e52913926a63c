// MOPAC 22 INDO/S-CIS: the input deck written from an XYZ geometry, and the excited-state table read
// back from the .out file ("CI trans.  energy frequency wavelength oscillator").
#pragma once
#include <string>

#include "chem/oracle/excited_state.h"

namespace retort::chem::oracle {

struct MopacCiSettings {
  int active_orbitals = 20;    // n of C.I.=(n,m)
  int doubly_occupied = 10;    // m of C.I.=(n,m); (10,10) would leave no virtual orbital
  int max_configurations = 400;  // MAXCI
  int states_written = 20;     // WRTCI
};

// The keyword line, e.g. "INDO CIS C.I.=(20,10) MAXCI=400 WRTCI=20 1SCF CHARGE=0".
std::string mopac_keywords(const MopacCiSettings& ci, int charge);

// The .mop deck for XYZ_TEXT (an XYZ file: count, comment, "El x y z" lines). Throws std::runtime_error
// naming the bad line when the XYZ text is malformed.
std::string mopac_input_from_xyz(const std::string& xyz_text, const MopacCiSettings& ci, int charge);

struct MopacParse {
  bool ok = false;
  ExcitedStates states;  // excited states only (the ground state, CI state 1, is not in the table)
  std::string error;     // when !ok: what was missing, or MOPAC's own error line
};

// Reads the excited-state table from MOPAC's .out text. Tolerates the table's absence by saying why
// (MOPAC's own messages when it printed any).
MopacParse parse_mopac_excited_states(const std::string& out_text);

// "Number of M.O.s in system: N" from MOPAC's output (printed when C.I.=(n,m) asks for more orbitals
// than a small molecule has), or -1.
int mopac_orbital_count(const std::string& out_text);
// "Index of highest M.O. requested in C.I.: K" (= occupied - m + n), printed with the above, or -1.
int mopac_highest_ci_orbital(const std::string& out_text);

}  // namespace retort::chem::oracle
