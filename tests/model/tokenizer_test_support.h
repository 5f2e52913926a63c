// Helpers shared by the tokenizer and chat-template tests: running the project's Python (RETORT_PYTHON)
// as a subprocess, reading and writing files, and a temporary directory. Plain POSIX calls, no
// std::filesystem: test_model links libtorch, which exports its own std::filesystem symbols, and
// std::filesystem::remove_all resolved into libtorch crashes (measured: SIGSEGV at address 0).
#pragma once
#include <ftw.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace retort::model::tokenizer_testing {

struct CommandResult {
  int exit_code;
  std::string output;  // stdout and stderr together
};

inline CommandResult run_command(const std::string& command) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return {-1, "popen failed"};
  std::string out;
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  return {pclose(pipe), out};
}

inline std::string quote(const std::string& s) { return "'" + s + "'"; }

// Runs tests/model/data/<script> with the project's Python and the given arguments.
inline CommandResult run_python_script(const std::string& script, const std::string& arguments) {
  return run_command(quote(RETORT_PYTHON) + " " + quote(std::string(RETORT_SOURCE_DIR) + "/tests/model/data/" + script) +
                     " " + arguments);
}

inline bool file_exists(const std::string& path) { return access(path.c_str(), R_OK) == 0; }

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// A new directory under /tmp, removed with its contents when the object goes away.
class TempDir {
 public:
  explicit TempDir(const std::string& name) {
    std::string pattern = "/tmp/" + name + "_XXXXXX";
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    if (path_.empty()) return;
    nftw(path_.c_str(), [](const char* p, const struct stat*, int, struct FTW*) { return ::remove(p); }, 16,
         FTW_DEPTH | FTW_PHYS);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& file) const { return path_ + "/" + file; }

 private:
  std::string path_;
};

}  // namespace retort::model::tokenizer_testing
