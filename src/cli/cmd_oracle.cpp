// `retort oracle`: excited states (xtb + MOPAC INDO/S) for molecules.
#include "cli/commands.h"

namespace retort::cli {
namespace {

int run(const std::vector<std::string>& argv) { return not_implemented("oracle"); }

}  // namespace

Command oracle_command() {
  return {"oracle", "excited states (xtb + MOPAC INDO/S) for molecules",
          "usage: retort oracle --in SMILES.txt --out OUT.csv [--workers N]\n"
          "\n"
          "Writes smiles,status,wavelength_nm,f_osc,gap_ev,seconds: one row per input line, in order.\n",
          run};
}

}  // namespace retort::cli
