// The control channel's link: greetings, sealing and opening envelopes (the wire format is in
// pav/net/control.h), and the role and message names. The key file is in control_key.cpp.
//
// [SECTION] Names
// [SECTION] Wire helpers: little-endian fields, the MAC
// [SECTION] ControlLink: construction and greetings
// [SECTION] ControlLink: seal
// [SECTION] ControlLink: open
#include "pav/net/control.h"

#include <sodium.h>

#include <cstring>
#include <string_view>

#include "pav/core/error.h"

namespace pav::net {
namespace {

constexpr char kEnvelopeMagic[4] = {'P', 'V', 'C', '1'};
constexpr char kGreetingMagic[4] = {'P', 'V', 'G', '1'};
constexpr size_t kHeaderBytes = 4 + 1 + 8 + 4;  // magic, type, counter, body length
constexpr size_t kMinEnvelopeBytes = kHeaderBytes + kMacBytes;
constexpr size_t kGreetingBytes = 4 + 1 + kNonceBytes;

// libsodium's own once-only start (thread-safe; 1 when it already ran).
void ensureSodium() {
  if (sodium_init() < 0) fail("libsodium could not start (sodium_init failed): the control channel cannot run");
}

bool knownRole(uint8_t r) { return r >= uint8_t(Role::Director) && r <= uint8_t(Role::Operator); }

}  // namespace

// ---- [SECTION] Names -----------------------------------------------------------------------

const char* roleName(Role r) {
  switch (r) {
    case Role::Director: return "director";
    case Role::Station: return "station";
    case Role::Operator: return "operator";
  }
  return "unknown role";
}

const char* messageName(ControlType t) {
  switch (t) {
    case ControlType::Register: return "register";
    case ControlType::Health: return "health";
    case ControlType::Log: return "log";
    case ControlType::Launch: return "launch";
    case ControlType::Stop: return "stop";
    case ControlType::Volume: return "volume";
    case ControlType::Watch: return "watch";
    case ControlType::View: return "view";
    case ControlType::Alert: return "alert";
    case ControlType::Request: return "request";
    case ControlType::Reply: return "reply";
  }
  return "unknown message";
}

bool knownMessageType(uint8_t t) {
  switch (ControlType(t)) {
    case ControlType::Register:
    case ControlType::Health:
    case ControlType::Log:
    case ControlType::Launch:
    case ControlType::Stop:
    case ControlType::Volume:
    case ControlType::Watch:
    case ControlType::View:
    case ControlType::Alert:
    case ControlType::Request:
    case ControlType::Reply: return true;
  }
  return false;
}

std::string base64Encode(std::span<const uint8_t> bytes) {
  ensureSodium();
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

bool base64Decode(std::string_view text, size_t maxBytes, std::string& out) {
  ensureSodium();
  if (text.size() / 4 * 3 > maxBytes + 3) return false;  // surely too big: not even decoded
  out.assign(text.size() / 4 * 3 + 3, '\0');
  size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                        &length, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size() || length > maxBytes) {
    out.clear();
    return false;
  }
  out.resize(length);
  return true;
}

// ---- [SECTION] Wire helpers: little-endian fields, the MAC -----------------------------------

namespace {

void putLe(std::vector<uint8_t>& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(uint8_t(v >> (8 * i)));
}

uint64_t getLe(const uint8_t* p, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v |= uint64_t(p[i]) << (8 * i);
  return v;
}

// HMAC-SHA-256(key, receiver's nonce | sender's role | envelope). Streamed rather than through
// crypto_auth_hmacsha256 so the envelope is not copied behind the nonce; the comparison in
// open() is crypto_verify_32, the constant-time check crypto_auth_hmacsha256_verify makes.
void computeMac(const std::array<uint8_t, ControlKey::kBytes>& key, const std::array<uint8_t, kNonceBytes>& receiverNonce,
                Role sender, std::span<const uint8_t> envelope, uint8_t out[kMacBytes]) {
  static_assert(crypto_auth_hmacsha256_BYTES == kMacBytes && crypto_auth_hmacsha256_KEYBYTES == ControlKey::kBytes);
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, key.data(), key.size());
  crypto_auth_hmacsha256_update(&state, receiverNonce.data(), receiverNonce.size());
  const uint8_t role = uint8_t(sender);
  crypto_auth_hmacsha256_update(&state, &role, 1);
  crypto_auth_hmacsha256_update(&state, envelope.data(), envelope.size());
  crypto_auth_hmacsha256_final(&state, out);
  sodium_memzero(&state, sizeof state);
}

// The body's nesting, checked while parsing: deeper bodies are refused, so code that walks or
// prints a body (recursively, as nlohmann::json's dump does) cannot be driven off the stack.
bool parseBody(std::span<const uint8_t> text, nlohmann::json& out, std::string& error) {
  bool tooDeep = false;
  const nlohmann::json::parser_callback_t depthCheck = [&tooDeep](int depth, nlohmann::json::parse_event_t event,
                                                                  nlohmann::json&) {
    // `depth` counts the containers around this one, so the body itself is at 0.
    if ((event == nlohmann::json::parse_event_t::object_start || event == nlohmann::json::parse_event_t::array_start) &&
        depth >= kMaxBodyDepth)
      tooDeep = true;
    return true;
  };
  nlohmann::json body = nlohmann::json::parse(text.begin(), text.end(), depthCheck, /*allow_exceptions=*/false);
  if (body.is_discarded()) {
    error = "body is not valid JSON";
    return false;
  }
  if (tooDeep) {
    error = "body nested deeper than " + std::to_string(kMaxBodyDepth) + " levels";
    return false;
  }
  if (!body.is_object()) {
    error = std::string("body is a JSON ") + body.type_name() + ", not an object";
    return false;
  }
  out = std::move(body);
  return true;
}

}  // namespace

// ---- [SECTION] ControlLink: construction and greetings -----------------------------------------

namespace {

// A link's key must exist for its role: a station's key file holds no operator key.
void checkKeyForRole(const ControlKey& key, Role role) {
  PAV_CHECK(knownRole(uint8_t(role)), "ControlLink: unknown role %d", int(role));
  if (role != Role::Station && !key.holdsOperatorKey())
    fail("%s: is a station's key file (the station key alone), so it cannot act as the %s; use the operator key file "
         "that `pavilion director --init` wrote",
         key.path().empty() ? "this key" : key.path().c_str(), roleName(role));
}

}  // namespace

ControlLink::ControlLink(const ControlKey& key, Role role)
    : operatorKey_(key.bytes()), stationKey_(key.stationBytes()), role_(role) {
  ensureSodium();
  checkKeyForRole(key, role);
  randombytes_buf(nonce_.data(), nonce_.size());
  chooseKey();
}

ControlLink::ControlLink(const ControlKey& key, Role role, const std::array<uint8_t, kNonceBytes>& nonce)
    : operatorKey_(key.bytes()), stationKey_(key.stationBytes()), role_(role), nonce_(nonce) {
  ensureSodium();
  checkKeyForRole(key, role);
  chooseKey();
}

void ControlLink::chooseKey() {
  // The connection's key is its non-director side's: a station's link is sealed with the
  // station key both ways, an operator's with the operator key. The director's side knows
  // which only from the greeting; before it, nothing is sealed or opened.
  const Role side = role_ != Role::Director ? role_ : peerRole_;
  key_ = side == Role::Station ? stationKey_ : operatorKey_;
}

std::vector<uint8_t> ControlLink::greeting() const {
  std::vector<uint8_t> out;
  out.reserve(kGreetingBytes);
  out.insert(out.end(), kGreetingMagic, kGreetingMagic + 4);
  out.push_back(uint8_t(role_));
  out.insert(out.end(), nonce_.begin(), nonce_.end());
  return out;
}

bool ControlLink::acceptGreeting(std::span<const uint8_t> data, std::string& error) {
  const auto refuse = [&](std::string why) {
    error = std::move(why);
    ++refused_;
    return false;
  };
  if (greeted_) return refuse(std::string("second greeting (this ") + roleName(peerRole_) + " already greeted)");
  if (data.size() < 4 || std::memcmp(data.data(), kGreetingMagic, 4) != 0) {
    if (data.size() >= 4 && std::memcmp(data.data(), kEnvelopeMagic, 4) == 0)
      return refuse("a sealed message where the greeting should be");
    return refuse("not a greeting (wrong magic)");
  }
  if (data.size() != kGreetingBytes)
    return refuse("greeting of " + std::to_string(data.size()) + " bytes (expected " +
                  std::to_string(kGreetingBytes) + ")");
  const uint8_t role = data[4];
  if (!knownRole(role)) return refuse("greeting with unknown role " + std::to_string(role));
  // Both sides of a real connection have different roles and fresh nonces; a greeting that
  // claims ours is a connection looped or relayed back to us, on which our own sealed
  // messages would open.
  if (Role(role) == role_)
    return refuse(std::string("greeting claims this side's own role (") + roleName(role_) + "): a reflected connection?");
  if (std::memcmp(data.data() + 5, nonce_.data(), kNonceBytes) == 0)
    return refuse("greeting repeats this side's own nonce: a reflected connection?");
  // Two peers of the non-director roles never talk to each other.
  if (role_ != Role::Director && Role(role) != Role::Director)
    return refuse(std::string("greeting from a ") + roleName(Role(role)) + " to a " + roleName(role_) +
                  " (only the director talks to stations and operators)");
  peerRole_ = Role(role);
  std::memcpy(peerNonce_.data(), data.data() + 5, kNonceBytes);
  greeted_ = true;
  chooseKey();
  return true;
}

// ---- [SECTION] ControlLink: seal -------------------------------------------------------------

std::vector<uint8_t> ControlLink::seal(ControlType type, const nlohmann::json& body) {
  PAV_CHECK(greeted_, "ControlLink::seal(%s) before the other side's greeting", messageName(type));
  PAV_CHECK(knownMessageType(uint8_t(type)), "ControlLink::seal: unknown message type %d", int(type));
  PAV_CHECK(body.is_object(), "ControlLink::seal(%s): the body must be a JSON object, not %s", messageName(type),
            body.type_name());
  // Replace, not throw, on invalid UTF-8: a station's log line may hold any bytes.
  const std::string text = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  PAV_CHECK(text.size() <= kMaxBodyBytes, "ControlLink::seal(%s): a body of %zu bytes (at most %zu)",
            messageName(type), text.size(), kMaxBodyBytes);
  PAV_CHECK(sendCounter_ < UINT64_MAX, "ControlLink::seal: the counter ran out");

  const uint64_t counter = sendCounter_ + 1;
  std::vector<uint8_t> out;
  out.reserve(kMinEnvelopeBytes + text.size());
  out.insert(out.end(), kEnvelopeMagic, kEnvelopeMagic + 4);
  out.push_back(uint8_t(type));
  putLe(out, counter, 8);
  putLe(out, text.size(), 4);
  out.insert(out.end(), text.begin(), text.end());
  uint8_t mac[kMacBytes];
  computeMac(key_, peerNonce_, role_, out, mac);
  out.insert(out.end(), mac, mac + kMacBytes);
  sendCounter_ = counter;
  return out;
}

// ---- [SECTION] ControlLink: open -------------------------------------------------------------

ControlLink::Opened ControlLink::open(std::span<const uint8_t> data) {
  Opened m;
  const auto refuse = [&](std::string why) {
    m.ok = false;
    m.error = std::move(why);
    m.body = nlohmann::json();
    ++refused_;
    return m;
  };
  // The layout first: nothing here costs more than a comparison. A greeting is shorter than
  // any sealed message, so it is named before the length is.
  if (data.size() >= 4 && std::memcmp(data.data(), kGreetingMagic, 4) == 0)
    return refuse("a greeting where a sealed message should be");
  if (data.size() < kMinEnvelopeBytes)
    return refuse("too short (" + std::to_string(data.size()) + " bytes; a sealed message has at least " +
                  std::to_string(kMinEnvelopeBytes) + ")");
  if (std::memcmp(data.data(), kEnvelopeMagic, 4) != 0) return refuse("not a sealed control message (wrong magic)");
  const uint8_t type = data[4];
  const uint64_t counter = getLe(data.data() + 5, 8);
  const uint64_t length = getLe(data.data() + 13, 4);
  if (length > kMaxBodyBytes)
    return refuse("body too big (" + std::to_string(length) + " bytes; at most " + std::to_string(kMaxBodyBytes) + ")");
  if (data.size() != kMinEnvelopeBytes + length)
    return refuse("length mismatch (" + std::to_string(data.size()) + " bytes for a body of " +
                  std::to_string(length) + ")");
  if (!knownMessageType(type)) return refuse("unknown message type " + std::to_string(type));
  if (!greeted_) return refuse("no greeting yet");

  // Authenticity before anything reads the body.
  const std::span<const uint8_t> envelope = data.first(kHeaderBytes + length);
  uint8_t mac[kMacBytes];
  computeMac(key_, nonce_, peerRole_, envelope, mac);
  const bool macOk = crypto_verify_32(mac, data.data() + kHeaderBytes + length) == 0;
  sodium_memzero(mac, sizeof mac);
  if (!macOk) return refuse("bad MAC");
  if (counter <= receiveCounter_)
    return refuse("replayed or stale counter " + std::to_string(counter) + " (last " + std::to_string(receiveCounter_) +
                  ")");
  std::string error;
  try {
    if (!parseBody(data.subspan(kHeaderBytes, length), m.body, error)) return refuse(error);
  } catch (const std::exception& e) {  // out of memory: still a refusal, never an exception
    return refuse(std::string("body could not be read: ") + e.what());
  }

  receiveCounter_ = counter;
  m.ok = true;
  m.type = ControlType(type);
  return m;
}

}  // namespace pav::net
