// XYZ checking and xtbout.json reading for the oracle (see xtb_io.h).
#include "chem/oracle/xtb_io.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

namespace retort::chem::oracle {

int xyz_atom_count(const std::string& text) {
  std::istringstream in(text);
  std::string first;
  if (!std::getline(in, first)) return -1;
  std::istringstream line(first);
  long n = -1;
  std::string rest;
  if (!(line >> n) || (line >> rest) || n < 0 || n > 100000) return -1;
  return static_cast<int>(n);
}

std::string check_xyz(const std::string& text, int expected_atoms) {
  int n = xyz_atom_count(text);
  if (n <= 0) return "line 1: expected a positive atom count";
  if (expected_atoms > 0 && n != expected_atoms)
    return "has " + std::to_string(n) + " atoms, expected " + std::to_string(expected_atoms);
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);  // count
  std::getline(in, line);  // comment
  for (int i = 0; i < n; ++i) {
    if (!std::getline(in, line)) return "ends after " + std::to_string(i) + " of " + std::to_string(n) + " atoms";
    std::istringstream fields(line);
    std::string element;
    double x, y, z;
    if (!(fields >> element >> x >> y >> z) || !std::isfinite(x) || !std::isfinite(y) || !std::isfinite(z) ||
        !std::isalpha(static_cast<unsigned char>(element[0]))) {
      return "line " + std::to_string(i + 3) + ": expected 'El x y z', got '" + line.substr(0, 60) + "'";
    }
  }
  return "";
}

std::optional<double> parse_xtb_xyz_energy(const std::string& xyz_text) {
  std::istringstream in(xyz_text);
  std::string count, comment;
  if (!std::getline(in, count) || !std::getline(in, comment)) return std::nullopt;
  auto at = comment.find("energy:");
  if (at == std::string::npos) return std::nullopt;
  std::istringstream rest(comment.substr(at + 7));
  double energy = 0;
  if (!(rest >> energy) || !std::isfinite(energy)) return std::nullopt;
  return energy;
}

std::optional<double> parse_xtb_gap(const std::string& json_text, std::string* error) {
  auto fail = [&](const std::string& why) -> std::optional<double> {
    if (error) *error = why;
    return std::nullopt;
  };
  nlohmann::json doc = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return fail("xtbout.json is not JSON");
  auto it = doc.find("HOMO-LUMO gap/eV");
  if (it == doc.end() || !it->is_number()) return fail("xtbout.json has no number 'HOMO-LUMO gap/eV'");
  double gap = it->get<double>();
  if (!std::isfinite(gap)) return fail("xtbout.json: HOMO-LUMO gap is not finite");
  return gap;
}

}  // namespace retort::chem::oracle
