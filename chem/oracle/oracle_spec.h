// The text forms of the oracle's settings, shared by `retort oracle`'s flags and `retort al`'s
// `oracle.*` config keys, so both spell a setting the same way:
//   geometry "gfnff" | "gfn2" | "gfn2:LEVEL"   conformers "openbabel" | "etkdg:K"   ci "N,M"
//   pick "first" | "bright:F"   pick_f "same" | "max:K" | "window:W"   wavelength_fit "A,B" | "A,B,C" | "none"
// Each apply_* sets its fields of OracleSettings or throws std::invalid_argument with a one-line reason
// that quotes the text (the caller prefixes the flag or key name).
#pragma once
#include <string>

#include "chem/oracle/oracle.h"

namespace retort::chem::oracle {

void apply_geometry_spec(const std::string& text, OracleSettings& settings);
void apply_conformer_spec(const std::string& text, OracleSettings& settings);
void apply_ci_spec(const std::string& text, OracleSettings& settings);
void apply_pick_spec(const std::string& text, OracleSettings& settings);
void apply_pick_f_spec(const std::string& text, OracleSettings& settings);
// Reported nm = A * INDO/S nm + C * (1239.84 / GFN2 gap eV) + B; "none" = the raw INDO/S wavelength.
void apply_wavelength_fit_spec(const std::string& text, OracleSettings& settings);

}  // namespace retort::chem::oracle
