// `retort eval`: metrics on the eval split (accuracy, RMSE, ROC-AUC, pass@k).
#include "cli/commands.h"

namespace retort::cli {
namespace {

int run(const std::vector<std::string>& argv) { return not_implemented("eval"); }

}  // namespace

Command eval_command() {
  return {"eval", "metrics on the eval split (accuracy, RMSE, ROC-AUC, pass@k)",
          "usage: retort eval CONFIG.json --checkpoint DIR [--set key=value ...]\n"
          "\n"
          "Evaluates the checkpoint DIR on the eval split named by CONFIG.json and prints the metrics.\n",
          run};
}

}  // namespace retort::cli
