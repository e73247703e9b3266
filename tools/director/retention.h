// How long the director's state folder keeps what sessions leave in <stateDir>/sessions (each
// session's log, record, replay and kept-note, grouped by the session id before the first
// '.'): a session's files go once its newest is older than `keepDays`, and, oldest session
// first, while the folder holds more than `keepGiB`. Never touched: a session `inUse` says is
// still running (or still writing its replay), and <stateDir>/kept, where an operator's kept
// replays are (not counted either). Temporaries a crash left (".name.tmp-XXXXXX") go after an
// hour. The director applies it at start and every kRetentionSeconds, not per tick.
//
//   RetentionReport r = applyRetention(dir, {.keepDays = 14, .keepGiB = 20}, inUse, wallSeconds());
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace pav::director {

constexpr double kRetentionSeconds = 3600;  // how often the director applies it

struct RetentionDesc {
  double keepDays = 14;  // 0: no limit by age
  double keepGiB = 20;   // 0: no limit by size
};

struct RetentionReport {
  std::vector<std::string> removedSessions;  // ids, oldest first
  uint64_t removedFiles = 0, removedBytes = 0;
  uint64_t keptBytes = 0;            // what <stateDir>/sessions holds afterwards
  std::vector<std::string> errors;   // files that could not be looked at or removed, with why
};

// `nowWall`: seconds since the epoch (the clock file times use).
RetentionReport applyRetention(const std::string& stateDir, const RetentionDesc& desc,
                               const std::function<bool(const std::string& id)>& inUse, double nowWall);

}  // namespace pav::director
