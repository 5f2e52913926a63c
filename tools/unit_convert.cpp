// Unit tables and conversions (see unit_convert.h).
#include "tools/unit_convert.h"

#include <cmath>
#include <cstdio>
#include <map>

namespace retort::tools {
namespace {

// CODATA 2018 (exact SI defining constants) and derived values.
constexpr double kPlanck = 6.62607015e-34;         // J s
constexpr double kSpeedOfLight = 299792458.0;      // m/s
constexpr double kElementaryCharge = 1.602176634e-19;  // C (J per eV)
constexpr double kAvogadro = 6.02214076e23;        // 1/mol
constexpr double kHartree = 4.3597447222071e-18;   // J (CODATA 2018)
constexpr double kBohr = 0.529177210903e-10;       // m (CODATA 2018)
constexpr double kDalton = 1.66053906660e-27;      // kg (CODATA 2018)

enum class Quantity { mass, length, volume, amount, molar_concentration, mass_concentration, temperature, energy,
                      pressure, time };

const char* quantity_name(Quantity q) {
  switch (q) {
    case Quantity::mass: return "mass";
    case Quantity::length: return "length";
    case Quantity::volume: return "volume";
    case Quantity::amount: return "amount";
    case Quantity::molar_concentration: return "molar concentration";
    case Quantity::mass_concentration: return "mass concentration";
    case Quantity::temperature: return "temperature";
    case Quantity::energy: return "energy";
    case Quantity::pressure: return "pressure";
    case Quantity::time: return "time";
  }
  return "?";
}

// value_in_base = value * factor + offset. Bases: kg, m, m3, mol, mol/L, g/L, K, J, Pa, s.
struct Unit {
  Quantity quantity;
  double factor;
  double offset = 0;
};

const std::map<std::string, Unit>& units() {
  using Q = Quantity;
  static const std::map<std::string, Unit> table = {
      // mass (kg)
      {"kg", {Q::mass, 1}}, {"g", {Q::mass, 1e-3}}, {"mg", {Q::mass, 1e-6}}, {"ug", {Q::mass, 1e-9}},
      {"ng", {Q::mass, 1e-12}}, {"pg", {Q::mass, 1e-15}}, {"t", {Q::mass, 1e3}}, {"lb", {Q::mass, 0.45359237}},
      {"oz", {Q::mass, 0.028349523125}}, {"Da", {Q::mass, kDalton}}, {"kDa", {Q::mass, 1e3 * kDalton}},
      // length (m)
      {"m", {Q::length, 1}}, {"km", {Q::length, 1e3}}, {"cm", {Q::length, 1e-2}}, {"mm", {Q::length, 1e-3}},
      {"um", {Q::length, 1e-6}}, {"nm", {Q::length, 1e-9}}, {"pm", {Q::length, 1e-12}},
      {"angstrom", {Q::length, 1e-10}}, {"bohr", {Q::length, kBohr}}, {"in", {Q::length, 0.0254}},
      {"ft", {Q::length, 0.3048}}, {"yd", {Q::length, 0.9144}}, {"mi", {Q::length, 1609.344}},
      // volume (m3)
      {"m3", {Q::volume, 1}}, {"L", {Q::volume, 1e-3}}, {"dL", {Q::volume, 1e-4}}, {"mL", {Q::volume, 1e-6}},
      {"uL", {Q::volume, 1e-9}}, {"nL", {Q::volume, 1e-12}}, {"cm3", {Q::volume, 1e-6}},
      {"mm3", {Q::volume, 1e-9}}, {"dm3", {Q::volume, 1e-3}}, {"gal", {Q::volume, 3.785411784e-3}},
      {"qt", {Q::volume, 9.46352946e-4}}, {"pt", {Q::volume, 4.73176473e-4}},
      {"fl_oz", {Q::volume, 2.95735295625e-5}}, {"tbsp", {Q::volume, 1.478676478125e-5}},
      {"tsp", {Q::volume, 4.92892159375e-6}},
      // amount (mol)
      {"mol", {Q::amount, 1}}, {"kmol", {Q::amount, 1e3}}, {"mmol", {Q::amount, 1e-3}},
      {"umol", {Q::amount, 1e-6}}, {"nmol", {Q::amount, 1e-9}}, {"pmol", {Q::amount, 1e-12}},
      {"molecules", {Q::amount, 1 / kAvogadro}},
      // molar concentration (mol/L)
      {"M", {Q::molar_concentration, 1}}, {"mM", {Q::molar_concentration, 1e-3}},
      {"uM", {Q::molar_concentration, 1e-6}}, {"nM", {Q::molar_concentration, 1e-9}},
      {"pM", {Q::molar_concentration, 1e-12}}, {"fM", {Q::molar_concentration, 1e-15}},
      {"mol/L", {Q::molar_concentration, 1}}, {"mmol/L", {Q::molar_concentration, 1e-3}},
      {"umol/L", {Q::molar_concentration, 1e-6}}, {"nmol/L", {Q::molar_concentration, 1e-9}},
      {"pmol/L", {Q::molar_concentration, 1e-12}}, {"mol/m3", {Q::molar_concentration, 1e-3}},
      {"mol/dm3", {Q::molar_concentration, 1}},
      // mass concentration (g/L)
      {"g/L", {Q::mass_concentration, 1}}, {"mg/L", {Q::mass_concentration, 1e-3}},
      {"ug/L", {Q::mass_concentration, 1e-6}}, {"ng/L", {Q::mass_concentration, 1e-9}},
      {"g/mL", {Q::mass_concentration, 1e3}}, {"mg/mL", {Q::mass_concentration, 1}},
      {"ug/mL", {Q::mass_concentration, 1e-3}}, {"ng/mL", {Q::mass_concentration, 1e-6}},
      {"g/dL", {Q::mass_concentration, 10}}, {"mg/dL", {Q::mass_concentration, 1e-2}},
      {"g/cm3", {Q::mass_concentration, 1e3}}, {"kg/m3", {Q::mass_concentration, 1}},
      {"kg/L", {Q::mass_concentration, 1e3}},
      // temperature (K)
      {"K", {Q::temperature, 1}}, {"C", {Q::temperature, 1, 273.15}},
      {"F", {Q::temperature, 5.0 / 9.0, 273.15 - 32 * 5.0 / 9.0}},
      // energy (J, per particle for the molar units)
      {"J", {Q::energy, 1}}, {"kJ", {Q::energy, 1e3}}, {"MJ", {Q::energy, 1e6}}, {"cal", {Q::energy, 4.184}},
      {"kcal", {Q::energy, 4184}}, {"erg", {Q::energy, 1e-7}}, {"eV", {Q::energy, kElementaryCharge}},
      {"meV", {Q::energy, 1e-3 * kElementaryCharge}}, {"keV", {Q::energy, 1e3 * kElementaryCharge}},
      {"hartree", {Q::energy, kHartree}}, {"J/mol", {Q::energy, 1 / kAvogadro}},
      {"kJ/mol", {Q::energy, 1e3 / kAvogadro}}, {"cal/mol", {Q::energy, 4.184 / kAvogadro}},
      {"kcal/mol", {Q::energy, 4184 / kAvogadro}}, {"cm-1", {Q::energy, kPlanck * kSpeedOfLight * 100}},
      {"Hz", {Q::energy, kPlanck}}, {"THz", {Q::energy, 1e12 * kPlanck}},
      // pressure (Pa)
      {"Pa", {Q::pressure, 1}}, {"kPa", {Q::pressure, 1e3}}, {"MPa", {Q::pressure, 1e6}},
      {"bar", {Q::pressure, 1e5}}, {"mbar", {Q::pressure, 1e2}}, {"atm", {Q::pressure, 101325}},
      {"torr", {Q::pressure, 101325.0 / 760}}, {"mmHg", {Q::pressure, 133.322387415}},
      {"psi", {Q::pressure, 6894.757293168361}},
      // time (s)
      {"s", {Q::time, 1}}, {"ms", {Q::time, 1e-3}}, {"us", {Q::time, 1e-6}}, {"ns", {Q::time, 1e-9}},
      {"ps", {Q::time, 1e-12}}, {"fs", {Q::time, 1e-15}}, {"min", {Q::time, 60}}, {"h", {Q::time, 3600}},
      {"day", {Q::time, 86400}},
  };
  return table;
}

const std::map<std::string, std::string>& aliases() {
  static const std::map<std::string, std::string> table = {
      {"gram", "g"}, {"grams", "g"}, {"kilogram", "kg"}, {"milligram", "mg"}, {"mcg", "ug"}, {"lbs", "lb"},
      {"amu", "Da"}, {"u", "Da"}, {"dalton", "Da"}, {"Å", "angstrom"}, {"Angstrom", "angstrom"},
      {"ang", "angstrom"}, {"A", "angstrom"}, {"a0", "bohr"}, {"meter", "m"}, {"metre", "m"}, {"inch", "in"},
      {"l", "L"}, {"ml", "mL"}, {"ul", "uL"}, {"dl", "dL"}, {"liter", "L"}, {"litre", "L"}, {"cc", "cm3"},
      {"m^3", "m3"}, {"cm^3", "cm3"}, {"dm^3", "dm3"}, {"mm^3", "mm3"}, {"mole", "mol"}, {"moles", "mol"},
      {"molar", "M"}, {"mol/l", "mol/L"}, {"mmol/l", "mmol/L"}, {"umol/l", "umol/L"}, {"nmol/l", "nmol/L"},
      {"mol/dm^3", "mol/dm3"}, {"mol/m^3", "mol/m3"}, {"g/l", "g/L"}, {"mg/l", "mg/L"}, {"ug/l", "ug/L"},
      {"g/ml", "g/mL"}, {"mg/ml", "mg/mL"}, {"ug/ml", "ug/mL"}, {"ng/ml", "ng/mL"}, {"mg/dl", "mg/dL"},
      {"g/dl", "g/dL"}, {"g/cc", "g/cm3"}, {"g/cm^3", "g/cm3"}, {"kg/m^3", "kg/m3"}, {"kelvin", "K"},
      {"°C", "C"}, {"degC", "C"}, {"celsius", "C"}, {"°F", "F"}, {"degF", "F"}, {"fahrenheit", "F"},
      {"joule", "J"}, {"Eh", "hartree"}, {"Ha", "hartree"}, {"au", "hartree"}, {"kj/mol", "kJ/mol"},
      {"kJ mol-1", "kJ/mol"}, {"kcal mol-1", "kcal/mol"}, {"cm^-1", "cm-1"}, {"1/cm", "cm-1"},
      {"wavenumber", "cm-1"}, {"wavenumbers", "cm-1"}, {"electronvolt", "eV"}, {"pascal", "Pa"},
      {"Torr", "torr"}, {"sec", "s"}, {"second", "s"}, {"seconds", "s"}, {"hr", "h"}, {"hour", "h"},
      {"hours", "h"}, {"days", "day"}, {"d", "day"},
  };
  return table;
}

// "µg", "μM" -> "ug", "uM"; surrounding spaces removed.
std::string normalise_spelling(std::string s) {
  for (const char* micro : {"\xC2\xB5", "\xCE\xBC"}) {  // U+00B5 MICRO SIGN, U+03BC GREEK SMALL MU
    for (size_t at; (at = s.find(micro)) != std::string::npos;) s.replace(at, 2, "u");
  }
  while (!s.empty() && s.front() == ' ') s.erase(s.begin());
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::pair<std::string, Unit> resolve(const std::string& raw) {
  std::string name = normalise_spelling(raw);
  const auto& table = units();
  if (auto it = table.find(name); it != table.end()) return *it;
  if (auto a = aliases().find(name); a != aliases().end()) return {a->second, table.at(a->second)};
  // A case-insensitive spelling that names exactly one unit (e.g. "ev", "KCAL/MOL").
  std::string wanted = lower(name), match;
  int matches = 0;
  for (const auto& [n, u] : table) {
    if (lower(n) == wanted) {
      ++matches;
      match = n;
    }
  }
  if (matches == 1) return {match, table.at(match)};
  std::string shown = raw.size() > 30 ? raw.substr(0, 30) + "..." : raw;
  if (matches > 1) throw UnitError("unit '" + shown + "' is ambiguous: units are case-sensitive (e.g. mM is millimolar, mm millimetre)");
  throw UnitError("unknown unit '" + shown + "'");
}

std::string format(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

}  // namespace

UnitConversion convert_units(double value, const std::string& from_raw, const std::string& to_raw,
                             std::optional<double> molar_mass) {
  if (!std::isfinite(value)) throw UnitError("value must be a finite number");
  auto [from_name, from] = resolve(from_raw);
  auto [to_name, to] = resolve(to_raw);
  UnitConversion out;
  out.from = from_name;
  out.to = to_name;

  double base = value * from.factor + from.offset;
  if (from.quantity == Quantity::temperature && base < 0)
    throw UnitError(format(value) + " " + from_name + " is below absolute zero");
  if (molar_mass && !(*molar_mass > 0)) throw UnitError("molar_mass must be > 0 g/mol");

  Quantity a = from.quantity, b = to.quantity;
  std::string how = quantity_name(a);
  if (a != b) {
    auto needs_molar_mass = [&]() {
      if (!molar_mass)
        // out.from / out.to, not the structured bindings: clang before 16 cannot capture those.
        throw UnitError("converting " + std::string(quantity_name(a)) + " (" + out.from + ") to " + quantity_name(b) +
                        " (" + out.to + ") needs molar_mass in g/mol");
      return *molar_mass;
    };
    if (a == Quantity::length && b == Quantity::energy) {  // photon: E = h c / lambda
      if (base <= 0) throw UnitError("a photon wavelength must be > 0");
      base = kPlanck * kSpeedOfLight / base;
      how = "photon wavelength -> energy";
    } else if (a == Quantity::energy && b == Quantity::length) {
      if (base <= 0) throw UnitError("a photon energy must be > 0");
      base = kPlanck * kSpeedOfLight / base;
      how = "photon energy -> wavelength";
    } else if (a == Quantity::mass && b == Quantity::amount) {
      base = base * 1e3 / needs_molar_mass();  // kg -> g -> mol
      how = "mass -> amount";
    } else if (a == Quantity::amount && b == Quantity::mass) {
      base = base * needs_molar_mass() / 1e3;
      how = "amount -> mass";
    } else if (a == Quantity::mass_concentration && b == Quantity::molar_concentration) {
      base = base / needs_molar_mass();  // g/L -> mol/L
      how = "mass concentration -> molar concentration";
    } else if (a == Quantity::molar_concentration && b == Quantity::mass_concentration) {
      base = base * needs_molar_mass();
      how = "molar concentration -> mass concentration";
    } else {
      throw UnitError("cannot convert " + std::string(quantity_name(a)) + " (" + from_name + ") to " +
                      quantity_name(b) + " (" + to_name + ")");
    }
  }
  out.value = (base - to.offset) / to.factor;
  out.quantity = how;
  if (!std::isfinite(out.value)) throw UnitError("result is out of range");
  return out;
}

std::vector<std::string> known_units() {
  std::vector<std::string> out;
  for (const auto& [n, u] : units()) out.push_back(n);
  return out;
}

}  // namespace retort::tools
