// RDKit log capture: one shared std::ostream whose unbuffered streambuf appends to a thread_local
// string, installed as the destination of rdErrorLog and rdWarningLog.
#include "chem/rdkit_log.h"

#include <RDGeneral/RDLog.h>

#include <algorithm>
#include <mutex>
#include <ostream>
#include <sstream>
#include <streambuf>

namespace retort::chem {
namespace {

thread_local std::string t_log;
// Warnings of threads that never take their log would pile up: keep at most this much per thread.
constexpr size_t kMaxLogBytes = 16384;

// Unbuffered: every character goes straight to the calling thread's string.
class ThreadLocalBuf : public std::streambuf {
 protected:
  int_type overflow(int_type ch) override {
    if (ch != traits_type::eof() && t_log.size() < kMaxLogBytes) t_log.push_back(static_cast<char>(ch));
    return traits_type::not_eof(ch);
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    if (t_log.size() < kMaxLogBytes) t_log.append(s, std::min(static_cast<size_t>(n), kMaxLogBytes - t_log.size()));
    return n;
  }
};

// Never destroyed: RDKit's loggers (statics of libRDKitRDGeneral) flush this stream in their own
// destructors at exit, after this file's statics would be gone (ASan: SEGV in ostream::flush from
// ~rdLogger at exit, in every test_chem test).
std::ostream& capture_stream() {
  static auto* buf = new ThreadLocalBuf;
  static auto* stream = new std::ostream(buf);
  return *stream;
}

}  // namespace

void capture_rdkit_logs() {
  static std::once_flag once;
  std::call_once(once, [] {
    std::ostream& s = capture_stream();
    rdErrorLog = std::make_shared<boost::logging::rdLogger>(&s);
    rdWarningLog = std::make_shared<boost::logging::rdLogger>(&s);
    // Info/debug logs stay off (nullptr loggers write nothing).
  });
}

void clear_rdkit_log() { t_log.clear(); }

std::string take_rdkit_log() {
  std::string text;
  text.swap(t_log);
  std::istringstream lines(text);
  std::string line, out;
  while (std::getline(lines, line)) {
    // RDLog::toStream prefixes "[HH:MM:SS] ".
    if (line.size() >= 11 && line[0] == '[' && line[9] == ']') line = line.substr(11);
    for (const char* prefix : {"SMILES Parse Error: ", "SMARTS Parse Error: "}) {
      if (line.rfind(prefix, 0) == 0) line = line.substr(std::string(prefix).size());
    }
    // RDKit repeats the input ("... for input: 'C1CC'") and adds a "Failed parsing" line: drop both.
    if (size_t p = line.find(" for input: "); p != std::string::npos) line = line.substr(0, p);
    if (line.rfind("Failed parsing SMILES", 0) == 0 || line.rfind("Failed parsing SMARTS", 0) == 0) continue;
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
    if (line.empty() || out.find(line) != std::string::npos) continue;
    if (!out.empty()) out += "; ";
    out += line;
  }
  return out;
}

}  // namespace retort::chem
