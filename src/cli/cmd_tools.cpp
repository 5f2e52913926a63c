// `retort tools`: the tool registry from the shell (list, call).
#include "cli/commands.h"

namespace retort::cli {
namespace {

int run(const std::vector<std::string>& argv) { return not_implemented("tools"); }

}  // namespace

Command tools_command() {
  return {"tools", "the tool registry from the shell (list, call)",
          "usage: retort tools list\n"
          "       retort tools call NAME --args JSON\n"
          "\n"
          "list prints every tool with its JSON schema; call prints {\"ok\": true, \"result\": ...} or\n"
          "{\"ok\": false, \"error\": \"...\"} (exactly what the model would see) and exits 0 either way.\n",
          run};
}

}  // namespace retort::cli
