// A station's side of a session (see station.h): connection and handshake, snapshots into the
// clock and the interpolation buffer, prediction with rewind and replay, the view to draw.
#include "pav/net/station.h"

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "pav/core/error.h"
#include "pav/core/log.h"

namespace pav::net {
namespace {

constexpr size_t kInputRing = 1024;
constexpr size_t kReceived = 64;
constexpr double kBlendSeconds = 0.1;     // a correction fades with this time constant
constexpr double kSnapDistance = 1.0;     // a correction this large is taken at once (metres)
constexpr double kViewBlendSeconds = 0.04;  // a remote object's return from a hold fades over a few frames
constexpr double kMaxPredictSeconds = 0.5;
constexpr double kLeadMargin = 0.004;     // inputs should reach the server this early (s)

}  // namespace

const char* stateName(StationState s) {
  switch (s) {
    case StationState::Connecting: return "connecting";
    case StationState::Playing: return "playing";
    case StationState::Reconnecting: return "reconnecting";
    case StationState::Ended: return "ended";
    case StationState::Refused: return "refused";
  }
  return "?";
}

SessionStation::SessionStation(const StationDesc& desc)
    : desc_(desc), host_(Host::client()), inputs_(kInputRing), inputTicks_(kInputRing, UINT64_MAX),
      buffer8_(64 * 1024) {
  host_.markDscp(desc.dscp);
}

SessionStation::~SessionStation() {
  if (peer_) {
    host_.disconnect(peer_);
    host_.flush();
  }
}

void SessionStation::connect(double now) {
  peer_ = host_.connect(desc_.host, desc_.port);
  nextAttempt_ = now + desc_.reconnectSeconds;
}

LinkState SessionStation::linkState(double now) const {
  const bool inPlay = (state_ == StationState::Playing || state_ == StationState::Reconnecting) && started_ && title_;
  if (!inPlay || lastSnapshotAt_ < 0) return LinkState::Ok;
  const double silent = now - lastSnapshotAt_;
  if (silent > title_->info().awaySeconds) return LinkState::BotPlays;
  if (silent >= kLinkNoticeSeconds || state_ == StationState::Reconnecting) return LinkState::Interrupted;
  return LinkState::Ok;
}

double SessionStation::secondsToStart(double now) const {
  if (started_) return 0;
  if (startAt_ < 0) return -1;
  return std::max(0.0, startAt_ - now);
}

void SessionStation::onWelcome(std::span<const uint8_t> data, double now) {
  Welcome w;
  if (!decodeWelcome(data, w)) {
    ++stats_.malformed;
    return;
  }
  if (!desc_.title.empty() && w.title != desc_.title) return void(++stats_.malformed);
  const bool resumed = title_ && seat_ == int(w.seat);
  seat_ = int(w.seat);
  token_ = w.token;
  if (!resumed) {
    title_ = core::createTitle(w.title);
    if (!title_) {
      refusal_ = "the server plays '" + w.title + "', which this station does not have";
      state_ = StationState::Refused;
      host_.disconnect(peer_);
      return;
    }
    setup_ = {.players = int(w.players), .seed = w.seed, .skill = int(w.skill), .dataDir = desc_.dataDir,
              .durationSeconds = w.durationMs / 1000.0, .assists = int(w.assists)};
    title_->setup(setup_);
    title_->describe(schema_);
    codec_.emplace(schema_);
    const double rate = title_->info().tickRateHz;
    ticksPerSnapshot_ = std::max<uint64_t>(1, uint64_t(std::lround(rate / w.snapshotHz)));
    clock_.emplace(rate);
    buffer_.emplace(schema_, rate, double(ticksPerSnapshot_) / rate);
    received_.resize(kReceived);
    for (QuantFrame& q : received_) codec_->resize(q), q.tick = 0;
    serverFrame_.resize(schema_);
    view_.resize(schema_);
    own_.resize(schema_);
    lastSample_.assign(size_t(schema_.objects), glm::vec3(0.0f));
    viewOffset_.assign(size_t(schema_.objects), glm::vec3(0.0f));
    lastExtrapolation_.assign(size_t(schema_.objects), 0.0);
    stats_.recentOutages.reserve(LinkBudget::kOutagesKept);
    stepInputs_.resize(size_t(w.players));
  } else {
    ++stats_.reconnects;
  }
  // The start, from the server's clock: the Welcome left it about half a round trip ago.
  const double ticksToStart = w.holdTicks > w.clockTick ? double(w.holdTicks - w.clockTick) : 0.0;
  const double halfTrip = peer_ ? double(Host::link(peer_).rttMs) / 2000.0 : 0.0;
  startAt_ = now + std::max(0.0, ticksToStart * title_->dt() - halfTrip);
  if (ticksToStart > 0) started_ = false;
  // The server forgets this station's acknowledgements when it (re)joins: ack afresh.
  outgoing_.ackTick = 0;
  state_ = StationState::Playing;
  PAV_INFO("station: %s seat %d of %u (%s)", resumed ? "back in" : "welcome to", seat_, w.players, w.title.c_str());
}

void SessionStation::onSnapshot(std::span<const uint8_t> data, double now) {
  if (!codec_) return void(++stats_.malformed);
  SnapshotHeader h;
  if (!decodeSnapshotHeader(data, h)) return void(++stats_.malformed);
  const QuantFrame* base = &codec_->defaults();
  if (h.baselineTick) {
    base = nullptr;
    for (const QuantFrame& q : received_)
      if (q.tick == h.baselineTick) base = &q;
    if (!base) return void(++stats_.missingBaseline);
  }
  // The oldest slot takes the new snapshot, unless it holds the baseline in use: then the one
  // after it (the baseline is needed to decode, and stays a baseline until newer acks land).
  if (&received_[receivedNext_] == base) receivedNext_ = (receivedNext_ + 1) % received_.size();
  QuantFrame& slot = received_[receivedNext_];
  if (!decodeSnapshot(data, *codec_, *base, h, slot)) {
    slot.tick = 0;
    return void(++stats_.malformed);
  }
  receivedNext_ = (receivedNext_ + 1) % received_.size();
  bytesDown_ += data.size();
  ++stats_.snapshots;
  outgoing_.ackTick = std::max(outgoing_.ackTick, h.tick);
  serverInputTick_ = std::max(serverInputTick_, h.inputTick);
  if (h.tick <= newestTick_) return;  // reordered: kept as a baseline, too old to show
  if (lastSnapshotAt_ >= 0 && outages_.onHeardAfter(now, now - lastSnapshotAt_))
    PAV_INFO("station: snapshots back after %.0f ms (an outage)", (now - lastSnapshotAt_) * 1000);
  lastSnapshotAt_ = now;
  if (newestTick_) {
    const double missed = double((h.tick - newestTick_) / ticksPerSnapshot_) - 1.0;
    stats_.snapshotLoss += ((missed > 0 ? missed / (missed + 1) : 0.0) - stats_.snapshotLoss) * 0.05;
  }
  newestTick_ = h.tick;
  started_ = true;  // the server steps only after the start: a newer tick than 0 is play
  codec_->dequantize(slot, serverFrame_);
  clock_->onSnapshot(h.tick, now, double(Host::link(peer_).rttMs) / 1000.0);
  buffer_->push(serverFrame_, clock_->jitter(), stats_.snapshotLoss, &slot.stale);
  needsReconcile_ = true;
}

void SessionStation::onReceive(std::span<const uint8_t> data, double now) {
  MessageType type{};
  if (!peekType(data, type)) return void(++stats_.malformed);
  switch (type) {
    case MessageType::Welcome: onWelcome(data, now); break;
    case MessageType::Refused: {
      Refused r;
      refusal_ = decodeRefused(data, r) ? r.reason : "refused (no reason given)";
      state_ = StationState::Refused;
      PAV_WARN("station: refused: %s", refusal_.c_str());
      break;
    }
    case MessageType::Snapshot: onSnapshot(data, now); break;
    case MessageType::Event: {
      Event e;
      if (!decodeEvent(data, e) || int(e.scalar) >= schema_.scalarCount) return void(++stats_.malformed);
      ++stats_.events;
      PAV_INFO("station: %.*s is now %d (tick %" PRIu64 ")", int(schema_.scalars[e.scalar].name.size()),
               schema_.scalars[e.scalar].name.data(), e.value, e.tick);
      break;
    }
    case MessageType::End: {
      End e;
      if (!decodeEnd(data, e)) return void(++stats_.malformed);
      results_ = e.results;
      state_ = StationState::Ended;
      break;
    }
    default: ++stats_.malformed; break;
  }
}

void SessionStation::reconcile() {
  needsReconcile_ = false;
  const int own = title_->ownObject(seat_);
  const uint64_t predicted = title_->tick();
  const uint64_t serverTick = serverFrame_.tick;
  glm::vec3 before{0.0f};
  const bool replay = desc_.predict && own >= 0 && serverTick < predicted && predicted - serverTick < kInputRing / 2;
  if (replay) {
    title_->capture(own_);
    before = own_.objects[size_t(own)].position;
  }
  title_->apply(serverFrame_);
  reconciledTick_ = serverTick;
  if (!replay) return;
  for (uint64_t t = serverTick + 1; t <= predicted; ++t) {
    std::fill(stepInputs_.begin(), stepInputs_.end(), core::InputFrame{});
    if (inputTicks_[t % kInputRing] == t) stepInputs_[size_t(seat_)] = inputs_[t % kInputRing];
    title_->step(stepInputs_);
  }
  title_->capture(own_);
  const glm::vec3 error = before - own_.objects[size_t(own)].position;
  stats_.predictionErrorMm = double(glm::length(error)) * 1000.0;
  stats_.maxPredictionErrorMm = std::max(stats_.maxPredictionErrorMm, stats_.predictionErrorMm);
  outages_.onCorrection(lastView_, stats_.predictionErrorMm);
  errorOffset_ += error;
  if (glm::length(errorOffset_) > kSnapDistance) {
    errorOffset_ = glm::vec3(0.0f);
    ++stats_.snaps;
  }
}

void SessionStation::predict(double now, const core::InputFrame* visitor) {
  const double dt = title_->dt();
  const double rtt = double(Host::link(peer_).rttMs) / 1000.0;
  // Far enough ahead that an input reaches the server before its tick: half the round trip,
  // the wait for the next input packet, the jitter, and a margin.
  const double inputGap = 1.0 / std::min(desc_.inputHz, title_->info().tickRateHz);
  const double lead = rtt * 0.5 + inputGap + 2.0 * clock_->jitter() + kLeadMargin;
  const auto target = uint64_t(std::max(0.0, std::ceil(clock_->serverTick(now) + lead / dt)));
  if (target > title_->tick() + uint64_t(kMaxPredictSeconds / dt)) {
    title_->apply(serverFrame_);  // far behind (just joined, or back from a stall): start over
    errorOffset_ = glm::vec3(0.0f);
  }
  if (!desc_.predict) return;
  while (title_->tick() < target && !title_->finished()) {
    const uint64_t t = title_->tick() + 1;
    core::InputFrame& in = inputs_[t % kInputRing];
    if (visitor) in = *visitor;
    else title_->botInput(seat_, in);
    inputTicks_[t % kInputRing] = t;
    // Other seats: no input known here; their objects are drawn from the server's frames.
    std::fill(stepInputs_.begin(), stepInputs_.end(), core::InputFrame{});
    stepInputs_[size_t(seat_)] = in;
    title_->step(stepInputs_);
  }
}

void SessionStation::sendInputs() {
  const uint64_t newest = title_->tick();
  if (newest == 0 || inputTicks_[newest % kInputRing] != newest) return;
  // The newest inputs and every one before them the server has not confirmed, up to the cap.
  uint64_t first = std::max<uint64_t>(serverInputTick_ + 1, newest >= kMaxInputsPerPacket ? newest - kMaxInputsPerPacket + 1 : 1);
  first = std::min(first, newest);
  uint32_t n = 0;
  for (uint64_t t = first; t <= newest; ++t) {
    if (inputTicks_[t % kInputRing] != t) {  // a gap (predicted past with no input): restart after it
      n = 0;
      continue;
    }
    outgoing_.frames[n++] = inputs_[t % kInputRing];
  }
  if (n == 0) return;
  outgoing_.newestTick = newest;
  outgoing_.count = n;
  outgoing_.interpolationMs = uint32_t(std::min(4095.0, buffer_->delay() * 1000));
  outgoing_.predictionErrorMm = uint32_t(std::min(65535.0, stats_.predictionErrorMm));
  outgoing_.snapshotLoss = uint32_t(std::min(1000.0, stats_.snapshotLoss * 1000));
  outgoing_.snapshotAgeMs = uint32_t(std::clamp(stats_.snapshotAgeMs, 0.0, 4095.0));
  const size_t bytes = encodeInputs(outgoing_, buffer8_);
  if (!bytes) return;
  host_.send(peer_, kChannelUnreliable, std::span<const uint8_t>(buffer8_.data(), bytes), false);
  bytesUp_ += bytes;
}

void SessionStation::buildView(double now) {
  viewTime_ = clock_->serverTime(now) - buffer_->delay();
  if (!buffer_->sample(viewTime_, view_)) return;
  hasView_ = true;
  const int own = title_->ownObject(seat_);
  smoothRemote(now, own);
  if (desc_.predict && own >= 0 && title_->tick() >= reconciledTick_ && reconciledTick_ > 0) {
    const double elapsed = lastView_ < 0 ? 0.0 : now - lastView_;
    errorOffset_ *= float(std::exp(-elapsed / kBlendSeconds));
    title_->capture(own_);
    view_.objects[size_t(own)] = own_.objects[size_t(own)];
    view_.objects[size_t(own)].position += errorOffset_;
  }
  lastView_ = now;
}

// The interpolation buffer extrapolates past its newest frame for at most 100 ms and then holds
// (an outage). When frames come back the sample moves on at once: rather than jump, each remote
// object keeps where it was held and blends the difference out over a few frames; a difference
// past kSnapDistance is taken at once and counted.
void SessionStation::smoothRemote(double now, int own) {
  const double elapsed = lastView_ < 0 ? 0.0 : now - lastView_;
  const float fade = float(std::exp(-elapsed / kViewBlendSeconds));
  for (size_t i = 0; i < view_.objects.size(); ++i) {
    const glm::vec3 sampled = view_.objects[i].position;
    // Per object: the whole link's outage, or a snapshot cut to the budget that left this one
    // stale for longer than the extrapolation. Only a hold is a discontinuity: a short
    // extrapolation moves on with the velocities, so its return is a small step already.
    const double extrapolated = buffer_->lastExtrapolation(i);
    const bool resumed = lastSampleValid_ && lastExtrapolation_[i] > InterpolationBuffer::kMaxExtrapolation &&
                         extrapolated < lastExtrapolation_[i];
    lastExtrapolation_[i] = extrapolated;
    if (int(i) == own) {
      lastSample_[i] = sampled;
      continue;
    }
    if (resumed) {
      const glm::vec3 jump = lastSample_[i] - sampled;
      viewOffset_[i] += jump;
      const double mm = double(glm::length(jump)) * 1000.0;
      outages_.onCorrection(now, mm);
      stats_.maxViewCorrectionMm = std::max(stats_.maxViewCorrectionMm, mm);
    } else {
      viewOffset_[i] *= fade;
    }
    if (glm::length(viewOffset_[i]) > kSnapDistance) {
      viewOffset_[i] = glm::vec3(0.0f);
      ++stats_.snaps;
    }
    lastSample_[i] = sampled;
    view_.objects[i].position += viewOffset_[i];
  }
  lastSampleValid_ = true;
}

void SessionStation::update(double now, const core::InputFrame* visitor, uint32_t waitMs) {
  if (lastRate_ < 0) lastRate_ = now;
  if ((state_ == StationState::Connecting || state_ == StationState::Reconnecting) && !peer_ && now >= nextAttempt_)
    connect(now);
  host_.poll(waitMs, [&](const HostEvent& e) {
    switch (e.kind) {
      case HostEvent::Kind::Connected: {
        Host::setTimeouts(e.peer, desc_.timeoutMs, 250);
        Hello hello{desc_.protocol ? desc_.protocol : kProtocolVersion, desc_.title, token_ ? token_ : desc_.resumeToken,
                    desc_.connectToken.has_value(), desc_.connectToken.value_or(ConnectToken{})};
        const size_t n = encodeHello(hello, buffer8_);
        host_.send(e.peer, kChannelReliable, std::span<const uint8_t>(buffer8_.data(), n), true);
        break;
      }
      case HostEvent::Kind::Disconnected:
        if (e.peer != peer_) break;
        peer_ = nullptr;
        if (state_ == StationState::Playing || state_ == StationState::Connecting) {
          if (state_ == StationState::Playing) PAV_WARN("station: lost the server; reconnecting");
          state_ = StationState::Reconnecting;
        }
        nextAttempt_ = std::max(nextAttempt_, now + desc_.reconnectSeconds * 0.5);
        break;
      case HostEvent::Kind::Received: onReceive(e.data, now); break;
    }
  });
  if (state_ == StationState::Playing && peer_ && clock_ && clock_->valid()) {
    if (needsReconcile_) reconcile();
    predict(now, visitor);
    stats_.snapshotAgeMs = (clock_->serverTime(now) - double(newestTick_) * clock_->dt()) * 1000;
    if (now >= nextInput_) {
      // No more packets than ticks: each carries at least one new input.
      const double rate = std::min(desc_.inputHz, title_->info().tickRateHz);
      nextInput_ = std::max(nextInput_ + 1.0 / rate, now);
      sendInputs();
      host_.flush();
    }
  }
  if (clock_ && clock_->valid()) buildView(now);
  if (now - lastRate_ >= 1.0) updateRates(now);
}

void SessionStation::updateRates(double now) {
  const double span = now - lastRate_;
  lastRate_ = now;
  stats_.upKbps = double(bytesUp_) * 8 / 1000 / span;
  stats_.downKbps = double(bytesDown_) * 8 / 1000 / span;
  bytesUp_ = bytesDown_ = 0;
  if (peer_) stats_.rttMs = Host::link(peer_).rttMs;
  if (clock_ && clock_->valid()) {
    stats_.serverTick = uint64_t(std::max(0.0, clock_->serverTick(now)));
    stats_.snapshotAgeMs = (clock_->serverTime(now) - double(newestTick_) * clock_->dt()) * 1000;
    stats_.jitterMs = clock_->jitter() * 1000;
  }
  if (buffer_) stats_.interpolationMs = buffer_->delay() * 1000;
  stats_.snapshotHz = double(stats_.snapshots - snapshotsCounted_) / span;
  snapshotsCounted_ = stats_.snapshots;
  stats_.outages = outages_.outages();
  stats_.longestOutageMs = outages_.longestOutage() * 1000;
  stats_.recentOutages.clear();
  for (int k = 0; k < outages_.outagesKept(); ++k) stats_.recentOutages.push_back(outages_.outage(k));
  if (title_) stats_.predictedTick = title_->tick();
}

std::string SessionStation::statsLine() const {
  char buf[448];
  std::snprintf(buf, sizeof buf,
                "station seat %d %s: rtt %u ms, snapshot loss %.1f%%, up %.1f down %.1f kbps, age %.0f ms, "
                "interp %.0f ms, jitter %.1f ms, correction %.1f mm (max %.1f), malformed %" PRIu64
                ", %.0f snapshots/s, outages %" PRIu64 " (longest %.0f ms), snaps %" PRIu64,
                seat_, stateName(state_), stats_.rttMs, stats_.snapshotLoss * 100, stats_.upKbps, stats_.downKbps,
                stats_.snapshotAgeMs, stats_.interpolationMs, stats_.jitterMs, stats_.predictionErrorMm,
                stats_.maxPredictionErrorMm, stats_.malformed, stats_.snapshotHz, stats_.outages,
                stats_.longestOutageMs, stats_.snaps);
  return buf;
}

std::string SessionStation::statsJson() const {
  // Rounded as the text line rounds them: nlohmann writes the shortest form of what it gets.
  const auto round = [](double v, double scale) { return std::round(v * scale) / scale; };
  nlohmann::ordered_json outages = nlohmann::ordered_json::array();
  for (const OutageRecord& o : stats_.recentOutages)
    outages.push_back({{"ms", round(o.seconds * 1000, 1)}, {"correction_mm", round(o.correctionMm, 10)}});
  const nlohmann::ordered_json j = {{"seat", seat_},
                                    {"state", stateName(state_)},
                                    {"rtt_ms", stats_.rttMs},
                                    {"snapshot_loss", round(stats_.snapshotLoss, 1e4)},
                                    {"up_kbps", round(stats_.upKbps, 100)},
                                    {"down_kbps", round(stats_.downKbps, 100)},
                                    {"snapshot_age_ms", round(stats_.snapshotAgeMs, 10)},
                                    {"interpolation_ms", round(stats_.interpolationMs, 10)},
                                    {"jitter_ms", round(stats_.jitterMs, 100)},
                                    {"prediction_error_mm", round(stats_.predictionErrorMm, 10)},
                                    {"max_prediction_error_mm", round(stats_.maxPredictionErrorMm, 10)},
                                    {"snapshots", stats_.snapshots},
                                    {"malformed", stats_.malformed},
                                    {"missing_baseline", stats_.missingBaseline},
                                    {"reconnects", stats_.reconnects},
                                    {"events", stats_.events},
                                    {"server_tick", stats_.serverTick},
                                    {"predicted_tick", stats_.predictedTick},
                                    {"snapshot_hz", round(stats_.snapshotHz, 100)},
                                    {"outages", stats_.outages},
                                    {"longest_outage_ms", round(stats_.longestOutageMs, 1)},
                                    {"recent_outages", outages},
                                    {"snaps", stats_.snaps},
                                    {"max_view_correction_mm", round(stats_.maxViewCorrectionMm, 10)}};
  return j.dump();
}

}  // namespace pav::net
