// The excited-state oracle pipeline for one molecule (see oracle.h): parse, 3D, xtb, MOPAC, pick.
#include "chem/oracle/oracle.h"

#include <GraphMol/ROMol.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "chem/conformer.h"
#include "chem/molecule.h"
#include "chem/oracle/subprocess.h"
#include "chem/oracle/xtb_io.h"

namespace retort::chem::oracle {
namespace fs = std::filesystem;

const char* status_name(OracleStatus status) {
  switch (status) {
    case OracleStatus::ok: return "ok";
    case OracleStatus::parse_error: return "parse_error";
    case OracleStatus::unsupported: return "unsupported";
    case OracleStatus::conformer_failed: return "conformer_failed";
    case OracleStatus::xtb_failed: return "xtb_failed";
    case OracleStatus::mopac_failed: return "mopac_failed";
    case OracleStatus::bad_output: return "bad_output";
    case OracleStatus::timeout: return "timeout";
    case OracleStatus::not_found: return "not_found";
    case OracleStatus::internal_error: return "internal_error";
  }
  return "internal_error";
}

std::optional<OracleStatus> status_from_name(const std::string& name) {
  for (auto s : {OracleStatus::ok, OracleStatus::parse_error, OracleStatus::unsupported,
                 OracleStatus::conformer_failed, OracleStatus::xtb_failed, OracleStatus::mopac_failed,
                 OracleStatus::bad_output, OracleStatus::timeout, OracleStatus::not_found,
                 OracleStatus::internal_error})
    if (name == status_name(s)) return s;
  return std::nullopt;
}

bool status_is_cacheable(OracleStatus status) {
  // Program failures (crash, timeout, missing binary, garbage) may be environmental: never cached.
  return status == OracleStatus::ok || status == OracleStatus::parse_error || status == OracleStatus::unsupported ||
         status == OracleStatus::conformer_failed;
}

const char* geometry_name(GeometryLevel level) { return level == GeometryLevel::gfn2 ? "gfn2" : "gfnff"; }

std::string OracleSettings::method_name() const {
  std::ostringstream s;
  if (conformer_method == ConformerMethod::rdkit_etkdg) s << "etkdg" << conformer_count << "+";
  s << (geometry == GeometryLevel::gfn2 ? "gfnff+gfn2opt" + (gfn2_opt_level == "normal" ? "" : ":" + gfn2_opt_level)
                                       : (compute_gap ? "gfnff+gfn2sp" : "gfnff"))
    << "/indo-cis(" << ci.active_orbitals << "," << ci.doubly_occupied << ")";
  return s.str();
}

std::string OracleSettings::settings_text() const {
  std::ostringstream s;
  // The default start keeps its original text (and so every cached result's key).
  s << "v=1;conformer="
    << (conformer_method == ConformerMethod::openbabel_mmff94 ? std::string("openbabel_mmff94")
                                                               : "rdkit_etkdg*" + std::to_string(conformer_count))
    << ";seed=" << conformer_seed << ";geometry=" << geometry_name(geometry)
    << ";gfn2_opt=" << (geometry == GeometryLevel::gfn2 ? gfn2_opt_level : "-") << ";gap=" << compute_gap << ";ci=" << ci.active_orbitals << "," << ci.doubly_occupied
    << ";maxci=" << ci.max_configurations << ";wrtci=" << ci.states_written;
  return s.str();
}

std::string OracleSettings::settings_hash() const {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a 64
  for (unsigned char c : settings_text()) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

PreparedMolecule prepare_molecule(const std::string& smiles) {
  PreparedMolecule prepared;
  prepared.input = smiles;
  try {
    std::string text = smiles;
    while (!text.empty() && (text.back() == '\r' || text.back() == ' ' || text.back() == '\t')) text.pop_back();
    if (text.find_first_not_of(" \t") == std::string::npos) {
      prepared.status = OracleStatus::parse_error;
      prepared.message = "empty SMILES";
      return prepared;
    }
    std::string error;
    auto parsed = Molecule::try_from_smiles(text, &error);
    if (!parsed) {
      prepared.status = OracleStatus::parse_error;
      prepared.message = error.empty() ? "SMILES '" + text + "' does not parse" : error;
      return prepared;
    }
    Molecule mol = *parsed;
    if (text.find('.') != std::string::npos) mol = mol.largest_fragment();  // salts: the chromophore
    prepared.canonical_smiles = mol.canonical_smiles(true);
    prepared.charge = mol.formal_charge();
    int electrons = -prepared.charge;
    int radicals = 0;
    for (const auto* atom : mol.rdkit().atoms()) {
      electrons += atom->getAtomicNum() + static_cast<int>(atom->getTotalNumHs());
      radicals += static_cast<int>(atom->getNumRadicalElectrons());
    }
    prepared.electrons = electrons;
    if (electrons % 2 != 0 || radicals != 0) {
      prepared.status = OracleStatus::unsupported;
      prepared.message = "open-shell molecule (" + std::to_string(electrons) + " electrons, " +
                         std::to_string(radicals) + " radical electrons): the INDO/S-CIS oracle handles closed-shell singlets only";
      return prepared;
    }
  } catch (const std::exception& e) {
    prepared.status = OracleStatus::parse_error;
    prepared.message = e.what();
  }
  return prepared;
}

void apply_pick(OracleResult& result, const OracleSettings& settings) {
  result.wavelength_nm.reset();
  result.oscillator_strength.reset();
  if (result.status != OracleStatus::ok || result.states.empty()) return;
  const ExcitedState* chosen = &result.states.front();
  if (settings.pick.bright_threshold > 0) {
    for (const auto& s : result.states) {
      if (s.oscillator_strength >= settings.pick.bright_threshold) {
        chosen = &s;
        break;
      }
    }
  }
  double nm = settings.wavelength_scale * chosen->wavelength_nm + settings.wavelength_offset_nm;
  if (settings.wavelength_gap_coefficient != 0) {
    if (!result.gap_ev || *result.gap_ev <= 0) return;  // the calibration needs the gap: leave it unset
    nm += settings.wavelength_gap_coefficient * (1239.84193 / *result.gap_ev);
  }
  result.wavelength_nm = nm;
  double f = chosen->oscillator_strength;
  if (settings.pick.f_max_lowest > 0 || settings.pick.f_window_ev > 0) {
    f = 0;
    const double first_ev = result.states.front().energy_ev;
    for (std::size_t i = 0; i < result.states.size(); ++i) {
      const auto& s = result.states[i];
      bool in = settings.pick.f_max_lowest > 0 ? i < static_cast<std::size_t>(settings.pick.f_max_lowest)
                                               : s.energy_ev <= first_ev + settings.pick.f_window_ev;
      if (in) f = std::max(f, s.oscillator_strength);
    }
  }
  result.oscillator_strength = f;
}

namespace {

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  return static_cast<bool>(out);
}

// A short reason from a program's output: its last line mentioning an error, else its last line.
std::string last_words(const fs::path& stdout_path, const fs::path& stderr_path) {
  std::string last_error, last_line;
  for (const auto& path : {stdout_path, stderr_path}) {
    std::istringstream in(read_file(path));
    std::string line;
    while (std::getline(in, line)) {
      auto b = line.find_first_not_of(" \t#*-=|");
      if (b == std::string::npos) continue;
      line = line.substr(b);
      if (line.size() > 120) line.resize(120);
      if (line.find("rror") != std::string::npos || line.find("abnormal") != std::string::npos ||
          line.find("FAILED") != std::string::npos)
        last_error = line;
      last_line = line;
    }
  }
  return last_error.empty() ? last_line : last_error;
}

class Job {
 public:
  Job(const PreparedMolecule& molecule, const OracleSettings& settings, OracleResult& result)
      : molecule_(molecule), settings_(settings), result_(result),
        deadline_(std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(static_cast<long long>(settings.timeout_seconds * 1000))) {
    const char* env_path = std::getenv("PATH");
    search_path_ = settings.search_path.empty() ? (env_path ? env_path : "/usr/bin:/bin") : settings.search_path;
  }

  void run() {
    JobDirectory dir(settings_.temp_root);
    dir_ = dir.path();
    if (settings_.conformer_method == ConformerMethod::rdkit_etkdg) {
      if (!lowest_gfnff_conformer()) return;
    } else if (!embed(ConformerMethod::openbabel_mmff94)) {
      return;
    } else if (!gfnff_optimise()) {
      // GFN-FF occasionally crashes or diverges from a poor start (seen: SIGSEGV on 2 of 100
      // conjugated molecules). Retry once from an RDKit ETKDG structure; report the first failure
      // if that fails too.
      if (result_.status != OracleStatus::xtb_failed && result_.status != OracleStatus::bad_output) return;
      OracleStatus first_status = result_.status;
      std::string first_message = result_.message;
      if (!embed(ConformerMethod::rdkit_etkdg) || !gfnff_optimise()) {
        if (result_.status == OracleStatus::timeout || result_.status == OracleStatus::not_found) return;
        result_.status = first_status;
        result_.message = first_message + " (and again from an RDKit ETKDG start: " + result_.message + ")";
        return;
      }
      result_.message.clear();
    }
    if (!gfn2_step()) return;
    if (!mopac()) return;
    result_.status = OracleStatus::ok;
  }

 private:
  bool fail(OracleStatus status, const std::string& message) {
    result_.status = status;
    result_.message = message;
    return false;
  }

  // Runs PROGRAM ARGS in the job dir; maps every non-success to a typed failure with FAILED_STATUS.
  bool run_program(const std::string& program, const std::vector<std::string>& args, const std::string& stem,
                   OracleStatus failed_status, const std::string& what) {
    SubprocessRequest request;
    request.program = program;
    request.arguments = args;
    request.working_directory = dir_;
    request.search_path = search_path_;
    request.environment_overrides = {{"OMP_NUM_THREADS", "1"}, {"OMP_STACKSIZE", "256M"},
                                     {"OMP_MAX_ACTIVE_LEVELS", "1"}, {"OPENBLAS_NUM_THREADS", "1"},
                                     {"MKL_NUM_THREADS", "1"}};
    request.deadline = deadline_;
    request.address_space_limit_bytes = settings_.memory_limit_bytes;
    request.output_stem = stem;
    SubprocessResult r = run_subprocess(request);
    switch (r.outcome) {
      case SubprocessOutcome::exited:
        if (r.exit_code == 0) return true;
        return fail(failed_status, what + " failed: " + r.message + ": " + last_words(r.stdout_path, r.stderr_path));
      case SubprocessOutcome::signaled:
        return fail(failed_status, what + " failed: " + r.message);
      case SubprocessOutcome::timed_out:
        return fail(OracleStatus::timeout, what + ": " + r.message + " (timeout " +
                                               std::to_string(static_cast<int>(settings_.timeout_seconds)) + " s)");
      case SubprocessOutcome::not_found:
        return fail(OracleStatus::not_found, r.message);
      case SubprocessOutcome::spawn_failed:
        return fail(OracleStatus::internal_error, r.message);
    }
    return fail(OracleStatus::internal_error, what + ": unknown subprocess outcome");
  }

  bool embed(ConformerMethod method) { return embed(method, settings_.conformer_seed); }
  bool embed(ConformerMethod method, unsigned seed) {
    std::string xyz;
    try {
      // conformer_xyz serialises Open Babel itself (its force fields are process-wide instances).
      Molecule mol = Molecule::from_smiles(molecule_.canonical_smiles);
      xyz = conformer_xyz(mol, method, seed);
    } catch (const std::exception& e) {
      return fail(OracleStatus::conformer_failed, std::string("3D embedding failed: ") + e.what());
    }
    std::string problem = check_xyz(xyz);
    if (!problem.empty()) return fail(OracleStatus::conformer_failed, "3D embedding gave a bad XYZ: " + problem);
    atoms_ = xyz_atom_count(xyz);
    if (!write_file(dir_ / "start.xyz", xyz)) return fail(OracleStatus::internal_error, "cannot write " + (dir_ / "start.xyz").string());
    return true;
  }

  // Reads and checks an XYZ the last program wrote; renames it to TARGET.
  bool take_geometry(const std::string& produced, const std::string& target, OracleStatus, const std::string& what) {
    fs::path path = dir_ / produced;
    if (!fs::exists(path)) return fail(OracleStatus::bad_output, what + " exited 0 but wrote no " + produced);
    std::string text = read_file(path);
    std::string problem = check_xyz(text, atoms_);
    if (!problem.empty()) return fail(OracleStatus::bad_output, what + " wrote an unreadable " + produced + ": " + problem);
    std::error_code ec;
    fs::rename(path, dir_ / target, ec);
    if (ec) return fail(OracleStatus::internal_error, "cannot rename " + produced + ": " + ec.message());
    return true;
  }

  // CONFORMER_COUNT ETKDG starts, each GFN-FF optimised; keeps the lowest GFN-FF energy as gfnff.xyz.
  // A start that fails to embed or optimise is skipped; the chain fails only when all of them do (with
  // the last reason), or at once on a timeout or a missing xtb.
  bool lowest_gfnff_conformer() {
    int count = std::max(1, settings_.conformer_count);
    std::optional<double> best;
    for (int k = 0; k < count; ++k) {
      if (!embed(ConformerMethod::rdkit_etkdg, settings_.conformer_seed + static_cast<unsigned>(k)) || !gfnff_optimise()) {
        if (result_.status == OracleStatus::timeout || result_.status == OracleStatus::not_found ||
            result_.status == OracleStatus::internal_error)
          return false;
        continue;
      }
      auto energy = parse_xtb_xyz_energy(read_file(dir_ / "gfnff.xyz"));
      if (!energy) {
        fail(OracleStatus::bad_output, "xtb --gfnff --opt wrote no energy on xtbopt.xyz's comment line");
        continue;
      }
      if (!best || *energy < *best) {
        best = energy;
        std::error_code ec;
        fs::copy_file(dir_ / "gfnff.xyz", dir_ / "gfnff_best.xyz", fs::copy_options::overwrite_existing, ec);
        if (ec) return fail(OracleStatus::internal_error, "cannot copy gfnff.xyz: " + ec.message());
      }
    }
    if (!best) return false;  // every start failed: result_ holds the last reason
    std::error_code ec;
    fs::rename(dir_ / "gfnff_best.xyz", dir_ / "gfnff.xyz", ec);
    if (ec) return fail(OracleStatus::internal_error, "cannot rename gfnff_best.xyz: " + ec.message());
    result_.status = OracleStatus::internal_error;  // not yet ok: later steps decide
    result_.message.clear();
    return true;
  }

  bool gfnff_optimise() {
    std::string what = "xtb --gfnff --opt";
    if (!run_program(settings_.xtb_program, {"start.xyz", "--gfnff", "--opt", "--chrg", std::to_string(molecule_.charge)},
                     "xtb_gfnff", OracleStatus::xtb_failed, what))
      return false;
    geometry_file_ = "gfnff.xyz";
    return take_geometry("xtbopt.xyz", geometry_file_, OracleStatus::xtb_failed, what);
  }

  bool gfn2_step() {
    bool optimise = settings_.geometry == GeometryLevel::gfn2;
    if (!optimise && !settings_.compute_gap) return true;
    std::vector<std::string> args = {"gfnff.xyz", "--gfn", "2", "--json", "--chrg", std::to_string(molecule_.charge)};
    if (optimise) {
      args.push_back("--opt");
      args.push_back(settings_.gfn2_opt_level);
    }
    std::string what = optimise ? "xtb --gfn 2 --opt " + settings_.gfn2_opt_level : "xtb --gfn 2 (single point)";
    if (!run_program(settings_.xtb_program, args, "xtb_gfn2", OracleStatus::xtb_failed, what)) return false;
    std::string error;
    auto gap = parse_xtb_gap(read_file(dir_ / "xtbout.json"), &error);
    if (!gap) return fail(OracleStatus::bad_output, what + ": " + error);
    result_.gap_ev = *gap;
    if (optimise) {
      geometry_file_ = "gfn2.xyz";
      return take_geometry("xtbopt.xyz", geometry_file_, OracleStatus::xtb_failed, what);
    }
    return true;
  }

  bool mopac() {
    MopacCiSettings ci = settings_.ci;
    for (int attempt = 0; attempt < 2; ++attempt) {
      std::string deck;
      try {
        deck = mopac_input_from_xyz(read_file(dir_ / geometry_file_), ci, molecule_.charge);
      } catch (const std::exception& e) {
        return fail(OracleStatus::bad_output, e.what());
      }
      if (!write_file(dir_ / "indo.mop", deck)) return fail(OracleStatus::internal_error, "cannot write indo.mop");
      std::string what = "mopac " + mopac_keywords(ci, molecule_.charge);
      if (!run_program(settings_.mopac_program, {"indo.mop"}, "mopac", OracleStatus::mopac_failed, what)) return false;
      fs::path out = dir_ / "indo.out";
      if (!fs::exists(out)) return fail(OracleStatus::mopac_failed, "mopac exited 0 but wrote no indo.out");
      std::string text = read_file(out);
      MopacParse parse = parse_mopac_excited_states(text);
      if (parse.ok) {
        result_.states = std::move(parse.states);
        return true;
      }
      // A small molecule has fewer orbitals than C.I.=(n,m) reaches (MOPAC stops, printing its orbital
      // count and the highest orbital asked for): retry once with n lowered by the excess.
      int orbitals = mopac_orbital_count(text), highest = mopac_highest_ci_orbital(text);
      if (attempt == 0 && orbitals > 1 && highest > orbitals && ci.active_orbitals - (highest - orbitals) >= 2) {
        ci.active_orbitals -= highest - orbitals;
        ci.doubly_occupied = std::min(ci.doubly_occupied, ci.active_orbitals - 1);
        continue;
      }
      // MOPAC's own complaint (unsupported element, bad charge) is a MOPAC failure; a table that is
      // present but unreadable is garbage output.
      bool table_present = text.find("CI trans.") != std::string::npos;
      return fail(table_present ? OracleStatus::bad_output : OracleStatus::mopac_failed, parse.error);
    }
    return fail(OracleStatus::mopac_failed, "MOPAC gave no excited states");
  }

  const PreparedMolecule& molecule_;
  const OracleSettings& settings_;
  OracleResult& result_;
  std::chrono::steady_clock::time_point deadline_;
  std::string search_path_;
  fs::path dir_;
  std::string geometry_file_;
  int atoms_ = 0;
};

}  // namespace

OracleResult compute_excited_states(const PreparedMolecule& molecule, const OracleSettings& settings) {
  auto start = std::chrono::steady_clock::now();
  OracleResult result;
  result.input = molecule.input;
  result.canonical_smiles = molecule.canonical_smiles;
  if (molecule.status != OracleStatus::ok) {
    result.status = molecule.status;
    result.message = molecule.message;
  } else {
    try {
      Job(molecule, settings, result).run();
    } catch (const std::exception& e) {
      result.status = OracleStatus::internal_error;
      result.message = e.what();
    } catch (...) {
      result.status = OracleStatus::internal_error;
      result.message = "unknown exception in the oracle pipeline";
    }
  }
  if (result.status != OracleStatus::ok) {
    result.states.clear();
    result.gap_ev.reset();
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

OracleResult evaluate_smiles(const std::string& smiles, const OracleSettings& settings) {
  OracleResult result = compute_excited_states(prepare_molecule(smiles), settings);
  apply_pick(result, settings);
  return result;
}

}  // namespace retort::chem::oracle
