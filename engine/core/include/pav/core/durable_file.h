// Files that survive crashes. Everything the floor writes that matters (session records, the
// session counter, recent.json, kept replays) goes through here: the new content is written to a
// temporary file in the same folder, fsync'd, renamed over the old name, and the folder is
// fsync'd, so after a crash (the process killed, the power cut) the file is either the old one
// whole or the new one whole, never half of each, and a rename that returned is on the disk.
//
//   core::writeFileDurably(dir + "/recent.json", json.dump() + "\n");        // replaces
//   core::copyFileDurably(from, kept, core::Replace::No);                    // never overwrites
//
// Every failure throws pav::Error "<path>: <what failed>: <errno text>" and leaves the old file
// (if any) as it was; the temporary is removed. UniqueFd owns a descriptor (RAII); the replay
// writer (pav/core/replay.h) uses it and syncFolder for its in-place, chunked file.
#pragma once

#include <string>
#include <string_view>

namespace pav::core {

// A file descriptor, closed when the owner goes away. Move-only.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& o) noexcept : fd_(o.release()) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    if (this != &o) reset(o.release());
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset(int fd = -1);

 private:
  int fd_ = -1;
};

enum class Replace { Yes, No };

// A new file being written: a temporary beside `path` until commit() puts it in place. Not
// committed (an exception on the way): the destructor removes the temporary.
class DurableFile {
 public:
  // Creates "<dir>/.<name>.tmp-XXXXXX" with `mode` (throws pav::Error naming `path`).
  explicit DurableFile(std::string path, unsigned mode = 0644);
  ~DurableFile();
  DurableFile(const DurableFile&) = delete;
  DurableFile& operator=(const DurableFile&) = delete;

  void write(const void* data, size_t n);  // all of it, or throws
  void write(std::string_view text) { write(text.data(), text.size()); }
  // fsync, close, rename (Replace::No: refuses an existing `path`, with the reason), fsync of
  // the folder.
  void commit(Replace replace = Replace::Yes);
  const std::string& path() const { return path_; }

 private:
  std::string path_, temp_;
  UniqueFd fd_;
  bool committed_ = false;
};

// The whole of `path` becomes `bytes`, atomically and durably.
void writeFileDurably(const std::string& path, std::string_view bytes, Replace replace = Replace::Yes);
// `to` becomes a copy of `from` (read in pieces: any size), atomically and durably.
void copyFileDurably(const std::string& from, const std::string& to, Replace replace = Replace::No);
// fsync of a folder: makes an entry created, renamed or removed in it durable.
void syncFolder(const std::string& dir);
// The folder part of a path ("." when there is none).
std::string folderOf(const std::string& path);

}  // namespace pav::core
