// Writes the seed corpora: valid encodings of every message, made by the engine's own
// encoders, so the fuzzers start from packets that get past the type and range checks
// instead of having to discover them. Generated on every run: nothing binary is committed.
//
//   fuzz_seeds <dir>     writes <dir>/<target>/<name> for every target; prints a count
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "fuzz_common.h"
#include "pav/net/control.h"
#include "pav/net/protocol.h"

using namespace pav;
using namespace pav::net;
namespace fs = std::filesystem;

namespace {

int gWritten = 0;

void write(const fs::path& dir, const std::string& name, std::span<const uint8_t> bytes) {
  fs::create_directories(dir);
  std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
  if (!out) {
    std::fprintf(stderr, "fuzz_seeds: cannot write %s\n", (dir / name).c_str());
    std::exit(1);
  }
  ++gWritten;
}

void writeText(const fs::path& dir, const std::string& name, std::string_view text) {
  write(dir, name, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

// An encoder's output; a seed that does not encode is a bug in this file.
std::span<const uint8_t> encoded(std::vector<uint8_t>& buffer, size_t bytes, const char* what) {
  if (bytes == 0) {
    std::fprintf(stderr, "fuzz_seeds: the %s seed does not encode\n", what);
    std::exit(1);
  }
  return std::span<const uint8_t>(buffer.data(), bytes);
}

// ---- Inputs ------------------------------------------------------------------------------------

core::InputFrame inputAt(int i, bool hands) {
  core::InputFrame f;
  f.steer = std::sin(i * 0.3f);
  f.throttle = i % 7 < 4 ? 1.0f : 0.2f;
  f.brake = i % 7 >= 5 ? 0.6f : 0.0f;
  f.pedalPowerWatts = 180.0f + 3.0f * float(i);
  f.cadenceRpm = 88.5f;
  f.buttons = i % 5 == 0 ? 0x3u : 0x1u;
  if (hands) {
    for (int h = 0; h < 2; ++h) {
      core::HandInput& hand = f.hands[h];
      hand.tracked = !(h == 1 && i % 9 == 4);  // the right hand drops out now and then
      hand.position = {h ? 0.3f : -0.3f, 1.1f + 0.002f * float(i), -0.4f + 0.01f * float(i)};
      hand.orientation = glm::normalize(glm::quat(1.0f, 0.05f * float(i), 0.2f, h ? -0.1f : 0.1f));
      hand.trigger = float(i % 4) / 3.0f;
      hand.grip = i % 2 ? 1.0f : 0.0f;
    }
  }
  return f;
}

void inputsSeeds(const fs::path& dir) {
  std::vector<uint8_t> buffer(kMaxPacketBytes);
  struct Case {
    const char* name;
    uint32_t count;
    uint64_t newest;
    bool hands;
  };
  const Case cases[] = {{"idle", 1, 0, false}, {"driving", 3, 500, false}, {"hands", 8, 12000, true},
                        {"full", uint32_t(kMaxInputsPerPacket), 1u << 20, true}};
  for (const Case& c : cases) {
    Inputs m;
    m.newestTick = c.newest;
    m.count = c.count;
    m.ackTick = c.newest > 10 ? c.newest - 10 : 0;
    m.interpolationMs = 50;
    m.predictionErrorMm = 12;
    m.snapshotLoss = 20;
    for (uint32_t i = 0; i < c.count; ++i) m.frames[i] = inputAt(int(i), c.hands);
    write(dir, c.name, encoded(buffer, encodeInputs(m, buffer), c.name));
  }
}

// ---- Snapshots -------------------------------------------------------------------------------

// The current frame: the baseline with a few objects nudged, one moved far, a scalar changed.
core::StateFrame changedFrame(const core::StateSchema& sc, const core::StateFrame& base, int variant) {
  core::StateFrame f = base;
  f.tick = 1000;
  for (size_t i = 0; i < f.objects.size(); ++i) {
    core::ObjectState& o = f.objects[i];
    if ((i + size_t(variant)) % 3 == 0) continue;  // unchanged
    o.position.x += 0.003f * float(variant + 1);
    o.velocity.z = std::fmin(o.velocity.z + 0.5f, sc.velocityMax);
    o.orientation = glm::normalize(o.orientation * glm::quat(1.0f, 0.01f, 0.0f, 0.02f * float(variant)));
    o.angularVelocity.y = std::fmin(o.angularVelocity.y + 0.2f, sc.angularMax);
  }
  if (!f.objects.empty()) f.objects.back().position = sc.positionMax;  // far: no delta fits
  if (sc.scalarCount > 0) f.scalars[0] = sc.scalars[0].max;
  return f;
}

void snapshotSeeds(const fs::path& dir) {
  std::vector<uint8_t> buffer(1 << 16);
  const core::StateSchema schemas[2] = {fuzz::smallSchema(), fuzz::largeSchema()};
  // Every stage on, then each one off, then all off.
  const CodecOptions options[] = {{}, {false, true, true}, {true, false, true}, {true, true, false}, {false, false, false}};
  int n = 0;
  for (int s = 0; s < 2; ++s) {
    for (int moving = 0; moving < 2; ++moving) {
      for (const CodecOptions& o : options) {
        const fuzz::SnapshotCase c{s, moving != 0, o};
        const SnapshotCodec codec(schemas[s], o);
        QuantFrame base, current;
        codec.resize(base);
        codec.resize(current);
        core::StateFrame baseFrame;
        baseFrame.resize(schemas[s]);
        if (moving) baseFrame = fuzz::movingFrame(schemas[s], fuzz::kBaselineTick);
        codec.quantize(baseFrame, base);
        if (!moving) base = codec.defaults();
        for (int variant = 0; variant < 2; ++variant) {
          codec.quantize(changedFrame(schemas[s], baseFrame, variant), current);
          SnapshotHeader h;
          h.tick = 1000;
          h.baselineTick = moving ? fuzz::kBaselineTick : 0;
          h.inputTick = variant ? 1003 : 0;
          buffer[0] = fuzz::snapshotSelector(c);
          const size_t bytes = encodeSnapshot(h, codec, current, base, std::span(buffer).subspan(1));
          const std::string name = "snapshot-" + std::to_string(n++);
          write(dir, name, encoded(buffer, bytes ? bytes + 1 : 0, name.c_str()));
          // Cut to a budget (priority.h): every third object left out, holding the baseline's.
          for (size_t i = 0; i < current.objects.size(); i += 3) current.objects[i] = base.objects[i], current.stale[i] = 1;
          const size_t cut = encodeSnapshot(h, codec, current, base, std::span(buffer).subspan(1));
          const std::string cutName = "snapshot-" + std::to_string(n++) + "-cut";
          write(dir, cutName, encoded(buffer, cut ? cut + 1 : 0, cutName.c_str()));
        }
      }
    }
  }
}

// ---- Handshake, Event, End --------------------------------------------------------------------

void handshakeSeeds(const fs::path& dir) {
  std::vector<uint8_t> buffer(kMaxPacketBytes * 2);
  write(dir, "hello", encoded(buffer, encodeHello({kProtocolVersion, "hockey", 0}, buffer), "hello"));
  write(dir, "hello-resume", encoded(buffer, encodeHello({kProtocolVersion, "", 0xabcdef1234567890ull}, buffer), "hello-resume"));
  Hello credential{kProtocolVersion, "balloons", 0, true};
  for (size_t i = 0; i < credential.connectToken.size(); ++i) credential.connectToken[i] = uint8_t(i);
  write(dir, "hello-token", encoded(buffer, encodeHello(credential, buffer), "hello-token"));
  write(dir, "hello-future", encoded(buffer, encodeHello({kProtocolVersion + 1, "cycling", 7}, buffer), "hello-future"));
  Welcome w;
  w.title = "driving";
  w.seat = 2;
  w.token = 0xfedcba9876543210ull;
  w.players = 4;
  w.seed = 99;
  w.skill = 2;
  w.durationMs = 180000;
  w.snapshotHz = 30;
  w.serverTick = 123456;
  w.holdTicks = 1560;
  w.clockTick = 124000;
  write(dir, "welcome", encoded(buffer, encodeWelcome(w, buffer), "welcome"));
  w.serverTick = 0;
  w.clockTick = 300;  // welcomed in the lobby
  write(dir, "welcome-lobby", encoded(buffer, encodeWelcome(w, buffer), "welcome-lobby"));
  write(dir, "refused", encoded(buffer, encodeRefused({"the session is full (8 of 8 seats)"}, buffer), "refused"));
  write(dir, "event", encoded(buffer, encodeEvent({4321, 2, 3}, buffer), "event"));
  write(dir, "event-negative", encoded(buffer, encodeEvent({1, 23, -(1 << 20)}, buffer), "event-negative"));
  const End end{R"({"title":"hockey","score":[7,5],"goals":12,"seconds":241.50})"};
  write(dir, "end", encoded(buffer, encodeEnd(end, buffer), "end"));
}

// ---- Connect tokens and session keys (the key matches fuzz_token.cpp's) -------------------------

void tokenSeeds(const fs::path& dir) {
  SessionKey k;
  k.session = 0x0123456789abcdefull;
  for (size_t i = 0; i < k.key.size(); ++i) k.key[i] = uint8_t(i * 7 + 1);
  const ConnectToken valid = issueToken(k, 1, "hockey", 5000), old = issueToken(k, 0, "balloons", 10);
  write(dir, "token-valid", std::vector<uint8_t>(valid.begin(), valid.end()));
  write(dir, "token-expired", std::vector<uint8_t>(old.begin(), old.end()));
  writeText(dir, "token-hex", tokenHex(valid));
  writeText(dir, "session-key", k.text());
}

// ---- Bitstream programs ------------------------------------------------------------------------

void bitstreamSeeds(const fs::path& dir) {
  // [n - 1][ops][packet]: every primitive (op % 6) with a few arguments, then bytes to read.
  std::vector<uint8_t> program = {17};
  for (int op = 0; op < 18; ++op) program.push_back(uint8_t(op * 7 % 256));
  for (int i = 0; i < 96; ++i) program.push_back(uint8_t(i * 37 + 11));
  write(dir, "all-kinds", program);
  const std::vector<uint8_t> zeros = {5, 2, 8, 14, 3, 4, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  write(dir, "zeros", zeros);
}

// ---- Text parsers ------------------------------------------------------------------------------

void netProfileSeeds(const fs::path& dir) {
  const char* texts[] = {"none", "lan", "5g", "bad", "bad,loss=0", "latency=20,jitter=5,loss=2,dup=1",
                         "latency=20ms, jitter=5ms, loss=2%, dup=1%, reorder=3%", "lan,reorder=10", "latency=1e3",
                         "loss=100", "jitter=0.25", "5g-edge", "5g-good", "wifi-busy",
                         "5g-edge,outage=0,period=0", "down=2000kbps,up=500,queue=150ms",
                         "burst_enter=1%,burst_leave=25%,burst_loss=50%", "outage=300ms,period=20000ms",
                         "outage=300,period=300", "burst_enter=5,burst_leave=0",
                         "down=10000,queue=.75ms" /* a queue under the model's 1 ms floor (CI, stop 24) */};
  int n = 0;
  for (const char* t : texts) writeText(dir, "profile-" + std::to_string(n++), t);
}

void configSeeds(const fs::path& dir) {
  writeText(dir, "table",
            "# Robotic air hockey: the table.\n"
            "length = 1.948          # playing surface along the long axis\n"
            "width = 1.038\n"
            "goal_width = 0.25\n"
            "puck_radius = 0.03165\r\n"
            "\n"
            "\tmallet.radius=0.04815\n"
            "bots-enabled = yes\n"
            "laps = 3\n"
            "name = a b = c\n");
  writeText(dir, "bad-line", "width = 1\nthis line has no equals sign\n");
  writeText(dir, "bad-key", "wi dth = 1\n");
}

// ---- Control channel ---------------------------------------------------------------------------

// fuzz_control.cpp's fixed key and nonces (keep them equal): its links open these seeds.
std::array<uint8_t, ControlKey::kBytes> controlKey() {
  std::array<uint8_t, ControlKey::kBytes> k{};
  for (size_t i = 0; i < k.size(); ++i) k[i] = uint8_t(0x5a ^ (i * 13));
  return k;
}

std::array<uint8_t, kNonceBytes> controlNonce(Role role) {
  std::array<uint8_t, kNonceBytes> n{};
  for (size_t i = 0; i < n.size(); ++i) n[i] = uint8_t(uint8_t(role) * 0x40 + i);
  return n;
}

void controlSeeds(const fs::path& dir) {
  const ControlKey key = ControlKey::fromBytes(controlKey());
  ControlLink director(key, Role::Director, controlNonce(Role::Director));
  ControlLink station(key, Role::Station, controlNonce(Role::Station));
  std::string error;
  if (!director.acceptGreeting(station.greeting(), error) || !station.acceptGreeting(director.greeting(), error)) {
    std::fprintf(stderr, "fuzz_seeds: the control links do not greet: %s\n", error.c_str());
    std::exit(1);
  }
  write(dir, "greeting-director", director.greeting());
  write(dir, "greeting-station", station.greeting());
  write(dir, "greeting-operator", ControlLink(key, Role::Operator, controlNonce(Role::Operator)).greeting());

  // Every type, each the first message its sender seals (counter 1), as the fuzzer's fresh links
  // expect. A station's messages open at the director, the director's at the station.
  using json = nlohmann::json;
  struct Case {
    const char* name;
    ControlType type;
    json body;
  };
  const Case fromStation[] = {
      {"register", ControlType::Register,
       {{"name", "bay-3"}, {"version", "0.9.1"}, {"titles", {"hockey", "driving", "cycling"}}, {"headset", true},
        {"uptime", 3600.5}}},
      {"health", ControlType::Health,
       {{"state", "playing"}, {"title", "hockey"}, {"session", 12}, {"remaining", 61.25}, {"seat", 1}, {"fps", 89.9},
        {"missedFrames", 3}, {"rttMs", 4.5}, {"loss", 0.01}, {"uptime", 7200}}},
      {"log", ControlType::Log, {{"lines", {"station: launched hockey", "ünïcødé ⛸", "", "\"quoted\"\n"}}}},
      {"request", ControlType::Request, {{"command", "status"}, {"station", "bay-3"}, {"verbose", nullptr}}},
      {"reply", ControlType::Reply, {{"ok", false}, {"error", "no such station"}, {"code", -1}}},
  };
  const Case fromDirector[] = {
      {"launch", ControlType::Launch,
       {{"session", 12}, {"title", "driving"}, {"port", 27015}, {"seconds", 180}, {"difficulty", 2}, {"players", 4}}},
      {"launch-lang", ControlType::Launch,
       {{"session", "s3"}, {"title", "hockey"}, {"port", 27016}, {"seconds", 300}, {"startsIn", 12.5}, {"lang", "en"},
        {"defaultLang", "zh"}, {"token", "00ff"}}},
      {"launch-bad-lang", ControlType::Launch,
       {{"session", "s4"}, {"title", "hockey"}, {"port", 27016}, {"startsIn", -3}, {"lang", "xx"}, {"defaultLang", 7}}},
      {"stop", ControlType::Stop, {{"session", 12}, {"reason", "operator"}}},
      {"reply-empty", ControlType::Reply, json::object()},
      {"request-nested", ControlType::Request, {{"command", "set"}, {"args", {{"a", {1, {2, {3, {4}}}}}, {"b", 1e-7}}}}},
  };
  for (const Case& c : fromStation) {
    ControlLink sender(key, Role::Station, controlNonce(Role::Station));
    sender.acceptGreeting(director.greeting(), error);
    write(dir, std::string("sealed-to-director-") + c.name, sender.seal(c.type, c.body));
  }
  for (const Case& c : fromDirector) {
    ControlLink sender(key, Role::Director, controlNonce(Role::Director));
    sender.acceptGreeting(station.greeting(), error);
    write(dir, std::string("sealed-to-station-") + c.name, sender.seal(c.type, c.body));
  }
  // A later counter, and bodies on their own (the target also seals its input as a body).
  station.seal(ControlType::Health, json::object());
  write(dir, "sealed-counter-2", station.seal(ControlType::Health, {{"fps", 72}}));
  writeText(dir, "body-object", R"({"command":"launch","station":"bay-1","title":"hockey","seconds":120})");
  writeText(dir, "body-array", "[1,2,3]");
  writeText(dir, "body-escapes", R"({"s":"\u00e9\ud83d\ude00\n\t","n":-1.5e300,"i":18446744073709551615,"z":-0})");
  writeText(dir, "body-deep", std::string(40, '[') + std::string(40, ']'));
}

// ---- Director ----------------------------------------------------------------------------------

// fuzz_director.cpp's records: who | type index | body length (2 bytes LE) | body. Keep equal.
enum Who : uint8_t { kStation = 0, kOperator = 2, kDirectorRole = 3 };
void record(std::vector<uint8_t>& out, uint8_t who, int connection, ControlType type, const nlohmann::json& body) {
  static constexpr ControlType kTypes[] = {ControlType::Register, ControlType::Health, ControlType::Log, ControlType::Launch,
                                           ControlType::Stop,     ControlType::Request, ControlType::Reply};
  uint8_t index = 0;
  while (kTypes[index] != type) ++index;
  const std::string text = body.dump();
  out.push_back(uint8_t(who | (connection << 2)));
  out.push_back(index);
  out.push_back(uint8_t(text.size()));
  out.push_back(uint8_t(text.size() >> 8));
  out.insert(out.end(), text.begin(), text.end());
}

void directorSeeds(const fs::path& dir) {
  using json = nlohmann::json;
  const auto request = [](json r) { return r; };
  // Two stations register and report, an operator launches on them, looks, stops, keeps.
  std::vector<uint8_t> floor;
  record(floor, kStation, 0, ControlType::Register, {{"name", "station-1"}, {"version", "1.0"}, {"state", "idle"}, {"headset", true}});
  record(floor, kStation, 1, ControlType::Register, {{"name", "station-2"}, {"state", "idle"}});
  record(floor, kStation, 0, ControlType::Health,
         {{"state", "idle"}, {"fps", 90}, {"missedFrames", 0}, {"rttMs", 3}, {"loss", 0.0}, {"uptime", 12.5}});
  record(floor, kStation, 1, ControlType::Log, {{"lines", {"station: ready", "ünïcødé"}}});
  record(floor, kOperator, 0, ControlType::Request, request({{"command", "stations"}}));
  record(floor, kOperator, 0, ControlType::Request,
         request({{"command", "launch"}, {"title", "hockey"}, {"stations", {"1", "station-2"}}, {"minutes", 1}, {"difficulty", "hard"},
                  {"lang", "en"}, {"lobby", 0}}));
  record(floor, kStation, 0, ControlType::Health,
         {{"state", "playing"}, {"title", "hockey"}, {"session", "s1"}, {"remaining", 55}, {"seat", 0}, {"fps", 88}});
  record(floor, kOperator, 1, ControlType::Request, request({{"command", "status"}}));
  record(floor, kOperator, 1, ControlType::Request, request({{"command", "stop"}, {"target", "station-2"}}));
  record(floor, kOperator, 1, ControlType::Request, request({{"command", "stop"}, {"target", "s1"}}));
  record(floor, kOperator, 1, ControlType::Request, request({{"command", "logs"}, {"station", "2"}}));
  record(floor, kOperator, 1, ControlType::Request, request({{"command", "keep"}, {"session", "s1"}, {"name", "great-match"}}));
  write(dir, "floor", floor);
  // A station the director does not know reports a session (a restarted director rebuilds it).
  std::vector<uint8_t> rebuilt;
  record(rebuilt, kStation, 2, ControlType::Register,
         {{"name", "bay-3"}, {"state", "playing"}, {"title", "cycling"}, {"session", "s9"}, {"remaining", 30}});
  record(rebuilt, kStation, 2, ControlType::Health, {{"state", "warning"}, {"title", "cycling"}, {"session", "s9"}, {"remaining", 20}});
  record(rebuilt, kStation, 2, ControlType::Health, {{"state", "ended"}, {"session", "s9"}});
  write(dir, "rebuilt", rebuilt);
  // Wrong types and out-of-range numbers, and messages from the wrong role.
  std::vector<uint8_t> wrong;
  record(wrong, kStation, 3, ControlType::Register, {{"name", 5}});
  record(wrong, kStation, 3, ControlType::Register, {{"name", "x"}, {"seat", 1e30}});
  record(wrong, kStation, 3, ControlType::Register, {{"name", "x"}, {"headset", "yes"}});  // a type error
  record(wrong, kStation, 3, ControlType::Register, {{"name", "x"}, {"title", 7}});
  record(wrong, kStation, 4, ControlType::Health, {{"state", "idle"}});
  record(wrong, kStation, 4, ControlType::Request, {{"command", "launch"}});
  record(wrong, kDirectorRole, 0, ControlType::Launch, {{"session", "s1"}, {"port", 1}});
  record(wrong, kOperator, 2, ControlType::Request, {{"command", 5}});
  record(wrong, kOperator, 2, ControlType::Request, {{"command", "launch"}, {"title", "hockey"}, {"stations", "1"}, {"minutes", 1e308}});
  record(wrong, kOperator, 2, ControlType::Reply, {{"ok", true}});
  record(wrong, kOperator, 2, ControlType::Request,
         {{"command", "launch"}, {"title", "hockey"}, {"stations", {"1"}}, {"minutes", 1}, {"lang", "fr"}});
  record(wrong, kOperator, 2, ControlType::Request,
         {{"command", "launch"}, {"title", "hockey"}, {"stations", {"1"}}, {"minutes", 1}, {"lang", {1, 2}}, {"lobby", -1e308}});
  write(dir, "wrong", wrong);
  // Launches past the cap (station names 1..4 first).
  std::vector<uint8_t> full;
  for (int i = 0; i < 5; ++i)
    record(full, kStation, i, ControlType::Register, {{"name", "s-" + std::to_string(i)}});
  for (int i = 0; i < 5; ++i)
    record(full, kOperator, 3, ControlType::Request,
           {{"command", "launch"}, {"title", "cycling"}, {"stations", {"s-" + std::to_string(i)}}, {"minutes", 0.01}});
  write(dir, "full", full);
  // The day and moves (issue 20): reports of good, bad and odd days; moves of unknown, idle and
  // playing stations, to themselves and to busy ones; arguments of the wrong types.
  std::vector<uint8_t> day;
  record(day, kStation, 0, ControlType::Register, {{"name", "station-1"}, {"state", "idle"}});
  record(day, kStation, 1, ControlType::Register, {{"name", "station-2"}, {"state", "idle"}});
  record(day, kOperator, 0, ControlType::Request, {{"command", "report"}});
  record(day, kOperator, 0, ControlType::Request, {{"command", "report"}, {"day", "2026-12-07"}});
  record(day, kOperator, 0, ControlType::Request, {{"command", "report"}, {"day", "2026-02-30"}});
  record(day, kOperator, 0, ControlType::Request, {{"command", "report"}, {"day", "../../etc/passwd"}});
  record(day, kOperator, 0, ControlType::Request, {{"command", "report"}, {"day", 20261207}});
  record(day, kOperator, 0, ControlType::Request,
         {{"command", "launch"}, {"title", "hockey"}, {"stations", {"1"}}, {"minutes", 1}, {"lobby", 0}});
  record(day, kStation, 0, ControlType::Health, {{"state", "playing"}, {"title", "hockey"}, {"session", "s1"}, {"seat", 0}});
  record(day, kOperator, 1, ControlType::Request, {{"command", "move"}, {"station", "1"}, {"to", "2"}});
  record(day, kOperator, 1, ControlType::Request, {{"command", "move"}, {"station", "1"}, {"to", "1"}});
  record(day, kOperator, 1, ControlType::Request, {{"command", "move"}, {"station", "2"}, {"to", "1"}});
  record(day, kOperator, 1, ControlType::Request, {{"command", "move"}, {"station", "ghost"}, {"to", "2"}});
  record(day, kOperator, 1, ControlType::Request, {{"command", "move"}, {"station", 1}, {"to", {"2"}}});
  record(day, kOperator, 1, ControlType::Request, {{"command", "move"}});
  write(dir, "day", day);
}

}  // namespace

// fuzz_ftms.cpp's input: a parser byte, then the packet as a trainer sends it.
void ftmsSeeds(const fs::path& dir) {
  const std::vector<std::pair<std::string, std::vector<uint8_t>>> seeds = {
      {"bike-speed-cadence-power", {0, 0x44, 0x00, 0xad, 0x0c, 0xb4, 0x00, 0xd7, 0x00}},
      {"bike-every-field", {0, 0xfe, 0x1f, 1, 0, 2, 0, 3, 0, 1, 2, 3, 5, 0, 0x2c, 0x01, 0x20, 0x01, 1, 0, 2, 0, 3, 140, 10, 5, 0, 6, 0}},
      {"status-simulation", {1, 0x12, 0, 0, 0x2c, 0x01, 40, 51}},
      {"status-target-power", {1, 0x08, 0xfa, 0x00}},
      {"features", {2, 0x02, 0x40, 0, 0, 0x0c, 0x20, 0, 0}},
      {"power-range", {3, 0x00, 0x00, 0xd0, 0x07, 0x01, 0x00}},
      {"response", {4, 0x80, 0x11, 0x01}},
      {"heart-rate-rr", {5, 0x10, 140, 0x00, 0x04}},
      {"cycling-power", {6, 0x00, 0x00, 0xc8, 0x00}},
      {"simulation", {7, 0x11, 0xc4, 0x09, 0xf4, 0x01, 40, 51}},
      {"feel", {8, 'e', 'x', 'p', 'o', ':', '0', '.', '6'}},
  };
  for (const auto& [name, bytes] : seeds) write(dir, name, bytes);
}

// fuzz_desk.cpp's inputs: mode | base64 text, or mode | a JSON body. Keep equal.
void deskSeeds(const fs::path& dir) {
  const auto seed = [&](const std::string& name, uint8_t mode, const std::string& text) {
    std::string bytes(1, char(mode));
    bytes += text;
    writeText(dir, name, bytes);
  };
  // The smallest JPEG-shaped bytes (SOI .. EOI), as base64.
  const std::vector<uint8_t> jpeg = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 0xFF, 0xD9};
  const std::string b64 = base64Encode(jpeg);
  seed("base64", 0, b64);
  seed("base64-padding", 0, "AAE=");
  seed("view", 1, nlohmann::json({{"jpeg", b64}, {"width", 320}, {"height", 180}, {"station", "station-1"}}).dump());
  seed("view-fast", 1, nlohmann::json({{"jpeg", b64}, {"width", 640}, {"height", 360}, {"station", "1"}, {"fast", true}}).dump());
  seed("alert", 2, nlohmann::json({{"kind", "call"}, {"detail", "both grips"}, {"id", 1}}).dump());
  seed("alert-wheel", 3, nlohmann::json({{"kind", "wheel"}, {"id", "1"}, {"all", true}}).dump());
  seed("health", 1, nlohmann::json({{"state", "playing"}, {"missedFrames", 90}, {"present", false}, {"id", 2}}).dump());
}

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_seeds <dir>   (writes <dir>/<target>/ for every fuzz target)\n");
    return 2;
  }
  const fs::path root = argv[1];
  inputsSeeds(root / "inputs");
  snapshotSeeds(root / "snapshot");
  handshakeSeeds(root / "handshake");
  bitstreamSeeds(root / "bitstream");
  netProfileSeeds(root / "net_profile");
  configSeeds(root / "config");
  controlSeeds(root / "control");
  tokenSeeds(root / "token");
  directorSeeds(root / "director");
  ftmsSeeds(root / "ftms");
  deskSeeds(root / "desk");
  std::printf("fuzz_seeds: %d seeds in %s\n", gWritten, root.c_str());
  return 0;
}
