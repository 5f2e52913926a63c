// Logging: one line per message, serialised across threads, timestamped.
#include "core/log.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <string_view>

namespace retort::log {
namespace {

Level initial_level() {
  const char* env = std::getenv("RETORT_LOG");
  if (!env) return Level::info;
  std::string_view v(env);
  if (v == "debug") return Level::debug;
  if (v == "warn") return Level::warn;
  if (v == "error") return Level::error;
  return Level::info;
}

Level g_level = initial_level();
std::mutex g_mutex;
const char* kNames[] = {"debug", "info", "warn", "error"};

}  // namespace

void set_level(Level level) { g_level = level; }
Level level() { return g_level; }

void write(Level lvl, const std::string& message) {
  if (lvl < g_level) return;
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  localtime_r(&now, &tm);
  char stamp[16];
  std::strftime(stamp, sizeof stamp, "%H:%M:%S", &tm);
  std::lock_guard<std::mutex> lock(g_mutex);
  std::fprintf(stderr, "[%s %s] %s\n", stamp, kNames[static_cast<int>(lvl)], message.c_str());
}

}  // namespace retort::log
