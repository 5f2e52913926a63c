// ConfigKeyLog (see config_key_log.h): a thread-local stack of logs that Config's typed reads report to.
#include "core/config_key_log.h"

#include <algorithm>

namespace retort {
namespace {
thread_local ConfigKeyLog* current_log = nullptr;
}  // namespace

ConfigKeyLog::ConfigKeyLog() : outer_(current_log) { current_log = this; }

ConfigKeyLog::~ConfigKeyLog() { current_log = outer_; }

bool ConfigKeyLog::active() { return current_log != nullptr; }

void ConfigKeyLog::note(ConfigKeyRead read) {
  if (current_log == nullptr) return;
  auto& reads = current_log->reads_;
  if (std::any_of(reads.begin(), reads.end(), [&](const ConfigKeyRead& r) { return r.key == read.key; })) return;
  reads.push_back(std::move(read));
}

}  // namespace retort
