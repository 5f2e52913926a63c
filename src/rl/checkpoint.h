// Atomic checkpoint directories: files are written into a staging directory in the same parent,
// fsynced (files and directories), then renamed to step-N; only the last K are kept. A crash or a
// failed write at any moment leaves every earlier step-N intact and no half-written step-N.
// Torch-free (trainer_state.h puts the optimiser and RNG state into such a directory).
#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retort::rl {

// Writes BYTES to PATH (created or truncated) and fsyncs it. Throws IoError
// "checkpoint: writing PATH: <strerror> (wrote K of N bytes)" on any failure (ENOSPC, EFBIG, EIO, ...).
void write_file_durably(const std::filesystem::path& path, std::string_view bytes);
// The whole file; throws IoError naming PATH when it cannot be read.
std::string read_file_bytes(const std::filesystem::path& path);
// fsync of a directory (so renames and new entries in it are durable).
void fsync_directory(const std::filesystem::path& dir);

// Removes PATH and everything under it (no error when it does not exist); throws IoError on failure.
// Use this, not std::filesystem::remove_all: libtorch.so exports its own build of remove_all, which
// the dynamic linker binds in every binary linking LibTorch, and it crashes (null call) with GCC 12.
void remove_tree(const std::filesystem::path& path);

// For tests: called before each write_file_durably; a non-zero return is used as the errno of a
// failed write (e.g. ENOSPC). Pass nullptr to clear.
void set_write_fault_for_testing(std::function<int(const std::filesystem::path&)> fault);

class CheckpointManager {
 public:
  // ROOT holds step-N directories (created when missing). KEEP_LAST >= 1.
  CheckpointManager(std::filesystem::path root, int64_t keep_last);

  // Creates step-STEP atomically: WRITE fills the staging directory it is given (use
  // write_file_durably or any writer; every file is fsynced again before the rename). On an
  // exception the staging directory is removed and the exception propagates. An existing step-STEP
  // is replaced atomically (renameat2 RENAME_EXCHANGE). Returns the final path.
  std::filesystem::path save(int64_t step, const std::function<void(const std::filesystem::path&)>& write);

  // Complete checkpoints, oldest first; staging and half-deleted leftovers of a killed run are never
  // listed (pruning renames a step-N away before deleting it) and are removed by the next save.
  std::vector<int64_t> steps() const;
  std::optional<std::filesystem::path> latest() const;
  std::filesystem::path path_for(int64_t step) const;
  const std::filesystem::path& root() const { return root_; }

 private:
  void remove_stale_staging() const;
  void prune() const;
  std::filesystem::path root_;
  int64_t keep_last_;
};

}  // namespace retort::rl
