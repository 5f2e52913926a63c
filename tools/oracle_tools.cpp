// excited_states and xtb_properties (see oracle_tools.h).
#include "tools/oracle_tools.h"

#if __has_include("chem/oracle/oracle.h")
#define RETORT_TOOLS_HAVE_ORACLE 1
#include <cmath>
#include <fstream>
#include <sstream>

#include "chem/conformer.h"
#include "chem/molecule.h"
#include "chem/oracle/oracle.h"
#include "chem/oracle/subprocess.h"
#include "tools/chem_tools.h"
#include "tools/function_tool.h"
#endif

namespace retort::tools {

#ifdef RETORT_TOOLS_HAVE_ORACLE
namespace {

using nlohmann::json;
using nlohmann::ordered_json;
namespace oracle = chem::oracle;

constexpr int kMaxOracleHeavyAtoms = 40;
constexpr double kDebyePerAtomicUnit = 2.541746473;

ordered_json smiles_schema(ordered_json extra = ordered_json::object()) {
  ordered_json properties = {{"smiles", {{"type", "string"}, {"description", "SMILES of the molecule"},
                                         {"minLength", 1}, {"maxLength", kMaxSmilesLength}}}};
  for (auto& [k, v] : extra.items()) properties[k] = v;
  return {{"type", "object"}, {"properties", properties}, {"required", {"smiles"}}, {"additionalProperties", false}};
}

// Seconds the external programs may run: what the deadline leaves (less a margin), at most CAP.
double program_seconds(const Deadline& deadline, double cap) {
  if (deadline.is_never()) return cap;
  double left = std::chrono::duration<double>(deadline.remaining()).count() - 0.2;
  if (left <= 0) throw ToolError("no time left before the deadline");
  return std::min(left, cap);
}

oracle::PreparedMolecule prepare(const json& args) {
  auto prepared = oracle::prepare_molecule(args["smiles"].get<std::string>());
  if (prepared.status != oracle::OracleStatus::ok) throw ToolError(prepared.message);
  auto mol = chem::Molecule::from_smiles(prepared.canonical_smiles);
  if (mol.heavy_atoms() > kMaxOracleHeavyAtoms)
    throw ToolError("molecule has " + std::to_string(mol.heavy_atoms()) + " heavy atoms; the limit is " +
                    std::to_string(kMaxOracleHeavyAtoms));
  return prepared;
}

std::shared_ptr<Tool> excited_states() {
  return make_function_tool(
      "excited_states",
      "Lowest singlet excited states of a closed-shell molecule: GFN-FF (xTB) geometry, then MOPAC INDO/S-CIS. "
      "Returns the lowest excitation (wavelength nm, oscillator strength), up to 10 states, and the GFN2-xTB "
      "HOMO-LUMO gap. Takes seconds; up to " + std::to_string(kMaxOracleHeavyAtoms) + " heavy atoms.",
      smiles_schema(), [](const json& args, const Deadline& deadline) -> json {
        auto prepared = prepare(args);
        oracle::OracleSettings settings;
        settings.timeout_seconds = program_seconds(deadline, 120);
        oracle::OracleResult r = oracle::compute_excited_states(prepared, settings);
        oracle::apply_pick(r, settings);
        if (!r.ok()) throw ToolError(std::string(oracle::status_name(r.status)) + ": " + r.message);
        json states = json::array();
        for (size_t i = 0; i < r.states.size() && i < 10; ++i) {
          states.push_back({{"energy_ev", r.states[i].energy_ev},
                            {"wavelength_nm", r.states[i].wavelength_nm},
                            {"oscillator_strength", r.states[i].oscillator_strength}});
        }
        json out = {{"states", states}, {"method", settings.method_name()}};
        if (r.wavelength_nm) out["lowest_excitation"] = {{"wavelength_nm", *r.wavelength_nm},
                                                         {"oscillator_strength", r.oscillator_strength.value_or(0)}};
        if (r.gap_ev) out["homo_lumo_gap_ev"] = *r.gap_ev;
        return out;
      });
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::shared_ptr<Tool> xtb_properties() {
  return make_function_tool(
      "xtb_properties",
      "GFN2-xTB properties on an MMFF94 3D structure (optionally optimised with GFN2): total energy (hartree), "
      "HOMO and LUMO energies and gap (eV), dipole moment (debye) and partial charges. Takes up to seconds; up "
      "to " + std::to_string(kMaxOracleHeavyAtoms) + " heavy atoms.",
      smiles_schema({{"optimize", {{"type", "boolean"}, {"description", "GFN2 geometry optimisation first (default false)"}}}}),
      [](const json& args, const Deadline& deadline) -> json {
        auto prepared = prepare(args);
        bool optimize = args.value("optimize", false);
        auto mol = chem::Molecule::from_smiles(prepared.canonical_smiles);
        std::string xyz;
        try {
          xyz = chem::conformer_xyz(mol);
        } catch (const chem::ChemError& e) {
          throw ToolError(std::string("no 3D structure: ") + e.what());
        }
        oracle::JobDirectory dir({}, "retort-tool-xtb-");
        std::ofstream(dir.path() / "start.xyz") << xyz;
        oracle::SubprocessRequest request;
        request.program = "xtb";
        request.arguments = {"start.xyz", "--gfn", "2", "--chrg", std::to_string(prepared.charge), "--json"};
        if (prepared.electrons % 2) request.arguments.insert(request.arguments.end(), {"--uhf", "1"});
        if (optimize) request.arguments.push_back("--opt");
        request.working_directory = dir.path();
        const char* path = std::getenv("PATH");
        request.search_path = path ? path : "/usr/bin:/bin";
        request.environment_overrides = {{"OMP_NUM_THREADS", "1"}, {"OMP_STACKSIZE", "256M"}};
        auto seconds = program_seconds(deadline, 60);
        request.deadline = std::chrono::steady_clock::now() +
                           std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
        request.output_stem = "xtb";
        auto result = oracle::run_subprocess(request);
        if (!result.succeeded()) throw ToolError("xtb failed: " + result.message);
        json out;
        try {
          out = json::parse(read_text(dir.path() / "xtbout.json"));
        } catch (const json::exception&) {
          throw ToolError("xtb wrote no readable xtbout.json");
        }
        json answer = {{"method", optimize ? "GFN2-xTB optimised geometry" : "GFN2-xTB single point on MMFF94 geometry"}};
        if (out.contains("total energy")) answer["total_energy_hartree"] = out["total energy"];
        if (out.contains("HOMO-LUMO gap/eV")) answer["homo_lumo_gap_ev"] = out["HOMO-LUMO gap/eV"];
        if (out.contains("orbital energies/eV") && out.contains("fractional occupation")) {
          const auto& energies = out["orbital energies/eV"];
          const auto& occupation = out["fractional occupation"];
          int homo = -1;
          for (size_t i = 0; i < occupation.size() && i < energies.size(); ++i)
            if (occupation[i].get<double>() > 0.5) homo = static_cast<int>(i);
          if (homo >= 0) answer["homo_ev"] = energies[homo];
          if (homo + 1 < static_cast<int>(energies.size())) answer["lumo_ev"] = energies[homo + 1];
        }
        if (out.contains("dipole") && out["dipole"].size() == 3) {
          double x = out["dipole"][0], y = out["dipole"][1], z = out["dipole"][2];
          answer["dipole_debye"] = std::sqrt(x * x + y * y + z * z) * kDebyePerAtomicUnit;
        }
        if (out.contains("partial charges")) {
          json charges = json::array();
          for (const auto& q : out["partial charges"]) charges.push_back(std::round(q.get<double>() * 1000) / 1000);
          answer["partial_charges"] = charges;  // in the atom order of conformer_3d's XYZ
        }
        return answer;
      });
}

}  // namespace
#endif

std::vector<std::shared_ptr<Tool>> make_oracle_tools() {
#ifdef RETORT_TOOLS_HAVE_ORACLE
  return {excited_states(), xtb_properties()};
#else
  return {};
#endif
}

}  // namespace retort::tools
