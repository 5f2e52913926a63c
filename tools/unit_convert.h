// Unit conversion for the unit_convert tool: mass, length, volume, amount, molar and mass concentration,
// temperature, energy (J, cal, eV, hartree, kJ/mol, kcal/mol, cm-1, Hz), pressure and time; across
// quantities: photon wavelength <-> energy (E = hc/lambda), and with a molar mass (g/mol) mass <-> amount
// and mass <-> molar concentration. Constants are CODATA 2018 exact SI values (h, c, e, N_A, k_B).
// Unit names are case-sensitive (mM is millimolar, mm millimetre); a case-insensitive spelling is accepted
// when it names one unit only. "u"/"µ"/"μ" all mean micro.
#pragma once
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace retort::tools {

struct UnitError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct UnitConversion {
  double value = 0;
  std::string from, to;   // canonical unit names
  std::string quantity;   // "energy", "length -> energy (photon)", ...
};

// Throws UnitError: unknown unit, incompatible quantities, a missing molar mass, below absolute zero.
UnitConversion convert_units(double value, const std::string& from, const std::string& to,
                             std::optional<double> molar_mass_g_per_mol = std::nullopt);

// Canonical unit names, for help texts.
std::vector<std::string> known_units();

}  // namespace retort::tools
