// MOPAC INDO/S-CIS input deck and excited-state table parser (see mopac_io.h).
#include "chem/oracle/mopac_io.h"

#include <cmath>
#include <sstream>
#include <stdexcept>

#include "chem/oracle/xtb_io.h"

namespace retort::chem::oracle {

std::string mopac_keywords(const MopacCiSettings& ci, int charge) {
  std::ostringstream s;
  s << "INDO CIS C.I.=(" << ci.active_orbitals << "," << ci.doubly_occupied << ") MAXCI=" << ci.max_configurations
    << " WRTCI=" << ci.states_written << " 1SCF CHARGE=" << charge;
  return s.str();
}

std::string mopac_input_from_xyz(const std::string& xyz_text, const MopacCiSettings& ci, int charge) {
  std::string problem = check_xyz(xyz_text);
  if (!problem.empty()) throw std::runtime_error("XYZ geometry " + problem);
  std::istringstream in(xyz_text);
  std::string line;
  std::getline(in, line);
  int n = std::stoi(line);
  std::getline(in, line);
  std::ostringstream deck;
  deck << mopac_keywords(ci, charge) << "\n" << "retort oracle\n\n";
  deck.precision(8);
  deck << std::fixed;
  for (int i = 0; i < n; ++i) {
    std::getline(in, line);
    std::istringstream fields(line);
    std::string element;
    double x, y, z;
    fields >> element >> x >> y >> z;
    // "El x 1 y 1 z 1": the 1s are MOPAC's optimisation flags (ignored under 1SCF).
    deck << element << " " << x << " 1 " << y << " 1 " << z << " 1\n";
  }
  return deck.str();
}

namespace {

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

// MOPAC's reasons, from the box "Error and normal termination messages reported in this calculation"
// at the end of its output (e.g. "Data are not available for Xenon."), joined by "; ".
std::string mopac_error_line(const std::string& text) {
  auto box = text.find("Error and normal termination messages");
  if (box == std::string::npos) return "";
  std::istringstream in(text.substr(box));
  std::string line, reasons;
  std::getline(in, line);  // the box title
  while (std::getline(in, line)) {
    std::string t = trim(line);
    if (t.empty() || t[0] != '*') break;
    while (!t.empty() && (t.front() == '*' || t.front() == ' ')) t.erase(t.begin());
    while (!t.empty() && (t.back() == '*' || t.back() == ' ')) t.pop_back();
    if (t.empty()) continue;
    if (t == "JOB ENDED NORMALLY") continue;
    reasons += (reasons.empty() ? "" : "; ") + t;
  }
  return reasons;
}

}  // namespace

namespace {
int integer_after(const std::string& text, const std::string& key) {
  auto at = text.find(key);
  if (at == std::string::npos) return -1;
  std::istringstream rest(text.substr(at + key.size(), 40));
  int value = -1;
  if (!(rest >> value)) return -1;
  return value;
}
}  // namespace

int mopac_orbital_count(const std::string& out_text) { return integer_after(out_text, "Number of M.O.s in system:"); }

int mopac_highest_ci_orbital(const std::string& out_text) {
  return integer_after(out_text, "Index of highest M.O. requested in C.I.:");
}

MopacParse parse_mopac_excited_states(const std::string& out_text) {
  MopacParse parse;
  const std::string header = "CI trans.";
  auto at = out_text.find(header);
  if (at == std::string::npos) {
    std::string why = mopac_error_line(out_text);
    parse.error = why.empty() ? "no excited-state table ('CI trans.') in MOPAC output" : "MOPAC: " + why;
    return parse;
  }
  std::istringstream in(out_text.substr(at));
  std::string line;
  std::getline(in, line);  // "CI trans.  energy frequency wavelength oscillator ..."
  std::getline(in, line);  // " st.  symm.    eV      cm - 1       nm      strength ..."
  bool started = false;
  int line_number = 2;
  while (std::getline(in, line)) {
    ++line_number;
    std::string t = trim(line);
    if (t.empty()) {
      if (started) break;
      continue;
    }
    // Rows: state [symmetry] eV cm-1 nm f px py pz dipole dx dy dz. The symmetry column may be blank
    // or a label (e.g. "1A"); read numbers from the row's end-independent positions by tokenising.
    std::istringstream fields(t);
    std::vector<std::string> tokens;
    std::string tok;
    while (fields >> tok) tokens.push_back(tok);
    std::size_t k = 1;
    if (tokens.size() >= 13) k = 2;  // a symmetry label is present
    if (tokens.size() < k + 4) {
      parse.error = "MOPAC table row " + std::to_string(line_number) + " too short: '" + t.substr(0, 60) + "'";
      return parse;
    }
    ExcitedState s;
    try {
      std::size_t used = 0;
      std::stoi(tokens[0], &used);
      if (used != tokens[0].size()) throw std::invalid_argument("state");
      s.energy_ev = std::stod(tokens[k]);
      s.wavelength_nm = std::stod(tokens[k + 2]);
      s.oscillator_strength = std::stod(tokens[k + 3]);
    } catch (const std::exception&) {
      parse.error = "MOPAC table row unreadable: '" + t.substr(0, 60) + "'";
      return parse;
    }
    if (!std::isfinite(s.energy_ev) || !std::isfinite(s.wavelength_nm) || !std::isfinite(s.oscillator_strength) ||
        s.energy_ev <= 0 || s.wavelength_nm <= 0 || s.oscillator_strength < 0) {
      parse.error = "MOPAC table row out of range: '" + t.substr(0, 60) + "'";
      return parse;
    }
    parse.states.push_back(s);
    started = true;
  }
  if (parse.states.empty()) {
    parse.error = "MOPAC's excited-state table is empty (is the active space C.I.=(n,m) with n > m?)";
    return parse;
  }
  parse.ok = true;
  return parse;
}

}  // namespace retort::chem::oracle
