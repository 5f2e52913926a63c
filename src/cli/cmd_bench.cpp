// `retort bench NAME`: runs benchmark bench/NAME.sh of the source tree this binary was built from,
// against this binary's build directory; the script prints one JSON line last. The benchmarks compare
// against peers that live in Python (transformers, RDKit), so they stay scripts and this only launches
// them (argv array, no shell string).
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "core/errors.h"

namespace retort::cli {
namespace {

namespace fs = std::filesystem;

fs::path bench_dir() { return fs::path(RETORT_SOURCE_DIR) / "bench"; }

// NAME -> the first comment line of bench/NAME.sh after the shebang.
std::vector<std::pair<std::string, std::string>> available_benchmarks() {
  std::vector<std::pair<std::string, std::string>> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(bench_dir(), ec)) {
    if (entry.path().extension() != ".sh") continue;
    std::ifstream in(entry.path());
    std::string line, summary;
    while (std::getline(in, line))
      if (line.rfind("# ", 0) == 0) {
        summary = line.substr(2);
        break;
      }
    out.emplace_back(entry.path().stem().string(), summary);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string listing() {
  std::string text;
  for (const auto& [name, summary] : available_benchmarks()) {
    char row[512];
    std::snprintf(row, sizeof row, "  %-14s %s\n", name.c_str(), summary.c_str());
    text += row;
  }
  return text.empty() ? "  (none: " + bench_dir().string() + " has no *.sh)\n" : text;
}

int run(const std::vector<std::string>& argv) {
  if (argv.empty()) throw UsageError("need a benchmark NAME; available:\n" + listing());
  const std::string& name = argv[0];
  if (name == "--list") {
    std::fputs(listing().c_str(), stdout);
    return 0;
  }
  fs::path script = bench_dir() / (name + ".sh");
  if (name.find('/') != std::string::npos || !fs::is_regular_file(script))
    throw UsageError("no benchmark '" + name + "' (" + script.string() + "); available:\n" + listing());
  // The build directory is where this binary lives (the scripts find bench_* binaries there).
  fs::path build_dir = fs::read_symlink("/proc/self/exe").parent_path();
  ::setenv("RETORT_BUILD_DIR", build_dir.c_str(), 1);
  std::vector<std::string> args = {"bash", script.string()};
  args.insert(args.end(), argv.begin() + 1, argv.end());
  std::vector<char*> c_args;
  for (auto& a : args) c_args.push_back(a.data());
  c_args.push_back(nullptr);
  std::fflush(stdout);
  ::execv("/bin/bash", c_args.data());
  throw IoError(std::string("could not start /bin/bash: ") + std::strerror(errno));
}

}  // namespace

Command bench_command() {
  return {"bench", "run a benchmark; prints one JSON line",
          "usage: retort bench NAME [ARGS...]\n"
          "       retort bench --list\n"
          "\n"
          "Runs bench/NAME.sh of the source tree against this binary's build directory; it prints one\n"
          "JSON line last with its figures and its ratio against a peer run in the same script.\n"
          "(scripts/bench NAME does the same after scripts/setup and scripts/build.)\n",
          run};
}

}  // namespace retort::cli
