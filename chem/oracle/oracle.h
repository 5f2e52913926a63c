// The excited-state oracle (DESIGN.md "Oracle"; issue 3 item 6): SMILES -> Open Babel MMFF94 3D ->
// `xtb --gfnff --opt` -> optionally `xtb --gfn 2 --opt` (else a GFN2 single point for the gap) ->
// MOPAC 22 INDO/S-CIS on the xTB geometry -> excited states, the chosen "lowest excitation"
// (wavelength nm, oscillator strength) and the GFN2 HOMO-LUMO gap. Every failure is a typed result.
#pragma once
#include <filesystem>
#include <optional>
#include <string>

#include "chem/conformer.h"
#include "chem/oracle/excited_state.h"
#include "chem/oracle/mopac_io.h"

namespace retort::chem::oracle {

enum class OracleStatus {
  ok,
  parse_error,       // the SMILES does not parse (or the line is empty)
  unsupported,       // odd electron count (radical: the closed-shell INDO/S-CIS here is singlets only)
  conformer_failed,  // no 3D structure from Open Babel
  xtb_failed,        // xtb exited non-zero, crashed or was killed by a signal
  mopac_failed,      // MOPAC exited non-zero, crashed, or printed no excited states
  bad_output,        // a program exited 0 but its output could not be read (garbage)
  timeout,           // the per-molecule wall-clock deadline passed; the job's process group was killed
  not_found,         // xtb or mopac is not on PATH
  internal_error,    // anything else (temp dir not creatable, ...)
};
const char* status_name(OracleStatus status);
std::optional<OracleStatus> status_from_name(const std::string& name);
// True for outcomes that depend on the molecule alone (worth caching); false for environmental ones.
bool status_is_cacheable(OracleStatus status);

enum class GeometryLevel { gfnff, gfn2 };
const char* geometry_name(GeometryLevel level);

// Which excitation is "the lowest": the first CI state, or the first one whose oscillator strength is
// at least bright_threshold (falls back to the first state when none is bright enough).
// The reported f_osc comes from the same state unless an f rule is set: the largest f among the lowest
// f_max_lowest states, or among the states within f_window_ev eV of the first (INDO/S orders close
// states differently from sTDA-xTB, so the bright state of a near-degenerate pair may come second).
struct StatePick {
  double bright_threshold = 0;  // 0 = first state
  int f_max_lowest = 0;         // > 0: f = max f of the lowest K states
  double f_window_ev = 0;       // > 0: f = max f of the states within W eV of the first
};

struct OracleSettings {
  GeometryLevel geometry = GeometryLevel::gfnff;
  std::string gfn2_opt_level = "normal";  // xtb --opt LEVEL for the GFN2 step: crude|sloppy|loose|normal|tight
  bool compute_gap = true;              // a GFN2 single point (or the GFN2 optimisation's) for the gap
  MopacCiSettings ci{};
  StatePick pick{};
  // Calibration: reported nm = scale * INDO/S nm + gap_coefficient * (1239.84 / GFN2 gap eV) + offset.
  double wavelength_scale = 1.0;
  double wavelength_offset_nm = 0.0;
  double wavelength_gap_coefficient = 0.0;  // non-zero needs compute_gap
  unsigned conformer_seed = 42;
  // Start structures: one Open Babel MMFF94 build (default), or CONFORMER_COUNT RDKit ETKDG embeddings
  // (seeds conformer_seed, +1, ...), each optimised by GFN-FF; the lowest GFN-FF energy goes on (the
  // sTDA-xTB labels' protocol: 10 ETKDG conformers, lowest after GFN-FF, then GFN2).
  ConformerMethod conformer_method = ConformerMethod::openbabel_mmff94;
  int conformer_count = 1;              // > 1 needs rdkit_etkdg (Open Babel's builder is deterministic)
  double timeout_seconds = 120;         // wall clock for the whole chain of one molecule
  std::size_t memory_limit_bytes = std::size_t(4) << 30;  // RLIMIT_AS of each program
  std::string search_path;              // PATH for xtb/mopac; empty = the process's $PATH
  std::filesystem::path temp_root;      // where job directories go; empty = $TMPDIR or /tmp
  std::string xtb_program = "xtb";
  std::string mopac_program = "mopac";

  // What the cached excited-state table depends on (not pick/calibration/timeout/paths).
  std::string method_name() const;    // e.g. "gfnff+gap/indo-cis(20,10)"
  std::string settings_text() const;  // every input of the computation, as "key=value;..."
  std::string settings_hash() const;  // 16 hex digits of FNV-1a over settings_text()
};

// A molecule parsed and checked, before any program runs (cheap; the cache key comes from here).
struct PreparedMolecule {
  std::string input;               // the line as given
  std::string canonical_smiles;    // empty when the SMILES did not parse
  int charge = 0;
  int electrons = 0;
  OracleStatus status = OracleStatus::ok;  // parse_error / unsupported / internal_error, or ok
  std::string message;
};
PreparedMolecule prepare_molecule(const std::string& smiles);

struct OracleResult {
  std::string input;
  std::string canonical_smiles;
  OracleStatus status = OracleStatus::internal_error;
  std::string message;            // one line: why it failed, or empty
  ExcitedStates states;           // every excited state MOPAC printed, lowest first
  std::optional<double> gap_ev;   // GFN2 HOMO-LUMO gap
  std::optional<double> wavelength_nm;        // picked and calibrated
  std::optional<double> oscillator_strength;  // of the picked state
  double seconds = 0;             // wall time spent on this molecule in this run (cache hit ~ 0)
  bool cache_hit = false;
  bool ok() const { return status == OracleStatus::ok; }
};

// Fills wavelength_nm / oscillator_strength of an ok RESULT from its states by SETTINGS' pick rule and
// calibration.
void apply_pick(OracleResult& result, const OracleSettings& settings);

// Runs the programs for one prepared molecule in its own temp dir. Never throws.
OracleResult compute_excited_states(const PreparedMolecule& molecule, const OracleSettings& settings);

// prepare_molecule + compute_excited_states + apply_pick, without a cache. Never throws.
OracleResult evaluate_smiles(const std::string& smiles, const OracleSettings& settings);

}  // namespace retort::chem::oracle
