// A pavilion station's side of a session: it joins a server, sends its visitor's (or its bot's)
// inputs, and keeps a view of the session to draw.
//
// The view is two timelines, as in every good networked action game:
//   - the visitor's own object (mallet, car, bike) is predicted: the station runs its own copy
//     of the title with the title's own step, so the visitor sees their input at once whatever
//     the round trip; each server frame rewinds that copy (Title::apply), replays the inputs the
//     server had not yet used, and the difference is blended out over ~100 ms, never popped;
//   - everything else is interpolated between server frames a little in the past
//     (InterpolationBuffer), with the delay adapting to the link.
// Every Hello carries the seat's connect token (net/PROTOCOL.md, "Admission"). A dropped
// connection is retried every second with the seat's resume token too, so the station takes
// its seat back; the session plays on meanwhile (the server's bot holds the seat).
//
//   SessionStation station({.host = "127.0.0.1", .port = 7777, .title = "hockey", .connectToken = token});
//   for (;;) { station.update(clock.seconds(), bot ? nullptr : &deviceInput); draw(station.view()); }
//
// update() never blocks longer than the wait it is given: the render loop never waits on the
// network. No heap allocation per update once the session is set up.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pav/core/title.h"
#include "pav/net/interpolation.h"
#include "pav/net/link_state.h"
#include "pav/net/link_budget.h"
#include "pav/net/protocol.h"
#include "pav/net/snapshot.h"
#include "pav/net/transport.h"

namespace pav::net {

struct StationDesc {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  std::string title;         // empty: whatever the server plays
  std::optional<ConnectToken> connectToken;  // the seat's credential (token.h); none: resume only
  uint32_t protocol = 0;     // 0: this build's version (tests send others)
  uint64_t resumeToken = 0;  // a seat held before (a restarted station)
  uint32_t timeoutMs = 3000;
  double reconnectSeconds = 1.0;
  bool predict = true;       // false: the own object is interpolated like the rest
  double inputHz = 120;      // input packets per second at most (each carries every tick since)
  std::string dataDir;       // the title's assets (empty: built-in)
  int dscp = kDscpGame;      // QoS mark of the station's datagrams (transport.h); kDscpOff: none
};

enum class StationState { Connecting, Playing, Reconnecting, Ended, Refused };
const char* stateName(StationState s);

// The link as the visitor hears of it: LinkState (link_state.h).

struct StationStats {
  uint32_t rttMs = 0;
  double snapshotLoss = 0;        // fraction of snapshots that never arrived (recent)
  double upKbps = 0, downKbps = 0;
  double snapshotAgeMs = 0;       // how old the newest server frame is now
  double interpolationMs = 0;     // the buffer's delay
  double predictionErrorMm = 0;   // the last correction of the own object
  double maxPredictionErrorMm = 0;
  double jitterMs = 0;
  uint64_t snapshots = 0, malformed = 0, missingBaseline = 0, reconnects = 0, events = 0;
  uint64_t serverTick = 0, predictedTick = 0;
  // The link (net/PROTOCOL.md, "Outages"): snapshots received per second, the outages seen (no
  // snapshot for kOutageSeconds or more), and the corrections after them.
  double snapshotHz = 0;
  uint64_t outages = 0;
  double longestOutageMs = 0;
  std::vector<OutageRecord> recentOutages;  // the newest few, oldest first (correction: own or remote, mm)
  uint64_t snaps = 0;              // corrections too large to blend, taken at once (own and remote)
  double maxViewCorrectionMm = 0;  // the largest remote-object correction blended out
};

class SessionStation {
 public:
  explicit SessionStation(const StationDesc& desc);
  ~SessionStation();
  SessionStation(const SessionStation&) = delete;
  SessionStation& operator=(const SessionStation&) = delete;

  // `visitor`: this moment's input from the devices, or nullptr to let the title's bot play.
  void update(double now, const core::InputFrame* visitor, uint32_t waitMs = 0);

  StationState state() const { return state_; }
  const std::string& refusal() const { return refusal_; }
  const std::string& results() const { return results_; }
  int seat() const { return seat_; }
  uint64_t token() const { return token_; }
  // The station's copy of the title (predicted ahead); null before the Welcome.
  const core::Title* title() const { return title_.get(); }
  // The session's setup as the server sent it (valid with title()).
  const core::TitleSetup& setup() const { return setup_; }
  const core::StateSchema& schema() const { return schema_; }
  // What to draw now (valid once hasView()): the own object predicted, the rest interpolated.
  bool hasView() const { return hasView_; }
  const core::StateFrame& view() const { return view_; }
  // The server time (seconds) the interpolated part of the view shows.
  double viewTime() const { return viewTime_; }
  // The newest state received from the server, as decoded.
  const core::StateFrame& serverFrame() const { return serverFrame_; }
  const StationStats& stats() const { return stats_; }
  // Seconds until the session's play starts (the lobby and the 3-2-1 start: the server holds
  // the title until then), from the server's ticks in its Welcome less half the round trip; 0
  // once it started (or a snapshot of a stepped tick arrived); negative before the Welcome.
  double secondsToStart(double now) const;
  // The link at `now` (LinkState above). The server may hand over sooner or later than the
  // title's limit when its operator set ServerDesc::awaySeconds; the station uses the title's.
  LinkState linkState(double now) const;
  // One line for people, or one JSON object (nlohmann-json: keys in a fixed order, strings
  // escaped; the keys are those of StationStats in snake_case, with the state's name).
  std::string statsLine() const;
  std::string statsJson() const;

 private:
  void connect(double now);
  void onReceive(std::span<const uint8_t> data, double now);
  void onWelcome(std::span<const uint8_t> data, double now);
  void onSnapshot(std::span<const uint8_t> data, double now);
  void predict(double now, const core::InputFrame* visitor);
  void reconcile();
  void sendInputs();
  void buildView(double now);
  void smoothRemote(double now, int own);
  void updateRates(double now);

  StationDesc desc_;
  EnetLibrary enet_;
  Host host_;
  _ENetPeer* peer_ = nullptr;
  StationState state_ = StationState::Connecting;
  std::string refusal_, results_;
  double viewTime_ = 0;
  double startAt_ = -1;   // the station's clock when the play starts (-1: no Welcome yet)
  bool started_ = false;  // a snapshot of a stepped tick arrived
  double nextAttempt_ = 0, lastRate_ = -1, lastView_ = -1, nextInput_ = 0;
  int seat_ = -1;
  uint64_t token_ = 0;
  uint64_t ticksPerSnapshot_ = 1;

  std::unique_ptr<core::Title> title_;
  core::TitleSetup setup_;
  core::StateSchema schema_;
  std::optional<SnapshotCodec> codec_;
  std::optional<ServerClock> clock_;
  std::optional<InterpolationBuffer> buffer_;
  std::vector<QuantFrame> received_;  // recent snapshots, baselines for the next ones
  size_t receivedNext_ = 0;
  core::StateFrame serverFrame_, view_, own_;
  uint64_t newestTick_ = 0, reconciledTick_ = 0, serverInputTick_ = 0;
  bool needsReconcile_ = false, hasView_ = false;
  // Inputs by tick, for sending (redundantly) and replaying.
  std::vector<core::InputFrame> inputs_;
  std::vector<uint64_t> inputTicks_;
  std::vector<core::InputFrame> stepInputs_;
  glm::vec3 errorOffset_{0.0f};
  // Remote objects: what was sampled last frame, and the offset still being blended out after
  // the buffer ran dry (an outage) and frames came back.
  std::vector<glm::vec3> lastSample_, viewOffset_;
  bool lastSampleValid_ = false;
  std::vector<double> lastExtrapolation_;  // per object, the buffer's last (a hold's end is blended)
  double lastSnapshotAt_ = -1;  // the station's clock when the newest snapshot arrived
  LinkBudget outages_;          // the outage record (the station sends no budget)
  uint64_t snapshotsCounted_ = 0;
  Inputs outgoing_;
  std::vector<uint8_t> buffer8_;
  uint64_t bytesUp_ = 0, bytesDown_ = 0;
  StationStats stats_;
};

}  // namespace pav::net
