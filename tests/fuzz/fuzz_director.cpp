// Fuzz target: the director's message handling (tools/director), past the envelope. Each input
// is a sequence of decoded control messages fed to Director::receiveDecoded, the same dispatch a
// network message reaches once its MAC has been checked (fuzz_control covers the envelope), with
// the director's update() between them, so what the messages started (sessions, their servers,
// the floor's clock) runs too.
//
// Input: records of
//   who (1 byte) | type (1 byte) | body length (2 bytes, little endian) | body (JSON text)
//   who:  bits 0-1 the role (0 or 1: station, 2: operator, 3: director), bits 2-4 the connection
//   type: one of the seven control types (the byte modulo 7)
// The last record's body is whatever is left. A body that is not a JSON object or nests deeper
// than kMaxBodyDepth is skipped: the link refuses those before any handler sees them.
// (fuzz_seeds.cpp writes seeds in this format: keep them equal.)
//
// Properties:
//   - nothing a message holds throws out of receiveDecoded or update() (an exception is a crash);
//   - an operator's Request always gets a reply: an object with a boolean "ok", and an "error"
//     text when it is false; a station's or a director's message never gets one;
//   - refusedMessages() never goes down; the floor never runs more sessions than maxSessions.
#include <unistd.h>

#include <array>
#include <filesystem>
#include <memory>
#include <string>

#include "director.h"
#include "fuzz_common.h"
#include "pav/net/control.h"

using namespace pav;
using namespace pav::director;
using json = nlohmann::json;

namespace {

constexpr net::ControlType kTypes[] = {net::ControlType::Register, net::ControlType::Health, net::ControlType::Log,
                                       net::ControlType::Launch,   net::ControlType::Stop,   net::ControlType::Request,
                                       net::ControlType::Reply,    net::ControlType::Volume};
constexpr int kFuzzMaxSessions = 3;
constexpr int kInputsPerDirector = 500;  // a fresh director now and then: a bounded floor

std::unique_ptr<Director> makeDirector() {
  // In memory where there is a tmpfs: the director's durable writes fsync, and a disk busy with
  // someone else's build made one fsync outlast libFuzzer's 5 s timeout.
  static const std::filesystem::path base =
      std::filesystem::is_directory("/dev/shm") ? std::filesystem::path("/dev/shm") : std::filesystem::temp_directory_path();
  static const std::string dir = (base / ("pav-fuzz-director-" + std::to_string(::getpid()))).string();
  DirectorDesc desc;
  desc.port = 0;
  desc.stateDir = dir;
  // A program that exits at once: launches start a real process, which fails to listen and
  // is reaped; no session server runs while fuzzing.
  desc.program = "/bin/true";
  desc.maxSessions = kFuzzMaxSessions;
  desc.titles = {{"hockey", 2}, {"cycling", 8}, {"driving", 4}};
  std::array<uint8_t, net::ControlKey::kBytes> op{}, st{};
  op.fill(0x11);
  st.fill(0x22);
  return std::make_unique<Director>(desc, net::ControlKey::fromBytes(op, st));
}

// As the link parses a body (control.cpp's parseBody): a JSON object within kMaxBodyDepth.
bool parseBody(std::span<const uint8_t> text, json& out) {
  bool tooDeep = false;
  const json::parser_callback_t depthCheck = [&tooDeep](int depth, json::parse_event_t event, json&) {
    if ((event == json::parse_event_t::object_start || event == json::parse_event_t::array_start) &&
        depth >= net::kMaxBodyDepth)
      tooDeep = true;
    return true;
  };
  out = json::parse(text.begin(), text.end(), depthCheck, /*allow_exceptions=*/false);
  return !out.is_discarded() && !tooDeep && out.is_object();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static std::unique_ptr<Director> director;
  static int inputs = 0;
  static double now = 0;
  if (!director || ++inputs % kInputsPerDirector == 0) {
    director.reset();
    director = makeDirector();
    now = 0;
  }
  std::span<const uint8_t> rest(data, size);
  while (rest.size() >= 4) {
    const uint8_t who = rest[0];
    const net::ControlType type = kTypes[rest[1] % 7];
    const size_t length = std::min<size_t>(rest[2] | (size_t(rest[3]) << 8), rest.size() - 4);
    const std::span<const uint8_t> text = rest.subspan(4, length);
    rest = rest.subspan(4 + length);
    json body;
    if (!parseBody(text, body)) continue;
    const int roleBits = who & 3;
    const net::Role role = roleBits < 2 ? net::Role::Station : roleBits == 2 ? net::Role::Operator : net::Role::Director;
    const int connection = roleBits * 8 + ((who >> 2) & 7);  // one role per connection
    const uint64_t refused = director->refusedMessages();
    const json reply = director->receiveDecoded(connection, role, type, body, now);
    if (role == net::Role::Operator && type == net::ControlType::Request) {
      FUZZ_CHECK(reply.is_object() && reply.contains("ok") && reply["ok"].is_boolean(), "a request's reply: %s",
                 reply.dump(-1, ' ', false, json::error_handler_t::replace).substr(0, 300).c_str());
      FUZZ_CHECK(reply["ok"].get<bool>() || (reply.contains("error") && reply["error"].is_string()),
                 "a refusal without a reason: %s", reply.dump(-1, ' ', false, json::error_handler_t::replace).substr(0, 300).c_str());
    } else {
      FUZZ_CHECK(reply.is_null(), "a %s from a %s got a reply", net::messageName(type), net::roleName(role));
    }
    FUZZ_CHECK(director->refusedMessages() >= refused, "the refusal count went down");
    now += 0.25;
    director->update(now, 0);
    size_t running = 0;
    for (const Session& s : director->state().sessions) running += s.state != SessionState::Ended;
    FUZZ_CHECK(running <= kFuzzMaxSessions, "%zu sessions running, at most %d", running, kFuzzMaxSessions);
  }
  return 0;
}
