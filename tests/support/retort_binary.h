// Test helper: where the built `retort` CLI is, for tests that run it as a subprocess.
#pragma once
#include <cstdlib>
#include <filesystem>

namespace retort::testing {

// RETORT_BINARY, else the `retort` next to (or above) this test executable in the build tree; empty
// when neither exists.
inline std::filesystem::path retort_binary() {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("RETORT_BINARY"); env && *env) return env;
  fs::path dir = fs::canonical("/proc/self/exe").parent_path();
  for (int up = 0; up < 3; ++up, dir = dir.parent_path())
    if (fs::is_regular_file(dir / "retort")) return dir / "retort";
  return {};
}

}  // namespace retort::testing
