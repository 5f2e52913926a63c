// Helpers shared by the tokenizer and chat-template tests: running the project's Python (RETORT_PYTHON)
// as a subprocess, reading files, and a fresh temporary directory.
#pragma once
#include <unistd.h>

#include <cstdio>
#include <filesystem>
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

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

inline std::filesystem::path fresh_temp_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / (name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace retort::model::tokenizer_testing
