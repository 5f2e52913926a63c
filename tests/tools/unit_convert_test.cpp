// unit_convert against hand-checked values (CODATA 2018 constants; pen-and-paper arithmetic in comments).
#include <gtest/gtest.h>

#include "tools/unit_convert.h"

using retort::tools::convert_units;
using retort::tools::UnitError;

namespace {

double to(double value, const std::string& from, const std::string& to_unit, std::optional<double> molar_mass = {}) {
  return convert_units(value, from, to_unit, molar_mass).value;
}

std::string error_of(double value, const std::string& from, const std::string& to_unit,
                     std::optional<double> molar_mass = {}) {
  try {
    convert_units(value, from, to_unit, molar_mass);
  } catch (const UnitError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST(UnitConvert, Energy) {
  // 1 eV * N_A = 1.602176634e-19 J * 6.02214076e23 /mol = 96485.332 J/mol.
  EXPECT_NEAR(to(1, "eV", "kJ/mol"), 96.485332, 1e-6);
  // 96.485332 / 4.184 = 23.060548 kcal/mol.
  EXPECT_NEAR(to(1, "eV", "kcal/mol"), 23.060548, 1e-6);
  // 1 eV / (h c) = 1.602176634e-19 / (6.62607015e-34 * 2.99792458e10 cm/s) = 8065.5439 cm-1.
  EXPECT_NEAR(to(1, "eV", "cm-1"), 8065.5439, 1e-4);
  EXPECT_NEAR(to(1, "hartree", "eV"), 27.211386, 1e-6);
  EXPECT_NEAR(to(1, "hartree", "kcal/mol"), 627.5095, 1e-4);
  EXPECT_NEAR(to(1, "kcal/mol", "kJ/mol"), 4.184, 1e-12);
  EXPECT_NEAR(to(1, "kcal", "J"), 4184, 1e-9);
  EXPECT_NEAR(to(1, "THz", "cm-1"), 33.35641, 1e-5);  // 1e12 / 2.99792458e10
}

TEST(UnitConvert, PhotonWavelengthAndEnergy) {
  // hc = 1239.84198 eV nm.
  EXPECT_NEAR(to(500, "nm", "eV"), 2.4796840, 1e-6);
  EXPECT_NEAR(to(2, "eV", "nm"), 619.92099, 1e-5);
  EXPECT_NEAR(to(1000, "nm", "cm-1"), 10000, 1e-6);
  EXPECT_NEAR(to(254, "nm", "kJ/mol"), 470.971, 0.002);  // 1239.84198/254 * 96.485332
  EXPECT_EQ(error_of(0, "nm", "eV"), "a photon wavelength must be > 0");
}

TEST(UnitConvert, Temperature) {
  EXPECT_NEAR(to(25, "C", "K"), 298.15, 1e-12);
  EXPECT_NEAR(to(98.6, "F", "C"), 37, 1e-12);
  EXPECT_NEAR(to(-40, "C", "F"), -40, 1e-12);
  EXPECT_NEAR(to(0, "K", "°C"), -273.15, 1e-12);
  EXPECT_NEAR(to(212, "degF", "K"), 373.15, 1e-12);
  EXPECT_EQ(error_of(-5, "K", "C"), "-5 K is below absolute zero");
  EXPECT_EQ(error_of(-300, "C", "K"), "-300 C is below absolute zero");
}

TEST(UnitConvert, MassLengthVolumePressureTime) {
  EXPECT_NEAR(to(1, "lb", "g"), 453.59237, 1e-9);
  EXPECT_NEAR(to(250, "µg", "mg"), 0.25, 1e-15);
  EXPECT_NEAR(to(1, "angstrom", "bohr"), 1.8897261, 1e-7);
  EXPECT_NEAR(to(1.54, "Å", "nm"), 0.154, 1e-15);
  EXPECT_NEAR(to(1, "gal", "L"), 3.785411784, 1e-12);
  EXPECT_NEAR(to(5, "mL", "uL"), 5000, 1e-9);
  EXPECT_NEAR(to(1, "atm", "torr"), 760, 1e-9);
  EXPECT_NEAR(to(1, "atm", "mmHg"), 760.0, 1e-3);
  EXPECT_NEAR(to(1, "bar", "psi"), 14.503774, 1e-6);
  EXPECT_NEAR(to(1.5, "h", "min"), 90, 1e-12);
}

TEST(UnitConvert, ConcentrationAndAmountWithMolarMass) {
  EXPECT_NEAR(to(2.5, "mM", "uM"), 2500, 1e-9);
  EXPECT_NEAR(to(1, "mg/mL", "ug/mL"), 1000, 1e-9);
  // Glucose 100 mg/dL = 1000 mg/L; / 180.156 g/mol = 5.5507 mmol/L.
  EXPECT_NEAR(to(100, "mg/dL", "mmol/L", 180.156), 5.5507, 1e-4);
  // 10 mg aspirin / 180.159 g/mol = 55.507 umol.
  EXPECT_NEAR(to(10, "mg", "umol", 180.159), 55.507, 1e-3);
  EXPECT_NEAR(to(0.5, "mol", "g", 58.44), 29.22, 1e-9);
  EXPECT_NEAR(to(1, "uM", "ng/mL", 300), 300, 1e-9);
  EXPECT_EQ(error_of(100, "mg/dL", "mmol/L"),
            "converting mass concentration (mg/dL) to molar concentration (mmol/L) needs molar_mass in g/mol");
}

TEST(UnitConvert, NamesAndErrors) {
  EXPECT_NEAR(to(1, "ev", "KJ/MOL"), 96.485332, 1e-6);  // case-insensitive when unambiguous
  EXPECT_EQ(error_of(1, "MM", "M"), "unit 'MM' is ambiguous: units are case-sensitive (e.g. mM is millimolar, mm millimetre)");
  EXPECT_EQ(error_of(1, "furlong", "m"), "unknown unit 'furlong'");
  EXPECT_EQ(error_of(1, "g", "m"), "cannot convert mass (g) to length (m)");
  EXPECT_EQ(error_of(1, "kJ/mol", "K"), "cannot convert energy (kJ/mol) to temperature (K)");
  EXPECT_EQ(convert_units(1, "mm", "m").from, "mm");
  EXPECT_NEAR(to(1, "mm", "m"), 1e-3, 1e-18);
  EXPECT_NEAR(to(1, "mM", "M"), 1e-3, 1e-18);
}
