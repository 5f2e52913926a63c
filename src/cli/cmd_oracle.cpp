// `retort oracle`: excited states (xtb + MOPAC INDO/S-CIS) for a file of SMILES, through the worker
// pool and SQLite cache of chem/oracle; writes the CSV in input order with a progress bar.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "chem/oracle/oracle_csv.h"
#include "chem/oracle/oracle_pool.h"
#include "chem/oracle/oracle_spec.h"
#include "chem/oracle/subprocess.h"
#include "cli/commands.h"
#include "core/progress.h"

namespace retort::cli {
namespace {

namespace oracle = retort::chem::oracle;

double parse_double(const std::string& option, const std::string& text) {
  try {
    std::size_t used = 0;
    double v = std::stod(text, &used);
    if (used == text.size()) return v;
  } catch (const std::exception&) {
  }
  throw UsageError("--" + option + ": expected a number, got '" + text + "'");
}

// The SMILES of one input line: its first whitespace-separated field (".smi" lines may carry a name).
std::string smiles_of_line(const std::string& line) {
  std::istringstream fields(line);
  std::string first;
  fields >> first;
  return first;
}

int run(const std::vector<std::string>& argv) {
  Args args(argv, {"no-gap"});
  args.allow_only({"in", "out", "workers", "cache", "timeout", "geometry", "ci", "maxci", "pick", "wavelength-fit",
                   "states", "memory-gb", "no-gap", "conformers", "pick-f", "help"});
  if (!args.positionals().empty()) throw UsageError("unexpected argument '" + args.positionals()[0] + "'");
  std::string in_path = args.require("in");
  std::string out_path = args.require("out");

  oracle::OracleSettings settings;
  int workers = args.get_int("workers", 2);
  if (workers < 1 || workers > 256) throw UsageError("--workers: expected 1..256, got " + std::to_string(workers));
  if (auto t = args.get("timeout")) {
    settings.timeout_seconds = parse_double("timeout", *t);
    if (settings.timeout_seconds <= 0) throw UsageError("--timeout: must be > 0 seconds");
  }
  // The text forms are chem/oracle/oracle_spec.h's, shared with `retort al`'s oracle.* keys.
  using SpecParser = void (*)(const std::string&, oracle::OracleSettings&);
  const std::pair<const char*, SpecParser> specs[] = {
      {"geometry", oracle::apply_geometry_spec},   {"conformers", oracle::apply_conformer_spec},
      {"ci", oracle::apply_ci_spec},               {"pick", oracle::apply_pick_spec},
      {"pick-f", oracle::apply_pick_f_spec},       {"wavelength-fit", oracle::apply_wavelength_fit_spec}};
  for (const auto& [option, parse] : specs) {
    auto text = args.get(option);
    if (!text) continue;
    try {
      parse(*text, settings);
    } catch (const std::invalid_argument& e) {
      throw UsageError("--" + std::string(option) + ": " + e.what());
    }
  }
  settings.compute_gap = !args.flag("no-gap");
  settings.ci.max_configurations = args.get_int("maxci", settings.ci.max_configurations);
  if (settings.ci.max_configurations < 1) throw UsageError("--maxci: must be >= 1");
  if (settings.wavelength_gap_coefficient != 0 && !settings.compute_gap)
    throw UsageError("--no-gap: the wavelength calibration uses the GFN2 gap (give --wavelength-fit A,B or none)");
  if (auto mem = args.get("memory-gb")) {
    double gb = parse_double("memory-gb", *mem);
    if (gb <= 0) throw UsageError("--memory-gb: must be > 0");
    settings.memory_limit_bytes = static_cast<std::size_t>(gb * (1ull << 30));
  }

  std::ifstream in(in_path);
  if (!in) throw std::runtime_error(in_path + ": cannot open for reading");
  std::vector<std::string> lines, smiles;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
    smiles.push_back(smiles_of_line(line));
  }
  std::ofstream out(out_path);
  if (!out) throw std::runtime_error(out_path + ": cannot open for writing");
  std::ofstream states_out;
  if (auto s = args.get("states")) {
    states_out.open(*s);
    if (!states_out) throw std::runtime_error(*s + ": cannot open for writing");
  }
  std::unique_ptr<oracle::OracleCache> cache;
  if (auto c = args.get("cache")) cache = std::make_unique<oracle::OracleCache>(*c);

  const char* env_path = std::getenv("PATH");
  for (const auto& program : {settings.xtb_program, settings.mopac_program})
    if (!oracle::find_executable(program, env_path ? env_path : ""))
      std::fprintf(stderr, "retort oracle: warning: %s not found on PATH; uncached molecules will fail with not_found\n",
                   program.c_str());

  oracle::OrderedOracleWriter writer(out, states_out.is_open() ? &states_out : nullptr);
  oracle::OraclePool pool(settings, workers, cache.get());
  ProgressBar bar("oracle", static_cast<int64_t>(smiles.size()));
  std::map<std::string, int> counts;
  int done = 0, hits = 0;
  auto start = std::chrono::steady_clock::now();
  pool.run(smiles, [&](std::size_t index, const oracle::OracleResult& result) {
    oracle::OracleResult row = result;
    row.input = lines[index];  // the CSV shows the line as given
    writer.add(index, row);
    ++counts[oracle::status_name(result.status)];
    hits += result.cache_hit ? 1 : 0;
    ++done;
    bar.update(done, std::to_string(counts["ok"]) + " ok, " + std::to_string(done - counts["ok"]) + " failed");
  });
  bar.finish();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::string summary;
  for (const auto& [status, n] : counts)
    if (status != "ok") summary += (summary.empty() ? "" : ", ") + status + " " + std::to_string(n);
  std::fprintf(stderr,
               "retort oracle: %zu lines, %d ok, %d failed%s%s%s, %d from cache, %.1f s (%.1f molecules/min, %d workers, %s)\n",
               smiles.size(), counts["ok"], done - counts["ok"], summary.empty() ? "" : " (", summary.c_str(),
               summary.empty() ? "" : ")", hits, seconds, seconds > 0 ? 60.0 * done / seconds : 0.0, workers,
               settings.method_name().c_str());
  if (!out) throw std::runtime_error(out_path + ": write failed");
  return 0;
}

}  // namespace

Command oracle_command() {
  return {"oracle", "excited states (xtb + MOPAC INDO/S) for molecules",
          "usage: retort oracle --in SMILES.txt --out OUT.csv [--workers N] [--cache PATH] [--timeout S]\n"
          "                     [--geometry gfnff|gfn2[:LEVEL]] [--no-gap] [--ci N,M] [--maxci K]\n"
          "                     [--pick first|bright:F] [--wavelength-fit A,B[,C]|none] [--states OUT.jsonl]\n"
          "                     [--memory-gb G] [--conformers openbabel|etkdg:K] [--pick-f same|max:K|window:W]\n"
          "\n"
          "Per molecule: Open Babel MMFF94 3D -> xtb --gfnff --opt -> (gfn2: xtb --gfn 2 --opt; else a GFN2\n"
          "single point for the HOMO-LUMO gap unless --no-gap) -> MOPAC INDO CIS C.I.=(N,M) 1SCF on the xTB\n"
          "geometry. Each job runs in its own temp dir with OMP_NUM_THREADS=1, a memory limit and a\n"
          "wall-clock timeout that kills its process group.\n"
          "\n"
          "Writes smiles,status,wavelength_nm,f_osc,gap_ev,seconds: one row per input line, in order.\n"
          "The SMILES of a line is its first whitespace-separated field. status is ok or a failure:\n"
          "parse_error, unsupported (open shell), conformer_failed, xtb_failed, mopac_failed, bad_output,\n"
          "timeout, not_found (xtb/mopac not on PATH), internal_error; failed rows leave numbers empty.\n"
          "\n"
          "  --workers N          parallel molecules (default 2)\n"
          "  --cache PATH         SQLite cache keyed by (canonical SMILES, method, settings); a hit runs nothing\n"
          "  --timeout S          wall-clock seconds per molecule, whole chain (default 120)\n"
          "  --geometry L         gfnff (default), or gfn2 / gfn2:LEVEL: adds a GFN2 optimisation (xtb --opt\n"
          "                       LEVEL: crude|sloppy|loose|lax|normal|tight; default normal; slower)\n"
          "  --ci N,M             INDO/S active space: N orbitals, M of them doubly occupied (default 20,10)\n"
          "  --maxci K            MAXCI, most configurations (default 400)\n"
          "  --pick RULE          first: the first excited state (default); bright:F: the first with f >= F\n"
          "  --pick-f RULE        f_osc: same (of the picked state, default), max:K (largest f of the lowest K\n"
          "                       states) or window:W (largest f within W eV of the first state)\n"
          "  --wavelength-fit F   A,B: report A*nm+B; A,B,C: A*nm+B+C*(1239.84/gap_eV) (calibrations against\n"
          "                       sTDA-xTB, chem/oracle/README.md); none: raw INDO/S nm\n"
          "  --states PATH        also write every excited state and failure message per line as JSONL\n"
          "  --memory-gb G        address-space limit of each xtb/mopac process (default 4)\n"
          "  --conformers C       start structures: openbabel (default: one Open Babel MMFF94 build) or\n"
          "                       etkdg:K (K RDKit ETKDG embeddings, each GFN-FF optimised; the lowest goes on)\n",
          run};
}

}  // namespace retort::cli
