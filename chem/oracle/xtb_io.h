// xtb's files as the oracle reads them: XYZ geometries (xtbopt.xyz) and the GFN2 HOMO-LUMO gap from
// xtbout.json ("HOMO-LUMO gap/eV").
#pragma once
#include <optional>
#include <string>

namespace retort::chem::oracle {

// Checks that TEXT is an XYZ file with EXPECTED_ATOMS atoms (0 = any) of finite coordinates; returns
// an empty string when fine, else the reason ("line 5: expected 'El x y z', got '...'").
std::string check_xyz(const std::string& text, int expected_atoms = 0);

// Number of atoms announced on the first line of an XYZ text, or -1.
int xyz_atom_count(const std::string& text);

// The energy (Eh) xtb writes on an optimised XYZ's comment line (" energy: -12.7193 gnorm: 0.0009 xtb: ..."),
// or nullopt when the comment line has no finite number after "energy:".
std::optional<double> parse_xtb_xyz_energy(const std::string& xyz_text);

// The HOMO-LUMO gap (eV) from xtbout.json text; nullopt and *error set when absent or not JSON.
std::optional<double> parse_xtb_gap(const std::string& json_text, std::string* error = nullptr);

}  // namespace retort::chem::oracle
