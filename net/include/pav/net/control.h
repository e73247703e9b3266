// The pavilion's control channel: how the director, the station agents and `pavilion ctl`
// talk. Every message after the greeting is authenticated with the pavilion's key, so a
// visitor's laptop on the same network can neither launch nor stop anything.
//
// On an ENet connection (reliable channel) each side first sends a Greeting: its role and a
// fresh 32-byte random nonce. From then on every message is a sealed envelope
//
//   "PVC1" | type (1 byte) | counter (8 bytes, little endian) | body length (4 bytes) | body |
//   MAC (32 bytes) = HMAC-SHA-256(key, receiver's nonce | sender's role (1 byte) | the bytes
//                                      before the MAC)
//
// The MAC covers the nonce the *receiver* chose for this connection, so a message recorded on
// one connection is worthless on any other; the counter must grow on each connection, so a
// message replayed on the same connection is refused too. The sender's role is in the MAC and
// a greeting that claims the receiver's own role (or echoes its nonce) is refused, so a
// message cannot be reflected back to the side that sealed it, even through a second
// connection whose greeting an attacker chose. Bodies are JSON objects of at most
// kMaxBodyBytes and 32 levels of nesting (control messages are few and small; JSON keeps
// `ctl --json` and the dashboard one format).
//
//   ControlKey key = ControlKey::load(path);            // or ControlKey::create(...)
//   ControlLink link(key, Role::Station);
//   send(link.greeting());                              // on connect
//   ...  on receive:  ControlLink::Opened m = link.open(bytes);
//        if (!m.ok) log(m.error);  else handle(m.type, m.body);
//   send(link.seal(ControlType::Health, body));
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace pav::net {

// ---- The key file ----------------------------------------------------------------------------

// The pavilion's shared secret and the operator's password (kept only as a libsodium
// crypto_pwhash string). The file is text, mode 0600:
//   # pavilion key file: keep it secret (mode 0600) ...
//   key = <64 hex digits>
//   password = $argon2id$v=19$...
class ControlKey {
 public:
  static constexpr size_t kBytes = 32;

  // `$XDG_CONFIG_HOME/pavilion/pavilion.key`, or `~/.config/pavilion/pavilion.key`.
  static std::string defaultPath();
  // Writes a new key file (folders made 0700, the file 0600) with a random key and the
  // password's hash. Refuses to overwrite an existing file unless `overwrite`. Throws
  // pav::Error naming the file and the problem.
  static ControlKey create(const std::string& path, const std::string& password, bool overwrite = false);
  // Reads a key file. Throws pav::Error naming the file and what is wrong with it: missing
  // (with how to make one: `pavilion director --init`), readable by others, malformed.
  static ControlKey load(const std::string& path);
  // A readable random password (for --init without --password): 4 groups of 4 letters/digits.
  static std::string randomPassword();

  const std::array<uint8_t, kBytes>& bytes() const { return key_; }
  // Checks an operator password against the stored hash (constant time inside libsodium).
  bool checkPassword(const std::string& password) const;
  const std::string& path() const { return path_; }

  // For tests and fuzzers: a key from raw bytes, no file, no password.
  static ControlKey fromBytes(const std::array<uint8_t, kBytes>& bytes);

 private:
  std::array<uint8_t, kBytes> key_{};
  std::string passwordHash_;
  std::string path_;
};

// ---- Messages --------------------------------------------------------------------------------

enum class Role : uint8_t { Director = 1, Station = 2, Operator = 3 };
const char* roleName(Role r);

// Not `MessageType`: that is the session protocol's (pav/net/protocol.h), in this namespace too.
enum class ControlType : uint8_t {
  // station -> director
  Register = 1,  // {name, version, titles[], headset, uptime}
  Health = 2,    // {state, title, session, remaining, seat, fps, missedFrames, rttMs, loss, uptime}
  Log = 3,       // {lines[]}
  // director -> station
  Launch = 10,   // {session, title, port, seconds, difficulty, players}
  Stop = 11,     // {session, reason}
  // operator -> director, and the answer
  Request = 20,  // {command, ...arguments}
  Reply = 21,    // {ok, error?, ...}
};
const char* messageName(ControlType t);
bool knownMessageType(uint8_t t);

constexpr size_t kNonceBytes = 32;
constexpr size_t kMacBytes = 32;
constexpr size_t kMaxBodyBytes = 64 * 1024;
constexpr int kMaxBodyDepth = 32;  // levels of nested objects/arrays, the body's own included

// One side of one connection.
class ControlLink {
 public:
  ControlLink(const ControlKey& key, Role role);
  // For tests and fuzzers only: a fixed nonce instead of a fresh random one, so sealed
  // messages are reproducible. Never on a real connection (a reused nonce lets a message
  // recorded on one connection be replayed on another).
  ControlLink(const ControlKey& key, Role role, const std::array<uint8_t, kNonceBytes>& nonce);

  // The first message on a connection (not sealed): magic "PVG1", role, this side's nonce.
  std::vector<uint8_t> greeting() const;
  // Reads the other side's greeting; false (with `error`, counted in refused()) for anything
  // else: a second greeting, wrong magic or length, an unknown role, this side's own role or
  // nonce (a reflection).
  bool acceptGreeting(std::span<const uint8_t> data, std::string& error);
  bool greeted() const { return greeted_; }
  Role peerRole() const { return peerRole_; }

  // A sealed message to the other side. Throws pav::Error (a programming error) before the
  // other side's greeting, for an unknown type, a body that is not a JSON object or whose
  // text exceeds kMaxBodyBytes. Invalid UTF-8 in strings is replaced, never thrown.
  std::vector<uint8_t> seal(ControlType type, const nlohmann::json& body);

  struct Opened {
    bool ok = false;
    ControlType type{};
    nlohmann::json body;
    std::string error;  // why it was refused: "no greeting yet", "bad MAC",
                        // "replayed or stale counter 7 (last 9)", ...
  };
  // Checks and decodes a sealed message. Never throws; a refused message changes nothing but
  // refused(). The MAC is checked before the body is parsed.
  Opened open(std::span<const uint8_t> data);

  // Messages and greetings refused on this link so far.
  uint64_t refused() const { return refused_; }

 private:
  std::array<uint8_t, ControlKey::kBytes> key_{};
  Role role_;
  Role peerRole_{};
  std::array<uint8_t, kNonceBytes> nonce_{}, peerNonce_{};
  bool greeted_ = false;
  uint64_t sendCounter_ = 0, receiveCounter_ = 0;
  uint64_t refused_ = 0;
};

}  // namespace pav::net
