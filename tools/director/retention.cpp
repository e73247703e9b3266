// The state folder's retention policy: by age, then by size, oldest session first.
#include "retention.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <map>

namespace pav::director {
namespace fs = std::filesystem;

namespace {

constexpr double kStaleTemporarySeconds = 3600;

struct SessionFiles {
  std::string id;
  double newest = 0;  // seconds since the epoch
  uint64_t bytes = 0;
  std::vector<fs::path> files;
};

double modified(const struct stat& st) { return double(st.st_mtim.tv_sec) + double(st.st_mtim.tv_nsec) * 1e-9; }

}  // namespace

RetentionReport applyRetention(const std::string& stateDir, const RetentionDesc& desc,
                               const std::function<bool(const std::string& id)>& inUse, double nowWall) {
  RetentionReport report;
  const fs::path dir = fs::path(stateDir) / "sessions";
  std::map<std::string, SessionFiles> sessions;
  std::error_code error;
  for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    const fs::path path = it->path();
    const std::string name = path.filename().string();
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;  // only plain files
    if (name.empty()) continue;
    if (name[0] == '.') {
      // A temporary a crash left behind (pav/core/durable_file.h names them so).
      if (name.find(".tmp-") != std::string::npos && nowWall - modified(st) > kStaleTemporarySeconds) {
        if (fs::remove(path, error)) ++report.removedFiles, report.removedBytes += uint64_t(st.st_size);
        if (error) report.errors.push_back(path.string() + ": " + error.message());
        error.clear();
      }
      continue;
    }
    const std::string id = name.substr(0, name.find('.'));
    SessionFiles& s = sessions[id];
    s.id = id;
    s.newest = std::max(s.newest, modified(st));
    s.bytes += uint64_t(st.st_size);
    s.files.push_back(path);
  }
  if (error) report.errors.push_back(dir.string() + ": " + error.message());

  std::vector<SessionFiles*> order;
  for (auto& [id, s] : sessions) order.push_back(&s);
  std::sort(order.begin(), order.end(), [](const SessionFiles* a, const SessionFiles* b) {
    return a->newest != b->newest ? a->newest < b->newest : a->id < b->id;
  });
  uint64_t total = 0;
  for (const SessionFiles* s : order) total += s->bytes;
  const auto remove = [&](SessionFiles& s) {
    bool all = true;
    for (const fs::path& f : s.files) {
      std::error_code e;
      const uint64_t bytes = fs::file_size(f, e);
      if (fs::remove(f, e)) {
        ++report.removedFiles;
        report.removedBytes += e ? 0 : bytes;
      } else if (e) {
        all = false;
        report.errors.push_back(f.string() + ": " + e.message());
      }
    }
    if (all) report.removedSessions.push_back(s.id);
    total -= std::min(total, s.bytes);
  };
  const double maxAge = desc.keepDays * 86400.0;
  const uint64_t maxBytes = uint64_t(std::max(0.0, desc.keepGiB) * double(uint64_t(1) << 30));
  for (SessionFiles* s : order) {
    const bool old = desc.keepDays > 0 && nowWall - s->newest > maxAge;
    const bool over = desc.keepGiB > 0 && total > maxBytes;
    if ((old || over) && !(inUse && inUse(s->id))) remove(*s);
  }
  report.keptBytes = total;
  return report;
}

}  // namespace pav::director
