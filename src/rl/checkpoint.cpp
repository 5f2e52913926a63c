// Atomic checkpoint directories (staging dir + fsync + rename, keep last K) and durable file writes.
#include "rl/checkpoint.h"

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/errors.h"

namespace fs = std::filesystem;

namespace retort::rl {
namespace {

std::function<int(const fs::path&)>& write_fault() {
  static std::function<int(const fs::path&)> fault;
  return fault;
}

[[noreturn]] void fail(const std::string& what, const fs::path& path, int err, const std::string& detail = "") {
  throw IoError("checkpoint: " + what + " " + path.string() + ": " + std::strerror(err) + detail);
}

void fsync_path(const fs::path& path, bool directory) {
  int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) fail("opening", path, errno);
  if (::fsync(fd) != 0) {
    int err = errno;
    ::close(fd);
    fail("syncing", path, err);
  }
  ::close(fd);
}

// Best-effort cleanup on an error path (the original error is the one to report).
void remove_tree_quietly(const fs::path& path) {
  try {
    remove_tree(path);
  } catch (...) {
  }
}

const std::string kStagingPrefix = ".staging-step-";
const std::string kTrashPrefix = ".deleting-step-";

std::optional<int64_t> parse_step_dir(const std::string& name) {
  if (name.rfind("step-", 0) != 0 || name.size() == 5) return std::nullopt;
  int64_t step = 0;
  for (size_t i = 5; i < name.size(); ++i) {
    if (name[i] < '0' || name[i] > '9') return std::nullopt;
    step = step * 10 + (name[i] - '0');
  }
  return step;
}

}  // namespace

void remove_tree(const fs::path& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return;
    fail("removing", path, errno);
  }
  auto remove_entry = [](const char* entry, const struct stat*, int, struct FTW*) -> int {
    return ::remove(entry) == 0 || errno == ENOENT ? 0 : -1;
  };
  if (::nftw(path.c_str(), remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0) fail("removing", path, errno);
}

void set_write_fault_for_testing(std::function<int(const fs::path&)> fault) { write_fault() = std::move(fault); }

void write_file_durably(const fs::path& path, std::string_view bytes) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail("creating", path, errno);
  size_t written = 0;
  auto fail_write = [&](int err) {
    ::close(fd);
    fail("writing", path, err, " (wrote " + std::to_string(written) + " of " + std::to_string(bytes.size()) + " bytes)");
  };
  if (write_fault())
    if (int err = write_fault()(path)) fail_write(err);
  while (written < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail_write(errno);
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) fail_write(errno);
  if (::close(fd) != 0) fail("closing", path, errno);
}

std::string read_file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("checkpoint: cannot read " + path.string() + ": " + std::strerror(errno));
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) throw IoError("checkpoint: error reading " + path.string());
  return out.str();
}

void fsync_directory(const fs::path& dir) { fsync_path(dir, true); }

CheckpointManager::CheckpointManager(fs::path root, int64_t keep_last) : root_(std::move(root)), keep_last_(keep_last) {
  if (keep_last_ < 1) throw ConfigError("checkpoints: keep_last must be >= 1, got " + std::to_string(keep_last_));
}

fs::path CheckpointManager::path_for(int64_t step) const { return root_ / ("step-" + std::to_string(step)); }

std::vector<int64_t> CheckpointManager::steps() const {
  std::vector<int64_t> out;
  std::error_code ec;
  if (!fs::is_directory(root_, ec)) return out;
  for (auto& entry : fs::directory_iterator(root_)) {
    if (!entry.is_directory()) continue;
    if (auto step = parse_step_dir(entry.path().filename().string())) out.push_back(*step);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<fs::path> CheckpointManager::latest() const {
  auto all = steps();
  if (all.empty()) return std::nullopt;
  return path_for(all.back());
}

void CheckpointManager::remove_stale_staging() const {
  for (auto& entry : fs::directory_iterator(root_)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(kStagingPrefix, 0) == 0 || name.rfind(kTrashPrefix, 0) == 0) remove_tree(entry.path());
  }
}

void CheckpointManager::prune() const {
  auto all = steps();
  if (static_cast<int64_t>(all.size()) <= keep_last_) return;
  // Rename first (atomic), delete after: a crash mid-delete leaves a trash directory, never a partial step-N.
  std::vector<fs::path> trash;
  for (size_t i = 0; i + keep_last_ < all.size(); ++i) {
    fs::path to = root_ / (kTrashPrefix + std::to_string(all[i]) + "-" + std::to_string(::getpid()));
    if (::rename(path_for(all[i]).c_str(), to.c_str()) != 0) fail("renaming", path_for(all[i]), errno);
    trash.push_back(to);
  }
  fsync_directory(root_);
  for (auto& t : trash) remove_tree(t);
}

fs::path CheckpointManager::save(int64_t step, const std::function<void(const fs::path&)>& write) {
  std::error_code ec;
  fs::create_directories(root_, ec);
  if (ec) throw IoError("checkpoint: cannot create " + root_.string() + ": " + ec.message());
  remove_stale_staging();
  const fs::path staging = root_ / (kStagingPrefix + std::to_string(step) + "-" + std::to_string(::getpid()));
  fs::create_directory(staging);
  try {
    write(staging);
    // Every file and directory under staging is made durable before it becomes visible.
    for (auto& entry : fs::recursive_directory_iterator(staging))
      fsync_path(entry.path(), entry.is_directory());
    fsync_directory(staging);
  } catch (...) {
    remove_tree_quietly(staging);
    throw;
  }
  const fs::path final_path = path_for(step);
  if (fs::exists(final_path)) {
    // Swap atomically, then drop the old contents (now under the staging name).
    if (::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, final_path.c_str(), RENAME_EXCHANGE) != 0) {
      int err = errno;
      remove_tree_quietly(staging);
      fail("replacing", final_path, err);
    }
    remove_tree_quietly(staging);
  } else if (::rename(staging.c_str(), final_path.c_str()) != 0) {
    int err = errno;
    remove_tree_quietly(staging);
    fail("renaming into", final_path, err);
  }
  fsync_directory(root_);
  prune();
  return final_path;
}

}  // namespace retort::rl
