// Fuzz target: the control channel (pav/net/control.h). Every input is tried three ways:
//   1. as a sealed message, opened by a greeted director link and by a greeted station link
//      (fixed key and nonces, the same as fuzz_seeds.cpp's, so its sealed seeds open);
//   2. as a greeting, on a fresh director link;
//   3. as a body: sealed here with the fixed key (an HMAC made from the header's description,
//      not by ControlLink) and opened, so the JSON path is fuzzed past the MAC;
//   4. as a body an operator seals with the station key (a station's key file used as an
//      operator's), opened by a director that holds both keys.
//
// Properties:
//   - at most one of the two links opens a message (their nonces and roles differ);
//   - an opened message has a known type and a JSON object body; the same bytes again are
//     refused as a replay; its body re-seals (or is too big to, by seal's own check) and opens
//     again to the same type and body;
//   - a refused message has an error, counts once in refused(), and changes nothing: the
//     link still opens the message it would have opened before;
//   - a greeting is accepted only at 37 bytes of "PVG1", a known role other than the link's
//     own, a nonce other than its own; a refused one leaves the link ungreeted;
//   - a hand-sealed body opens only if nlohmann::json accepts it as JSON, and then it is an
//     object; a refused one is refused for its body, never for its MAC or counter;
//   - a message sealed with the station key never opens as an operator's; sealed with the
//     operator key it opens exactly when the same body opened in 3.
#include <sodium.h>

#include <cstring>
#include <string>
#include <vector>

#include "fuzz_common.h"
#include "pav/core/error.h"
#include "pav/net/control.h"

using namespace pav;
using namespace pav::net;
using json = nlohmann::json;

namespace {

// ---- The fixed key and nonces: keep equal to fuzz_seeds.cpp's ------------------------------

std::array<uint8_t, ControlKey::kBytes> fuzzKey() {
  std::array<uint8_t, ControlKey::kBytes> k{};
  for (size_t i = 0; i < k.size(); ++i) k[i] = uint8_t(0x5a ^ (i * 13));
  return k;
}

std::array<uint8_t, kNonceBytes> fuzzNonce(Role role) {
  std::array<uint8_t, kNonceBytes> n{};
  for (size_t i = 0; i < n.size(); ++i) n[i] = uint8_t(uint8_t(role) * 0x40 + i);
  return n;
}

// ---- Helpers -------------------------------------------------------------------------------

const ControlKey& key() {
  static const ControlKey k = ControlKey::fromBytes(fuzzKey());
  return k;
}

struct Pair {
  ControlLink director{key(), Role::Director, fuzzNonce(Role::Director)};
  ControlLink station{key(), Role::Station, fuzzNonce(Role::Station)};
  Pair() {
    std::string error;
    FUZZ_CHECK(director.acceptGreeting(station.greeting(), error), "director refused the greeting: %s", error.c_str());
    FUZZ_CHECK(station.acceptGreeting(director.greeting(), error), "station refused the greeting: %s", error.c_str());
  }
};

// What `from` sends first on a fresh pair: counter 1, so it opens on any link that has not
// accepted a message yet.
const std::vector<uint8_t>& firstMessage(Role from) {
  static const std::vector<uint8_t> toDirector = Pair().station.seal(ControlType::Health, {{"fps", 90}});
  static const std::vector<uint8_t> toStation = Pair().director.seal(ControlType::Stop, {{"session", 1}});
  return from == Role::Station ? toDirector : toStation;
}

// The envelope as control.h describes it, MACed here with libsodium directly.
std::vector<uint8_t> handSealed(Role sender, const std::array<uint8_t, kNonceBytes>& receiverNonce, uint8_t type,
                                uint64_t counter, std::span<const uint8_t> body,
                                const std::array<uint8_t, ControlKey::kBytes>& macKey = fuzzKey()) {
  std::vector<uint8_t> out = {'P', 'V', 'C', '1', type};
  for (int i = 0; i < 8; ++i) out.push_back(uint8_t(counter >> (8 * i)));
  for (int i = 0; i < 4; ++i) out.push_back(uint8_t(uint32_t(body.size()) >> (8 * i)));
  out.insert(out.end(), body.begin(), body.end());
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, macKey.data(), ControlKey::kBytes);
  crypto_auth_hmacsha256_update(&state, receiverNonce.data(), receiverNonce.size());
  const uint8_t role = uint8_t(sender);
  crypto_auth_hmacsha256_update(&state, &role, 1);
  crypto_auth_hmacsha256_update(&state, out.data(), out.size());
  uint8_t mac[kMacBytes];
  crypto_auth_hmacsha256_final(&state, mac);
  out.insert(out.end(), mac, mac + kMacBytes);
  return out;
}

// ---- 1. Sealed messages --------------------------------------------------------------------

// `receiver` opened `packet` (from `sender`, its peer in a fresh pair).
void checkOpened(std::span<const uint8_t> packet, const ControlLink::Opened& m, ControlLink& receiver, Role senderRole) {
  FUZZ_CHECK(knownMessageType(uint8_t(m.type)), "opened an unknown type %d", int(m.type));
  FUZZ_CHECK(m.body.is_object() && m.error.empty() && receiver.refused() == 0, "opened a %s body, error '%s'",
             m.body.type_name(), m.error.c_str());
  const ControlLink::Opened again = receiver.open(packet);
  FUZZ_CHECK(!again.ok && again.error.rfind("replayed or stale counter", 0) == 0,
             "the same message opened twice (second error '%s')", again.error.c_str());

  Pair fresh;
  ControlLink& sender = senderRole == Role::Station ? fresh.station : fresh.director;
  ControlLink& to = senderRole == Role::Station ? fresh.director : fresh.station;
  std::vector<uint8_t> resealed;
  try {
    resealed = sender.seal(m.type, m.body);
  } catch (const pav::Error& e) {
    // Only a body whose canonical text outgrew the limit (1e5 prints as 100000.0) may not re-seal.
    const size_t size = m.body.dump(-1, ' ', false, json::error_handler_t::replace).size();
    FUZZ_CHECK(size > kMaxBodyBytes, "an opened body does not re-seal: %s", e.what());
    return;
  }
  const ControlLink::Opened back = to.open(resealed);
  FUZZ_CHECK(back.ok, "a re-sealed body does not open: %s", back.error.c_str());
  FUZZ_CHECK(back.type == m.type && back.body == m.body, "type or body changed in the round trip");
}

void checkRefused(const ControlLink::Opened& m, ControlLink& receiver, Role senderRole) {
  FUZZ_CHECK(!m.error.empty() && m.body.is_null() && receiver.refused() == 1, "refused with error '%s', %llu refusals",
             m.error.c_str(), (unsigned long long)receiver.refused());
  const ControlLink::Opened next = receiver.open(firstMessage(senderRole));
  FUZZ_CHECK(next.ok, "a refused message changed the link: the next good one was refused (%s)", next.error.c_str());
}

void fuzzOpen(std::span<const uint8_t> packet) {
  Pair toDirector, toStation;
  const ControlLink::Opened atDirector = toDirector.director.open(packet);
  const ControlLink::Opened atStation = toStation.station.open(packet);
  FUZZ_CHECK(!(atDirector.ok && atStation.ok), "one message opened on both sides");
  if (atDirector.ok)
    checkOpened(packet, atDirector, toDirector.director, Role::Station);
  else
    checkRefused(atDirector, toDirector.director, Role::Station);
  if (atStation.ok)
    checkOpened(packet, atStation, toStation.station, Role::Director);
  else
    checkRefused(atStation, toStation.station, Role::Director);
}

// ---- 2. Greetings --------------------------------------------------------------------------

void fuzzGreeting(std::span<const uint8_t> data) {
  ControlLink link(key(), Role::Director, fuzzNonce(Role::Director));
  std::string error;
  const bool ok = link.acceptGreeting(data, error);
  FUZZ_CHECK(ok == link.greeted() && link.refused() == (ok ? 0u : 1u), "accepted %d, greeted %d, %llu refusals", ok,
             link.greeted(), (unsigned long long)link.refused());
  if (!ok) {
    FUZZ_CHECK(!error.empty(), "a greeting refused without a reason");
    return;
  }
  FUZZ_CHECK(data.size() == 5 + kNonceBytes && std::memcmp(data.data(), "PVG1", 4) == 0, "accepted a %zu-byte greeting",
             data.size());
  FUZZ_CHECK(data[4] == uint8_t(link.peerRole()) && (link.peerRole() == Role::Station || link.peerRole() == Role::Operator),
             "peer role %d from byte %d", int(link.peerRole()), int(data[4]));
  FUZZ_CHECK(std::memcmp(data.data() + 5, fuzzNonce(Role::Director).data(), kNonceBytes) != 0,
             "accepted a greeting with the link's own nonce");
  FUZZ_CHECK(!link.acceptGreeting(data, error), "accepted a second greeting");
}

// ---- 3. Bodies past the MAC ----------------------------------------------------------------

void fuzzBody(std::span<const uint8_t> body) {
  if (body.size() > kMaxBodyBytes) return;
  Pair pair;
  const std::vector<uint8_t> packet =
      handSealed(Role::Station, fuzzNonce(Role::Director), uint8_t(ControlType::Log), 7, body);
  const ControlLink::Opened m = pair.director.open(packet);
  const bool isJson = json::accept(body.begin(), body.end());
  if (m.ok) {
    FUZZ_CHECK(isJson && m.body.is_object() && m.type == ControlType::Log, "opened a body that is not a JSON object");
    checkOpened(packet, m, pair.director, Role::Station);
  } else {
    FUZZ_CHECK(m.error.rfind("body ", 0) == 0, "a well-sealed message refused for '%s'", m.error.c_str());
    FUZZ_CHECK(isJson || m.error == "body is not valid JSON", "valid JSON refused as '%s'", m.error.c_str());
    checkRefused(m, pair.director, Role::Station);
  }
}

// ---- 4. Roles: the station key never speaks for an operator ------------------------------

void fuzzRoles(std::span<const uint8_t> body) {
  if (body.size() > kMaxBodyBytes) return;
  std::array<uint8_t, ControlKey::kBytes> stationKey = fuzzKey();
  for (uint8_t& b : stationKey) b ^= 0xa5;
  static const ControlKey both = ControlKey::fromBytes(fuzzKey(), stationKey);
  const auto greeted = [&] {
    ControlLink director(both, Role::Director, fuzzNonce(Role::Director));
    std::string error;
    FUZZ_CHECK(director.acceptGreeting(ControlLink(both, Role::Operator, fuzzNonce(Role::Operator)).greeting(), error),
               "director refused an operator's greeting: %s", error.c_str());
    return director;
  };
  ControlLink director = greeted();
  const ControlLink::Opened forged =
      director.open(handSealed(Role::Operator, fuzzNonce(Role::Director), uint8_t(ControlType::Request), 1, body, stationKey));
  FUZZ_CHECK(!forged.ok && forged.error == "bad MAC", "a station key's message opened as an operator's (error '%s')",
             forged.error.c_str());
  ControlLink fresh = greeted();
  const ControlLink::Opened real =
      fresh.open(handSealed(Role::Operator, fuzzNonce(Role::Director), uint8_t(ControlType::Request), 1, body));
  FUZZ_CHECK(!real.ok || real.body.is_object(), "an operator's message opened with a body that is not an object");
  FUZZ_CHECK(real.ok || real.error.rfind("body ", 0) == 0, "an operator's well-sealed message refused for '%s'",
             real.error.c_str());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> input(data, size);
  fuzzOpen(input);
  fuzzGreeting(input);
  fuzzBody(input);
  fuzzRoles(input);
  return 0;
}
