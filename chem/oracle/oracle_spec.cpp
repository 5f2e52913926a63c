// Parses the text forms of the oracle's settings (oracle_spec.h).
#include "chem/oracle/oracle_spec.h"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace retort::chem::oracle {
namespace {

[[noreturn]] void bad(const std::string& expected, const std::string& text) {
  throw std::invalid_argument("expected " + expected + ", got '" + text + "'");
}

double number(const std::string& text, const std::string& expected, const std::string& whole) {
  try {
    std::size_t used = 0;
    double v = std::stod(text, &used);
    if (used == text.size()) return v;
  } catch (const std::exception&) {
  }
  bad(expected, whole);
}

// An integer in [lo, hi] written as text (e.g. the K of "etkdg:K").
int integer(const std::string& text, int lo, int hi, const std::string& expected, const std::string& whole) {
  double v = number(text, expected, whole);
  if (v < lo || v > hi || v != static_cast<int>(v)) bad(expected, whole);
  return static_cast<int>(v);
}

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

}  // namespace

void apply_geometry_spec(const std::string& text, OracleSettings& s) {
  static const std::set<std::string> levels = {"crude", "sloppy", "loose", "lax", "normal", "tight"};
  const std::string expected = "gfnff, gfn2 or gfn2:LEVEL with LEVEL one of crude, sloppy, loose, lax, normal, tight";
  if (text == "gfnff") {
    s.geometry = GeometryLevel::gfnff;
  } else if (text == "gfn2") {
    s.geometry = GeometryLevel::gfn2;
  } else if (starts_with(text, "gfn2:") && levels.count(text.substr(5))) {
    s.geometry = GeometryLevel::gfn2;
    s.gfn2_opt_level = text.substr(5);
  } else {
    bad(expected, text);
  }
}

void apply_conformer_spec(const std::string& text, OracleSettings& s) {
  const std::string expected = "openbabel or etkdg:K with an integer K in 1..100";
  if (text == "openbabel") {
    s.conformer_method = ConformerMethod::openbabel_mmff94;
    s.conformer_count = 1;
  } else if (starts_with(text, "etkdg:")) {
    s.conformer_count = integer(text.substr(6), 1, 100, expected, text);
    s.conformer_method = ConformerMethod::rdkit_etkdg;
  } else {
    bad(expected, text);
  }
}

void apply_ci_spec(const std::string& text, OracleSettings& s) {
  const std::string expected = "N,M with integers 0 < M < N (active orbitals, doubly occupied)";
  auto comma = text.find(',');
  if (comma == std::string::npos) bad(expected, text);
  int n = integer(text.substr(0, comma), 2, 1000, expected, text);
  int m = integer(text.substr(comma + 1), 1, 1000, expected, text);
  if (m >= n) bad(expected, text);
  s.ci.active_orbitals = n;
  s.ci.doubly_occupied = m;
}

void apply_pick_spec(const std::string& text, OracleSettings& s) {
  const std::string expected = "first or bright:F with F >= 0";
  if (text == "first") {
    s.pick.bright_threshold = 0;
  } else if (starts_with(text, "bright:")) {
    double f = number(text.substr(7), expected, text);
    if (!(f >= 0)) bad(expected, text);
    s.pick.bright_threshold = f;
  } else {
    bad(expected, text);
  }
}

void apply_pick_f_spec(const std::string& text, OracleSettings& s) {
  const std::string expected = "same, max:K with an integer K >= 1, or window:W with W > 0 eV";
  s.pick.f_max_lowest = 0;
  s.pick.f_window_ev = 0;
  if (starts_with(text, "max:")) {
    s.pick.f_max_lowest = integer(text.substr(4), 1, 1000, expected, text);
  } else if (starts_with(text, "window:")) {
    double w = number(text.substr(7), expected, text);
    if (!(w > 0)) bad(expected, text);
    s.pick.f_window_ev = w;
  } else if (text != "same") {
    bad(expected, text);
  }
}

void apply_wavelength_fit_spec(const std::string& text, OracleSettings& s) {
  const std::string expected = "A,B or A,B,C (nm = A * INDO/S nm + C * 1239.84 / gap eV + B) or none";
  s.wavelength_scale = 1;
  s.wavelength_offset_nm = 0;
  s.wavelength_gap_coefficient = 0;
  if (text == "none") return;
  auto commas = std::count(text.begin(), text.end(), ',');
  if (commas < 1 || commas > 2) bad(expected, text);
  auto first = text.find(','), second = text.find(',', first + 1);
  s.wavelength_scale = number(text.substr(0, first), expected, text);
  s.wavelength_offset_nm = number(text.substr(first + 1, second == std::string::npos ? std::string::npos : second - first - 1),
                                  expected, text);
  if (second != std::string::npos) s.wavelength_gap_coefficient = number(text.substr(second + 1), expected, text);
}

}  // namespace retort::chem::oracle
