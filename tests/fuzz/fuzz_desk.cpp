// Fuzz target: the operator's desk (issue 20), the decoders new with live views and alerts:
// net::base64Decode (a View's picture) and the director's handling of a station's View, Alert
// and Health (its presence) and of the operators' view, alerts and ack requests, past the
// envelope (fuzz_control covers that), through Director::receiveDecoded.
//
// Input: mode (1 byte) | rest
//   mode % 4 == 0: rest is base64 text for base64Decode(rest, kMaxViewJpegBytes)
//   otherwise:     rest is a JSON body, sent by a registered station as View, Alert and Health in
//                  turn, then as the fields of view, alerts and ack requests (the operator's)
// (fuzz_seeds.cpp writes seeds in this format: keep them equal.)
//
// Properties:
//   - base64Decode never yields more than its limit, and what it yields encodes and decodes to
//     itself;
//   - nothing throws out of receiveDecoded or update(); a station's message never gets a reply;
//   - every request gets {ok: bool} with an error text when false;
//   - a stored view is a JPEG (FF D8 .. FF D9) of at most kMaxViewJpegBytes; at most kMaxAlerts
//     alerts are kept.
#include <unistd.h>

#include <array>
#include <filesystem>
#include <memory>
#include <string>

#include "director.h"
#include "fuzz_common.h"
#include "live_desk.h"
#include "pav/net/control.h"

using namespace pav;
using namespace pav::director;
using json = nlohmann::json;

namespace {

constexpr int kInputsPerDirector = 2000;

std::unique_ptr<Director> makeDirector() {
  static const std::filesystem::path base =
      std::filesystem::is_directory("/dev/shm") ? std::filesystem::path("/dev/shm") : std::filesystem::temp_directory_path();
  static const std::string dir = (base / ("pav-fuzz-desk-" + std::to_string(::getpid()))).string();
  DirectorDesc desc;
  desc.port = 0;
  desc.stateDir = dir;
  desc.program = "/bin/true";
  desc.titles = {{"hockey", 2}};
  std::array<uint8_t, net::ControlKey::kBytes> op{}, st{};
  op.fill(0x11);
  st.fill(0x22);
  auto d = std::make_unique<Director>(desc, net::ControlKey::fromBytes(op, st));
  d->receiveDecoded(1, net::Role::Station, net::ControlType::Register,
                    {{"name", "station-1"}, {"version", "f"}, {"state", "playing"}, {"present", true}}, 0);
  return d;
}

void checkReply(const json& reply) {
  FUZZ_CHECK(reply.is_object() && reply.contains("ok") && reply["ok"].is_boolean(), "a request's reply: %s",
             reply.dump(-1, ' ', false, json::error_handler_t::replace).substr(0, 300).c_str());
  FUZZ_CHECK(reply["ok"].get<bool>() || (reply.contains("error") && reply["error"].is_string()), "a refusal without a reason");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  if (data[0] % 4 == 0) {
    std::string out;
    if (net::base64Decode(rest, net::kMaxViewJpegBytes, out)) {
      FUZZ_CHECK(out.size() <= net::kMaxViewJpegBytes, "decoded %zu bytes, over the limit", out.size());
      std::string again;
      const std::string text = net::base64Encode({reinterpret_cast<const uint8_t*>(out.data()), out.size()});
      FUZZ_CHECK(net::base64Decode(text, net::kMaxViewJpegBytes, again) && again == out, "base64 does not round-trip");
    }
    return 0;
  }
  static std::unique_ptr<Director> director;
  static int inputs = 0;
  static double now = 0;
  if (!director || ++inputs % kInputsPerDirector == 0) {
    director.reset();
    director = makeDirector();
    now = 0;
  }
  json body = json::parse(rest.begin(), rest.end(), nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) return 0;
  for (const net::ControlType type : {net::ControlType::View, net::ControlType::Alert, net::ControlType::Health}) {
    now += 0.3;
    const json reply = director->receiveDecoded(1, net::Role::Station, type, body, now);
    FUZZ_CHECK(reply.is_null(), "a station's %s got a reply", net::messageName(type));
  }
  for (const char* command : {"view", "alerts", "ack"}) {
    json request = body;
    request["command"] = command;
    checkReply(director->receiveDecoded(2, net::Role::Operator, net::ControlType::Request, request, now));
  }
  director->update(now, 0);
  if (const LiveView* v = director->desk().view("station-1")) {
    FUZZ_CHECK(v->jpeg.size() >= 4 && v->jpeg.size() <= net::kMaxViewJpegBytes, "a stored view of %zu bytes", v->jpeg.size());
    FUZZ_CHECK(uint8_t(v->jpeg[0]) == 0xFF && uint8_t(v->jpeg[1]) == 0xD8, "a stored view that is not a JPEG");
  }
  FUZZ_CHECK(director->desk().alertsJson(true).size() <= kMaxAlerts, "more than %zu alerts kept", kMaxAlerts);
  return 0;
}
