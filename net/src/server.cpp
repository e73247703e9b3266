// The authoritative session server (see server.h).
#include "pav/net/server.h"

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <thread>

#include <nlohmann/json.hpp>

#include "pav/core/error.h"
#include "pav/core/log.h"
#include "pav/net/priority.h"
#include "pav/net/protocol.h"
#include "pav/net/token.h"

namespace pav::net {
namespace {

constexpr size_t kInputRing = 1024;   // ticks of input held per seat (2 s at 480 Hz)
constexpr size_t kHistory = 64;       // snapshots a baseline may be taken from
constexpr double kMaxCatchUp = 0.25;  // seconds of ticks stepped in one update at most
constexpr double kSkipSnapshots = 3;  // a snapshot over the budget that fits within this many more is skipped, not cut
constexpr size_t kBufferBytes = 64 * 1024;
// Peer slots: one per seat, as many again for connections not through their handshake, and a
// few to say a refusal. One machine may hold at most maxStations connections that have not
// shown a credential (a station per seat behind one address is fine; a laptop opening
// connections as fast as it can gets the rest reset at once), so a crowd from one machine
// never takes the slots the stations need.
int peerSlots(int maxStations) { return 2 * maxStations + 4; }
constexpr double kLiveHolderSeconds = 1.0;  // a seat's holder heard from this recently keeps it
constexpr double kInputWindowSeconds = 1.0;  // inputs for ticks this far either side of now (a
                                             // station predicts 0.5 s ahead at most)

}  // namespace

struct SessionServer::Station {
  _ENetPeer* peer = nullptr;  // the station's connection; null while it is away
  bool taken = false;         // a station has held this seat (its token is valid)
  uint64_t token = 0;          // the resume token of the seat's holder (random, 64 bits)
  double lastHeard = 0;        // server clock: the last packet from the holder
  uint64_t lastSent = 0;       // the newest snapshot tick sent to this seat (acks may not pass it)
  std::vector<core::InputFrame> inputs = std::vector<core::InputFrame>(kInputRing);
  std::vector<uint64_t> inputTicks = std::vector<uint64_t>(kInputRing, UINT64_MAX);
  core::InputFrame last{};
  uint64_t newestInput = 0;
  uint64_t ackTick = 0;
  uint64_t bytesUp = 0, bytesDown = 0;  // since the last rate update
  LinkBudget budget;
  double budgetBytes = 0;      // counted against the budget since the last rate update
  // The snapshots sent to this seat as it decodes them (a cut one holds stale objects at the
  // baseline's value), by (tick / ticksPerSnapshot) % kHistory: its baselines.
  std::vector<QuantFrame> sent;
  std::optional<SnapshotPrioritizer> priority;  // which objects a cut snapshot carries
  uint64_t missingStreak = 0;  // ticks in a row stepped without this station's input
  bool botPlaying = false;     // its inputs stopped past the title's awaySeconds
  double lastSample = 0;
  SeatStats stats;
};

SessionServer::SessionServer(const ServerDesc& desc)
    : desc_(desc), host_(Host::server(desc.port, peerSlots(desc.maxStations), desc.bind)),
      title_(core::createTitle(desc.title)), codec_([&] {
        PAV_CHECK(title_, "unknown title '%s'", desc.title.c_str());
        title_->setup(desc.setup);
        title_->describe(schema_);
        return schema_;
      }()) {
  PAV_CHECK(desc.snapshotHz > 0 && desc.snapshotHz <= title_->info().tickRateHz,
            "snapshot rate %.1f Hz: it must be above 0 and at most the title's tick rate (%.0f Hz)", desc.snapshotHz,
            title_->info().tickRateHz);
  ticksPerSnapshot_ = std::max<uint64_t>(1, uint64_t(std::lround(title_->info().tickRateHz / desc.snapshotHz)));
  PAV_CHECK(desc.holdSeconds >= 0 && desc.holdSeconds <= 3600, "hold of %.1f s: it must be 0 to 3600 s", desc.holdSeconds);
  holdTicks_ = uint64_t(std::llround(desc.holdSeconds * title_->info().tickRateHz));
  frame_.resize(schema_);
  history_.resize(kHistory);
  for (QuantFrame& q : history_) codec_.resize(q), q.tick = UINT64_MAX;
  PAV_CHECK(std::isfinite(desc.budgetKbps) && desc.budgetKbps >= 0 && desc.budgetKbps <= 1e6,
            "budget of %.1f kbps: it must be 0 (estimated) to 1000000 kbps", desc.budgetKbps);
  for (int seat = 0; seat < desc.setup.players; ++seat) {
    stations_.push_back(std::make_unique<Station>());
    stations_.back()->stats.seat = seat;
    stations_.back()->budget = LinkBudget({.operatorKbps = desc.budgetKbps});
    stations_.back()->stats.recentOutages.reserve(LinkBudget::kOutagesKept);
    stations_.back()->sent.resize(kHistory);
    for (QuantFrame& q : stations_.back()->sent) codec_.resize(q), q.tick = UINT64_MAX;
    stations_.back()->priority.emplace(schema_);
  }
  PAV_CHECK(std::isfinite(desc.awaySeconds) && desc.awaySeconds >= 0 && desc.awaySeconds <= 60,
            "away after %.1f s: it must be 0 (the title's) to 60 s", desc.awaySeconds);
  const double away = desc.awaySeconds > 0 ? desc.awaySeconds : title_->info().awaySeconds;
  awayTicks_ = uint64_t(std::max(1.0, std::ceil(away * title_->info().tickRateHz)));
  stepInputs_.resize(size_t(desc.setup.players));
  key_ = desc.key ? *desc.key : SessionKey::random();
  pending_.reserve(size_t(peerSlots(desc.maxStations)));
  inputWindow_ = std::min<uint64_t>(kInputRing / 2 - 1, uint64_t(std::lround(kInputWindowSeconds * title_->info().tickRateHz)));
  if (!desc.replayPath.empty()) replay_.emplace(desc.replayPath, title_->info(), desc.setup);
  buffer_.resize(kBufferBytes);
  host_.markDscp(desc.dscp);
  stats_.stations.resize(stations_.size());
  for (SeatStats& st : stats_.stations) st.recentOutages.reserve(LinkBudget::kOutagesKept);  // no allocation per second
  title_->capture(frame_);
  codec_.quantize(frame_, history_[0]);
  lastSnapshot_ = &history_[0];
  for (int i = 0; i < schema_.scalarCount; ++i) counters_[i] = int32_t(std::lround(frame_.scalars[i]));
  PAV_INFO("server: %s for %d seat(s) on port %u, %.0f Hz ticks, snapshots every %" PRIu64 " ticks",
            desc.title.c_str(), desc.setup.players, unsigned(port()), title_->info().tickRateHz, ticksPerSnapshot_);
}

SessionServer::~SessionServer() {
  for (auto& s : stations_)
    if (s->peer) host_.disconnect(s->peer);
  host_.flush();
}

uint16_t SessionServer::port() const { return host_.port(); }

uint64_t SessionServer::clockTick(double now) const {
  if (start_ < 0) return 0;
  const double ticks = (now - start_) / title_->dt() + double(holdTicks_);
  return ticks > 0 ? uint64_t(ticks) : 0;
}

int SessionServer::connectedStations() const {
  int n = 0;
  for (const auto& s : stations_) n += s->peer ? 1 : 0;
  return n;
}

void SessionServer::sendReliable(_ENetPeer* peer, std::span<const uint8_t> data) {
  if (!data.empty()) host_.send(peer, kChannelReliable, data, true);
}

// Which seat a Hello may take, or why not (net/PROTOCOL.md, "Admission").
std::string SessionServer::admit(_ENetPeer* peer, const Hello& hello, Station*& seat, bool& resumed) {
  const int seats = int(stations_.size());
  TokenClaims claims;
  TokenCheck check = TokenCheck::Malformed;
  if (hello.hasConnectToken) {
    check = openToken(key_, hello.connectToken, unixSeconds(), claims);
    if (check == TokenCheck::Ok && claims.title != desc_.title)
      return "the credential is for " + claims.title + ", this session plays " + desc_.title;
    if (check == TokenCheck::Ok && claims.seat >= seats)
      return "the credential is for seat " + std::to_string(claims.seat) + "; this session has " + std::to_string(seats);
    // A bad or expired credential with a resume token: the resume token has to do on its own.
    if (check != TokenCheck::Ok && !hello.resumeToken) return tokenCheckText(check);
  }
  const bool credential = check == TokenCheck::Ok;
  if (hello.resumeToken) {
    for (auto& s : stations_)
      if (s->taken && s->token == hello.resumeToken) seat = s.get();
    if (!seat) return "unknown resume token (the session may have restarted)";
    if (credential && claims.seat != seat->stats.seat)
      return "the credential is for seat " + std::to_string(claims.seat) + ", the resume token for seat " +
             std::to_string(seat->stats.seat);
    if (seat->peer && seat->peer != peer && !credential) {
      const int n = seat->stats.seat;
      seat = nullptr;
      return "seat " + std::to_string(n) + " is held by a connected station (taking it over needs the seat's credential too)";
    }
    resumed = true;
    return "";
  }
  if (!hello.hasConnectToken) return "no credential: a seat needs the connect token its director or server issued (--token)";
  Station* s = stations_[size_t(claims.seat)].get();
  // A live holder keeps its seat; one not heard from for a second (a station whose first
  // connection died before its Welcome arrived, so it has no resume token) gives way to the
  // seat's credential, and its connection is dropped.
  if (s->peer && s->peer != peer && now_ - s->lastHeard < kLiveHolderSeconds)
    return "seat " + std::to_string(claims.seat) + " is held by a connected station (its resume token takes it over)";
  seat = s;
  return "";
}

void SessionServer::onHello(_ENetPeer* peer, std::span<const uint8_t> data) {
  Hello hello;
  std::string reason;
  Station* seat = nullptr;
  bool resumed = false;
  if (auto* held = static_cast<Station*>(Host::userData(peer))) {
    reason = "this connection already holds seat " + std::to_string(held->stats.seat);
  } else if (!decodeHello(data, hello)) {
    ++stats_.malformed;
    reason = "malformed hello";
  } else if (hello.protocol != kProtocolVersion) {
    reason = "protocol version " + std::to_string(hello.protocol) + ", this server speaks " +
             std::to_string(kProtocolVersion);
  } else if (!hello.title.empty() && hello.title != desc_.title) {
    reason = "this session plays " + desc_.title + ", not " + hello.title;
  } else {
    reason = admit(peer, hello, seat, resumed);
  }
  if (!seat || !reason.empty()) {
    ++stats_.refused;
    if (logAllowed()) PAV_WARN("server: refused %s: %s", Host::address(peer).c_str(), reason.c_str());
    const size_t n = encodeRefused({reason}, buffer_);
    sendReliable(peer, std::span<const uint8_t>(buffer_.data(), n));
    // A seated connection keeps its seat; any other goes once the reason is out (and is reset
    // at its handshake deadline if it lingers).
    if (!Host::userData(peer)) host_.disconnectLater(peer);
    return;
  }
  unpend(peer);
  if (seat->peer && seat->peer != peer) {  // the old connection of a station that came back
    Host::setUserData(seat->peer, nullptr);
    host_.reset(seat->peer);
  }
  if (seat->taken) ++seat->stats.reconnects;
  seat->taken = true;
  // A new holder (by credential) gets a new resume token: the old holder's stops working.
  if (!resumed) seat->token = randomToken();
  seat->peer = peer;
  seat->ackTick = 0;
  seat->lastHeard = now_;
  Host::setUserData(peer, seat);
  Welcome w;
  w.title = desc_.title;
  w.seat = uint32_t(seat->stats.seat);
  w.token = seat->token;
  w.players = uint32_t(desc_.setup.players);
  w.seed = desc_.setup.seed;
  w.skill = uint32_t(desc_.setup.skill);
  w.durationMs = uint32_t(desc_.setup.durationSeconds * 1000);
  w.snapshotHz = uint32_t(std::lround(desc_.snapshotHz));
  w.serverTick = title_->tick();
  w.holdTicks = holdTicks_;
  w.clockTick = clockTick(now_);
  w.assists = uint32_t(desc_.setup.assists);
  const size_t n = encodeWelcome(w, buffer_);
  sendReliable(peer, std::span<const uint8_t>(buffer_.data(), n));
  PAV_INFO("server: station in seat %u %s", w.seat, seat->stats.reconnects ? "is back" : "joined");
}

// Lines caused by strangers' traffic: the first few, then one a second at most (the counts in
// the stats say how many there were).
bool SessionServer::logAllowed() {
  constexpr int kBurst = 20;
  if (strangerLines_ < kBurst || now_ - lastStrangerLine_ >= 1.0) {
    ++strangerLines_;
    lastStrangerLine_ = now_;
    return true;
  }
  return false;
}

void SessionServer::unpend(_ENetPeer* peer) {
  for (size_t i = 0; i < pending_.size(); ++i)
    if (pending_[i].peer == peer) {
      pending_[i] = pending_.back();
      pending_.pop_back();
      return;
    }
}

// Connections that never finished their handshake, and seated ones gone silent: reset (ENet
// frees the slot at once; the other side hears nothing, as after a crash).
void SessionServer::dropIdle(double now) {
  for (size_t i = 0; i < pending_.size();) {
    if (now - pending_[i].since < desc_.handshakeMs / 1000.0) {
      ++i;
      continue;
    }
    _ENetPeer* peer = pending_[i].peer;
    pending_[i] = pending_.back();
    pending_.pop_back();
    ++stats_.handshakeTimeouts;
    if (logAllowed()) PAV_WARN("server: dropped %s: no valid hello within %u ms", Host::address(peer).c_str(), desc_.handshakeMs);
    host_.reset(peer);
  }
  for (auto& s : stations_) {
    // Before the start a seated station has nothing to send: silence is no fault then.
    if (holding(now)) s->lastHeard = now;
    if (!s->peer || now - s->lastHeard < desc_.timeoutMs / 1000.0) continue;
    ++stats_.silentDropped;
    PAV_WARN("server: seat %d silent for %.1f s: dropped; the title's bot plays it until it returns", s->stats.seat,
             now - s->lastHeard);
    Host::setUserData(s->peer, nullptr);
    host_.reset(s->peer);
    s->peer = nullptr;
  }
}

void SessionServer::onDisconnect(_ENetPeer* peer) {
  unpend(peer);
  auto* s = static_cast<Station*>(Host::userData(peer));
  if (!s || s->peer != peer) return;
  s->peer = nullptr;
  PAV_INFO("server: station in seat %d left; the title's bot plays it until it returns", s->stats.seat);
}

void SessionServer::onReceive(_ENetPeer* peer, std::span<const uint8_t> data, uint8_t channel) {
  MessageType type{};
  auto* s = static_cast<Station*>(Host::userData(peer));
  if (s) {
    if (!holding(now_) && s->budget.onHeardAfter(now_, now_ - s->lastHeard))
      PAV_INFO("server: seat %d back after %.0f ms of silence (an outage)", s->stats.seat, (now_ - s->lastHeard) * 1000);
    s->lastHeard = now_;  // a seated connection that talks, even nonsense, is not silent
  }
  if (!peekType(data, type)) {
    ++stats_.malformed;
    return;
  }
  if (type == MessageType::Hello && channel == kChannelReliable) return onHello(peer, data);
  Inputs& in = incoming_;
  if (type != MessageType::Inputs || !s || !decodeInputs(data, in)) {
    ++stats_.malformed;
    return;
  }
  if (holding(now_)) return;  // the title is held at its set-up state: inputs are ignored
  s->bytesUp += data.size();
  s->stats.upBytes += data.size();
  const uint64_t now = title_->tick();
  // The whole packet is refused when it names a tick outside the window or acknowledges a
  // snapshot never sent: nothing of it is stored (one absurd tick once stopped a seat's snapshots).
  if (in.newestTick > now + inputWindow_ || in.newestTick + inputWindow_ < now || in.ackTick > s->lastSent) {
    ++stats_.inputsRefused;
    ++s->stats.inputsRefused;
    return;
  }
  s->ackTick = std::max(s->ackTick, in.ackTick);
  s->stats.interpolationMs = in.interpolationMs;
  s->stats.predictionErrorMm = in.predictionErrorMm;
  s->budget.onCorrection(now_, in.predictionErrorMm);
  s->stats.snapshotLossPermille = in.snapshotLoss;
  s->stats.snapshotAgeMs = in.snapshotAgeMs;
  for (uint32_t i = 0; i < in.count; ++i) {
    const uint64_t t = in.newestTick - in.count + 1 + i;
    if (t <= now || s->inputTicks[t % kInputRing] == t) continue;  // too late, or held already
    core::InputFrame& f = in.frames[i];
    if (!title_->checkInput(s->stats.seat, f)) {  // clamped in place, or refused
      ++stats_.inputsRefused;
      ++s->stats.inputsRefused;
      continue;
    }
    s->inputs[t % kInputRing] = f;
    s->inputTicks[t % kInputRing] = t;
  }
  s->newestInput = std::max(s->newestInput, in.newestTick);
}

void SessionServer::stepTick() {
  const uint64_t t = title_->tick() + 1;
  for (size_t seat = 0; seat < stations_.size(); ++seat) {
    Station& s = *stations_[seat];
    core::InputFrame& in = stepInputs_[seat];
    if (!s.peer) {
      title_->botInput(int(seat), in);  // nobody here (yet, or for now): the bot plays
    } else if (s.inputTicks[t % kInputRing] == t) {
      in = s.last = s.inputs[t % kInputRing];
      s.missingStreak = 0;
      if (s.botPlaying) PAV_INFO("server: seat %d: inputs are back; the station plays again", int(seat));
      s.botPlaying = false;
    } else if (++s.missingStreak > awayTicks_) {
      // The link is out longer than the title allows: the bot plays until inputs return.
      if (!s.botPlaying) {
        ++s.stats.botHandovers;
        PAV_WARN("server: seat %d: no input for %.1f s; the title's bot plays it until the link returns", int(seat),
                 double(s.missingStreak) * title_->dt());
      }
      s.botPlaying = true;
      ++s.stats.botTicks;
      title_->botInput(int(seat), in);
      ++s.stats.inputsMissing;
    } else {
      in = s.last;  // late or lost: the last input again
      ++s.stats.inputsMissing;
    }
  }
  title_->step(stepInputs_);
  if (replay_) replay_->tick(stepInputs_, title_->stateHash());
}

void SessionServer::sendSnapshots() {
  title_->capture(frame_);
  const uint64_t tick = title_->tick();
  QuantFrame& q = history_[(tick / ticksPerSnapshot_) % kHistory];
  codec_.quantize(frame_, q);
  lastSnapshot_ = &q;
  const uint64_t index = tick / ticksPerSnapshot_;
  const double tickTime = start_ + double(tick) * title_->dt();  // the budget's clock: smooth through a catch-up
  const double interval = double(ticksPerSnapshot_) * title_->dt();
  for (auto& sp : stations_) {
    Station& s = *sp;
    if (!s.peer) continue;
    if (tickTime - s.lastSample >= 0.25) {  // the link's measures, a few times a second
      s.lastSample = tickTime;
      const Host::LinkInfo link = Host::link(s.peer);
      s.budget.onLinkSample(tickTime, double(link.rttMs), double(link.loss));
    }
    if (!s.budget.rateAllows(index)) continue;
    const QuantFrame* base = &codec_.defaults();
    const uint64_t ack = s.ackTick;
    const QuantFrame& acked = s.sent[(ack / ticksPerSnapshot_) % kHistory];
    if (ack > 0 && ack < tick && index - ack / ticksPerSnapshot_ < kHistory && acked.tick == ack) base = &acked;
    SnapshotHeader h{tick, base == &codec_.defaults() ? 0 : ack, s.newestInput};
    QuantFrame& out = s.sent[index % kHistory];  // never the baseline's slot (less than kHistory back)
    out.tick = UINT64_MAX;                       // until sent
    const int own = title_->ownObject(s.stats.seat);
    s.priority->accumulate(frame_, q, *base, own);
    size_t n = encodeSnapshot(h, codec_, q, *base, buffer_);
    const double room = s.budget.room(tickTime);
    if (n && double(n) <= room) {
      s.priority->wroteAll();
      out.objects = q.objects;  // same sizes: no allocation
      out.scalars = q.scalars;
      std::fill(out.stale.begin(), out.stale.end(), uint8_t(0));
    } else if (n && double(n) > std::min(room + s.budget.refillBytes(kSkipSnapshots * interval * s.budget.divider()),
                                         s.budget.maxRoom())) {
      // Too large for the bucket within the next kSkipSnapshots snapshots, or ever: the own
      // object and the objects that matter most to this seat, as many as fit (priority.h); the
      // rest catch up in the next ones. Not even the own object: skipped. (One that fits by
      // then is skipped whole instead: a cut one would spend the headers on less and leave
      // objects behind; a state a little over the budget loses snapshot rate, not objects.)
      const int written = s.priority->fit(q, *base, own, out, [&](const QuantFrame& f) {
        n = encodeSnapshot(h, codec_, f, *base, buffer_);
        return n && double(n) <= room;
      });
      if (written >= 0) ++s.stats.snapshotsPartial;
      n = encodeSnapshot(h, codec_, written >= 0 ? out : q, *base, buffer_);  // the whole one: counted as skipped
    }
    if (!n || !s.budget.take(tickTime, n)) continue;  // over the budget: the next one catches up
    out.tick = tick;
    s.budgetBytes += double(n) + LinkBudget::kOverheadBytes;
    host_.send(s.peer, kChannelUnreliable, std::span<const uint8_t>(buffer_.data(), n), false);
    s.lastSent = std::max(s.lastSent, tick);
    s.bytesDown += n;
    s.stats.downBytes += n;
    ++s.stats.snapshotsSent;
  }
  // Counters that went up are events, sent reliably.
  for (int i = 0; i < schema_.scalarCount; ++i) {
    if (!schema_.scalars[i].counter) continue;
    const auto v = int32_t(std::lround(frame_.scalars[i]));
    if (v <= counters_[i]) continue;
    counters_[i] = v;
    const size_t n = encodeEvent({tick, uint32_t(i), v}, buffer_);
    for (auto& s : stations_)
      if (s->peer) sendReliable(s->peer, std::span<const uint8_t>(buffer_.data(), n));
  }
}

void SessionServer::update(double now, uint32_t waitMs) {
  // The title's tick 0 is holdTicks after the first update: until then nothing is stepped.
  if (start_ < 0) {
    start_ = now + double(holdTicks_) * title_->dt();
    lastRate_ = now;
  }
  now_ = now;
  host_.poll(waitMs, [&](const HostEvent& e) {
    switch (e.kind) {
      case HostEvent::Kind::Connected: {
        Host::setTimeouts(e.peer, desc_.timeoutMs, 250);
        Host::setUserData(e.peer, nullptr);
        const uint32_t machine = Host::machine(e.peer);
        const auto fromThere = std::count_if(pending_.begin(), pending_.end(),
                                             [&](const Pending& p) { return p.machine == machine; });
        if (fromThere < desc_.maxStations && pending_.size() < pending_.capacity()) {
          pending_.push_back({e.peer, now, machine});
        } else {
          ++stats_.crowded;
          if (logAllowed())
            PAV_WARN("server: reset a connection from %s: %d from that machine are not through their handshake",
                     Host::address(e.peer).c_str(), int(fromThere));
          host_.reset(e.peer);
        }
        break;
      }
      case HostEvent::Kind::Disconnected: onDisconnect(e.peer); break;
      case HostEvent::Kind::Received: onReceive(e.peer, e.data, e.channel); break;
    }
  });
  dropIdle(now);
  if (!ended_) {
    const double dt = title_->dt();
    auto due = uint64_t(std::max(0.0, (now - start_) / dt));
    const auto maxSteps = uint64_t(kMaxCatchUp / dt);
    if (due > title_->tick() + maxSteps) {  // stalled (a debugger, a swap storm): skip ahead
      start_ = now - double(title_->tick() + maxSteps) * dt;
      due = title_->tick() + maxSteps;
    }
    while (title_->tick() < due && !title_->finished()) {
      stepTick();
      if (title_->tick() % ticksPerSnapshot_ == 0) sendSnapshots();
    }
    if (title_->finished()) {
      if (title_->tick() % ticksPerSnapshot_ != 0) sendSnapshots();
      const size_t n = encodeEnd({title_->results(true)}, buffer_);
      for (auto& s : stations_)
        if (s->peer) sendReliable(s->peer, std::span<const uint8_t>(buffer_.data(), n));
      ended_ = true;
      if (replay_) replay_->finish();
      PAV_INFO("server: session over: %s", title_->results(false).c_str());
    }
    host_.flush();
  }
  stats_.tick = title_->tick();
  stats_.seconds = double(title_->tick()) * title_->dt();
  stats_.datagrams = host_.datagramsReceived();
  if (now - lastRate_ >= 1.0) updateRates(now);
}

void SessionServer::wait(double now, double maxSeconds) {
  double until = maxSeconds;
  if (!ended_ && start_ >= 0)
    until = std::min(until, start_ + double(title_->tick() + 1) * title_->dt() - now);
  // Traffic does not wake the server: inputs wait in the socket until the tick that needs
  // them (waking per packet costs more than the whole session on a VM), and acknowledgements
  // go out within a tick.
  if (until > 0) std::this_thread::sleep_for(std::chrono::duration<double>(until));
}

void SessionServer::updateRates(double now) {
  const double span = now - lastRate_;
  lastRate_ = now;
  for (size_t i = 0; i < stations_.size(); ++i) {
    Station& s = *stations_[i];
    SeatStats& st = s.stats;
    st.connected = s.peer != nullptr;
    st.upKbps = double(s.bytesUp) * 8 / 1000 / span;
    st.downKbps = double(s.bytesDown) * 8 / 1000 / span;
    s.bytesUp = s.bytesDown = 0;
    st.budgetUsedKbps = s.budgetBytes * 8 / 1000 / span;
    s.budgetBytes = 0;
    st.budgetKbps = s.budget.budgetKbps();
    st.estimatedKbps = s.budget.estimateKbps();
    st.snapshotHz =
        s.peer ? title_->info().tickRateHz / double(ticksPerSnapshot_ * uint64_t(s.budget.divider())) : 0.0;
    st.snapshotsOverBudget = s.budget.skipped();
    st.congestions = s.budget.congestions();
    st.outages = s.budget.outages();
    st.longestOutageMs = s.budget.longestOutage() * 1000;
    st.recentOutages.clear();
    for (int k = 0; k < s.budget.outagesKept(); ++k) st.recentOutages.push_back(s.budget.outage(k));
    st.botPlaying = !s.peer || s.botPlaying;
    if (s.peer) {
      const Host::LinkInfo link = Host::link(s.peer);
      st.rttMs = link.rttMs;
      st.rttVarianceMs = link.rttVarianceMs;
      st.loss = link.loss;
      st.inputLeadTicks = int(int64_t(s.newestInput) - int64_t(title_->tick()));
    }
    stats_.stations[i] = st;
  }
}

std::string SessionServer::statsLine() const {
  char buf[384];
  std::snprintf(buf, sizeof buf, "server %s t=%.1fs tick %" PRIu64 " stations %d/%zu malformed %" PRIu64,
                desc_.title.c_str(), stats_.seconds, stats_.tick, connectedStations(), stations_.size(),
                stats_.malformed);
  std::string line = buf;
  for (const SeatStats& s : stats_.stations) {
    if (!s.connected) {
      std::snprintf(buf, sizeof buf, " | seat %d: away (bot plays)", s.seat);
    } else {
      std::snprintf(buf, sizeof buf,
                    " | seat %d: rtt %u ms loss %.1f%% up %.1f down %.1f kbps lead %d ticks age %u ms interp %u ms "
                    "err %u mm budget %.0f kbps (used %.1f) %.0f Hz outages %" PRIu64 "%s",
                    s.seat, s.rttMs, s.loss * 100, s.upKbps, s.downKbps, s.inputLeadTicks, s.snapshotAgeMs,
                    s.interpolationMs, s.predictionErrorMm, s.budgetKbps, s.budgetUsedKbps, s.snapshotHz, s.outages,
                    s.botPlaying ? " (bot plays)" : "");
    }
    line += buf;
  }
  return line;
}

std::string SessionServer::statsJson() const {
  // Rounded as the text line rounds them: nlohmann writes the shortest form of what it gets.
  const auto round = [](double v, double scale) { return std::round(v * scale) / scale; };
  nlohmann::ordered_json stations = nlohmann::ordered_json::array();
  const auto outages = [&](const SeatStats& s) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const OutageRecord& o : s.recentOutages)
      list.push_back({{"ms", round(o.seconds * 1000, 1)}, {"correction_mm", round(o.correctionMm, 10)}});
    return list;
  };
  for (const SeatStats& s : stats_.stations) {
    stations.push_back({{"seat", s.seat},
                        {"connected", s.connected},
                        {"rtt_ms", s.rttMs},
                        {"rtt_var_ms", s.rttVarianceMs},
                        {"loss", round(s.loss, 1e4)},
                        {"up_kbps", round(s.upKbps, 100)},
                        {"down_kbps", round(s.downKbps, 100)},
                        {"input_lead_ticks", s.inputLeadTicks},
                        {"inputs_missing", s.inputsMissing},
                        {"interpolation_ms", s.interpolationMs},
                        {"prediction_error_mm", s.predictionErrorMm},
                        {"snapshot_loss_permille", s.snapshotLossPermille},
                        {"snapshot_age_ms", s.snapshotAgeMs},
                        {"snapshots_sent", s.snapshotsSent},
                        {"reconnects", s.reconnects},
                        {"inputs_refused", s.inputsRefused},
                        {"up_bytes", s.upBytes},
                        {"down_bytes", s.downBytes},
                        {"budget_kbps", round(s.budgetKbps, 10)},
                        {"estimated_kbps", round(s.estimatedKbps, 10)},
                        {"budget_used_kbps", round(s.budgetUsedKbps, 100)},
                        {"snapshot_hz", round(s.snapshotHz, 100)},
                        {"snapshots_over_budget", s.snapshotsOverBudget},
                        {"snapshots_partial", s.snapshotsPartial},
                        {"congestions", s.congestions},
                        {"outages", s.outages},
                        {"longest_outage_ms", round(s.longestOutageMs, 1)},
                        {"recent_outages", outages(s)},
                        {"bot_playing", s.botPlaying},
                        {"bot_handovers", s.botHandovers},
                        {"bot_ticks", s.botTicks}});
  }
  const nlohmann::ordered_json j = {{"title", desc_.title},
                                    {"seconds", round(stats_.seconds, 100)},
                                    {"tick", stats_.tick},
                                    {"malformed", stats_.malformed},
                                    {"refused", stats_.refused},
                                    {"inputs_refused", stats_.inputsRefused},
                                    {"handshake_timeouts", stats_.handshakeTimeouts},
                                    {"silent_dropped", stats_.silentDropped},
                                    {"crowded", stats_.crowded},
                                    {"datagrams", stats_.datagrams},
                                    {"stations", std::move(stations)}};
  return j.dump();
}

}  // namespace pav::net
