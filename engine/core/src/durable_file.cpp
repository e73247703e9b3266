// Atomic, durable file writes: temporary, fsync, rename, fsync of the folder.
#include "pav/core/durable_file.h"

#include <fcntl.h>
#include <stdio.h>  // renameat2, RENAME_NOREPLACE (glibc 2.28)
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "pav/core/error.h"

namespace pav::core {
namespace {

[[noreturn]] void failErrno(const std::string& path, const char* what, int error) {
  fail("%s: %s: %s", path.c_str(), what, std::strerror(error));
}

std::string nameOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

void UniqueFd::reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

std::string folderOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

void syncFolder(const std::string& dir) {
  const UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) failErrno(dir, "cannot open the folder to sync it", errno);
  // EINVAL: a file system that cannot sync folders (nothing more to do there).
  if (::fsync(fd.get()) != 0 && errno != EINVAL) failErrno(dir, "cannot sync the folder", errno);
}

DurableFile::DurableFile(std::string path, unsigned mode) : path_(std::move(path)) {
  if (nameOf(path_).empty()) fail("%s: not a file name", path_.c_str());
  temp_ = folderOf(path_) + "/." + nameOf(path_) + ".tmp-XXXXXX";
  fd_.reset(::mkostemp(temp_.data(), O_CLOEXEC));
  if (!fd_) failErrno(path_, "cannot create a temporary file beside it", errno);
  if (::fchmod(fd_.get(), mode) != 0) {
    const int error = errno;
    ::unlink(temp_.c_str());
    failErrno(path_, "cannot set the temporary file's mode", error);
  }
}

DurableFile::~DurableFile() {
  if (!committed_ && !temp_.empty()) ::unlink(temp_.c_str());
}

void DurableFile::write(const void* data, size_t n) {
  const char* p = static_cast<const char*>(data);
  while (n > 0) {
    const ssize_t w = ::write(fd_.get(), p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) failErrno(path_, "cannot write", errno);
    p += w;
    n -= size_t(w);
  }
}

void DurableFile::commit(Replace replace) {
  if (::fsync(fd_.get()) != 0) failErrno(path_, "cannot sync", errno);
  const int fd = fd_.release();
  if (::close(fd) != 0) failErrno(path_, "cannot close", errno);
  if (replace == Replace::Yes) {
    if (::rename(temp_.c_str(), path_.c_str()) != 0) failErrno(path_, "cannot put the new file in place", errno);
  } else if (::renameat2(AT_FDCWD, temp_.c_str(), AT_FDCWD, path_.c_str(), RENAME_NOREPLACE) != 0) {
    const int error = errno;
    if (error == EEXIST) fail("%s: already exists (not overwritten)", path_.c_str());
    if (error != EINVAL && error != ENOSYS) failErrno(path_, "cannot put the new file in place", error);
    // A file system without RENAME_NOREPLACE: link(2) refuses an existing name as well.
    if (::link(temp_.c_str(), path_.c_str()) != 0) {
      if (errno == EEXIST) fail("%s: already exists (not overwritten)", path_.c_str());
      failErrno(path_, "cannot put the new file in place", errno);
    }
    ::unlink(temp_.c_str());
  }
  committed_ = true;
  syncFolder(folderOf(path_));
}

void writeFileDurably(const std::string& path, std::string_view bytes, Replace replace) {
  DurableFile file(path);
  file.write(bytes);
  file.commit(replace);
}

void copyFileDurably(const std::string& from, const std::string& to, Replace replace) {
  const UniqueFd in(::open(from.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in) failErrno(from, "cannot open", errno);
  DurableFile out(to);
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(in.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) failErrno(from, "cannot read", errno);
    if (n == 0) break;
    out.write(buffer, size_t(n));
  }
  out.commit(replace);
}

}  // namespace pav::core
