// The operator's desk on the director (issue 20): live views of what each visitor sees, and
// alerts a station raises (or the director raises for it) until an operator acknowledges them.
//
// Live views. A station sends a picture (View: a small JPEG of its left eye) only while someone
// watches it: every request that shows a picture (`ctl view`, the dashboard's card) renews a
// watch of that station for kWatchLeaseSeconds; the director tells the station how often to
// send (Watch {everySeconds}: kViewEverySeconds, kViewFastSeconds for an enlarged card, 0 when
// the last watch ran out). So nobody watching means no pictures on the control channel.
//
// Alerts. Kinds: a visitor calls for staff (call), the trainer is lost (trainer), the wheel is
// unplugged (wheel), the headset was taken off (headset, from the station's Health), the
// station stalls (stalled: more than kStalledMissedFrames frames missed between two reports, and
// more than kStalledOverUsual times what it usually misses: a station that is slow all along, a
// CPU renderer, shows its frame rate on its card and raises no alert).
// An alert stays open until acknowledged (`ctl ack ID`, the dashboard); while one of a kind is
// open for a station, the same kind there raises nothing new. The newest kMaxAlerts are kept.
//
//   LiveDesk desk;
//   desk.watch("station-3", now, false);          // a request that shows station-3's picture
//   int every = desk.wantedEvery("station-3", now);   // what the station should be told
//   desk.storeView("station-3", jpegBytes, 320, 180, now);
//   desk.raise("station-3", AlertKind::Call, "both grips held", now, wall);
//   desk.ack(7, wall);
//
// Everything here runs on the director's update() thread; it reads no clock.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace pav::director {

inline constexpr double kWatchLeaseSeconds = 6;  // a watch lasts this long after the request that made it
inline constexpr int kViewEverySeconds = 2;      // a watched station's picture rate
inline constexpr int kViewFastSeconds = 1;       // ...an enlarged one's
inline constexpr double kMinViewGapSeconds = 0.5;  // views closer than this are refused (rate limit)
inline constexpr uint64_t kStalledMissedFrames = 20;  // missed between two health reports (a second apart)
inline constexpr double kStalledOverUsual = 3.0;        // ...and this many times the station's usual misses
inline constexpr int kStalledUsualReports = 3;         // reports that make its usual before a stall is judged
inline constexpr size_t kMaxAlerts = 200;

enum class AlertKind : uint8_t { Call, Stalled, Trainer, Wheel, Headset };
std::string_view toString(AlertKind k);
// The kinds a station may send in an Alert (stalled and headset are the director's own).
std::optional<AlertKind> parseStationAlert(std::string_view text);

struct Alert {
  uint64_t id = 0;
  std::string station;
  AlertKind kind = AlertKind::Call;
  std::string detail;
  double raisedWall = 0;  // seconds since the epoch
  bool acked = false;
  double ackedWall = 0;
};

struct LiveView {
  std::string jpeg;  // the bytes
  int width = 0, height = 0;
  double at = -1;    // the director's clock when it came
  uint64_t serial = 0;
};

class LiveDesk {
 public:
  // ---- Live views ----
  // Someone looks at `station`'s picture now (fast: the enlarged card, a picture a second).
  void watch(const std::string& station, double now, bool fast);
  // How often `station` should send pictures now: 0 (nobody watches), kViewEverySeconds or kViewFastSeconds.
  int wantedEvery(const std::string& station, double now) const;
  // Stations watched now (for the log and the measure).
  size_t watched(double now) const;
  // "" when stored, else why the view was refused (too soon after the last one).
  std::string storeView(const std::string& station, std::string jpeg, int width, int height, double now);
  const LiveView* view(const std::string& station) const;
  uint64_t viewBytes() const { return viewBytes_; }  // JPEG bytes received so far
  uint64_t views() const { return viewCount_; }

  // ---- Alerts ----
  // Raises one unless one of this kind is open for the station; returns its id (0: already open).
  uint64_t raise(const std::string& station, AlertKind kind, const std::string& detail, double wall);
  // A station's report: raises `stalled` when its missed frames grew by more than
  // kStalledMissedFrames since its last report and by more than kStalledOverUsual times its
  // usual (a moving average, judged after kStalledUsualReports reports), `headset` when its
  // headset went off while `playing` (a session of it).
  void health(const std::string& station, uint64_t missedFrames, int present, bool playing, double wall);
  // False when there is no such alert (or it is acknowledged already: `already`).
  bool ack(uint64_t id, double wall, bool& already);
  size_t openAlerts() const;
  // {"alerts":[{id, station, kind, detail, raised, acked, ackedAt?}...]}, newest first; `all`:
  // the acknowledged ones too.
  nlohmann::json alertsJson(bool all) const;
  // A version that grows with every change to the alerts (the dashboard's cue to publish).
  uint64_t alertsVersion() const { return alertsVersion_; }

 private:
  struct Watch {
    double until = -1, fastUntil = -1;
  };
  std::map<std::string, Watch> watches_;
  std::map<std::string, LiveView> views_;
  uint64_t viewBytes_ = 0, viewCount_ = 0, serial_ = 0;
  struct Seen {
    uint64_t missed = 0;
    double usual = 0;  // missed frames per report, a moving average
    int reports = 0;
    int present = -1;
    bool any = false;
  };
  std::map<std::string, Seen> seen_;
  std::deque<Alert> alerts_;  // oldest first
  uint64_t nextId_ = 1, alertsVersion_ = 0;
};

}  // namespace pav::director
