// The pavilion's control channel: how the director, the station agents and `pavilion ctl`
// talk. Every message after the greeting is authenticated with a key of the pavilion, so a
// visitor's laptop on the same network can neither launch nor stop anything.
//
// Two keys, two roles. Stations seal their messages with the station key; operators (`ctl`, the
// dashboard's requests through the director) with the operator key. The director holds both
// and opens a peer's messages with the key of the role its greeting claims, so a station's key
// file, copied off a station, cannot launch or stop anything: its MACs do not verify as an
// operator's. `pavilion director --init` writes the operator key file (operator key, station
// key, the dashboard password's hash: for the director and operator machines) and the station
// key file (the station key alone: for station machines).
//
// On an ENet connection (reliable channel) each side first sends a Greeting: its role and a
// fresh 32-byte random nonce. From then on every message is a sealed envelope
//
//   "PVC1" | type (1 byte) | counter (8 bytes, little endian) | body length (4 bytes) | body |
//   MAC (32 bytes) = HMAC-SHA-256(role key, receiver's nonce | sender's role (1 byte) | the bytes
//                                           before the MAC)
//
// where the role key is the station key on a station's connection and the operator key on an
// operator's. The MAC covers the nonce the *receiver* chose for this connection, so a message
// recorded on one connection is worthless on any other; the counter must grow on each
// connection, so a message replayed on the same connection is refused too. The sender's role
// is in the MAC and a greeting that claims the receiver's own role (or echoes its nonce) is
// refused, so a message cannot be reflected back to the side that sealed it, even through a
// second connection whose greeting an attacker chose. Bodies are JSON objects of at most
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
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace pav::net {

// ---- The key files ---------------------------------------------------------------------------

// The pavilion's secrets. Files are text, mode 0600. The operator key file (director, `ctl`,
// the dashboard):
//   # pavilion operator key file: keep it secret (mode 0600) ...
//   key = <64 hex digits>            the operator key
//   station-key = <64 hex digits>    the station key (the director needs it to hear stations)
//   password = $argon2id$v=19$...    the dashboard password's hash
// The station key file (station machines) has only `station-key`. A file with `key` and no
// `station-key` (made before the roles were split) uses its one key for both roles.
class ControlKey {
 public:
  static constexpr size_t kBytes = 32;

  // `$XDG_CONFIG_HOME/pavilion/pavilion.key`, or `~/.config/pavilion/pavilion.key`.
  static std::string defaultPath();
  // Where --init puts the station key file next to an operator key file: <folder>/<stem>.station.key
  // (pavilion.key -> pavilion.station.key).
  static std::string stationPathFor(const std::string& operatorPath);
  // Writes a new operator key file (folders made 0700, the file 0600) with a random operator
  // key, a random station key and the password's hash. Refuses to overwrite an existing file
  // unless `overwrite`. Throws pav::Error naming the file and the problem.
  static ControlKey create(const std::string& path, const std::string& password, bool overwrite = false);
  // Writes the station key file of this (operator) key: the station key alone. Same rules as create().
  void writeStationFile(const std::string& path, bool overwrite = false) const;
  // Reads a key file (either kind). Throws pav::Error naming the file and what is wrong with it:
  // missing (with how to make one: `pavilion director --init`), readable by others, malformed.
  static ControlKey load(const std::string& path);
  // A readable random password (for --init without --password): 4 groups of 4 letters/digits.
  static std::string randomPassword();

  // The operator key (all zeros in a station's file).
  const std::array<uint8_t, kBytes>& bytes() const { return key_; }
  const std::array<uint8_t, kBytes>& stationBytes() const { return stationKey_; }
  // False for a station's file: it can act only as a station.
  bool holdsOperatorKey() const { return hasOperatorKey_; }
  // Checks an operator password against the stored hash (constant time inside libsodium).
  bool checkPassword(const std::string& password) const;
  const std::string& path() const { return path_; }

  // For tests and fuzzers: keys from raw bytes, no file, no password. One key for both roles
  // (as a key file from before the split), the two keys, or a station's key alone.
  static ControlKey fromBytes(const std::array<uint8_t, kBytes>& bytes);
  static ControlKey fromBytes(const std::array<uint8_t, kBytes>& operatorBytes, const std::array<uint8_t, kBytes>& stationBytes);
  static ControlKey stationFromBytes(const std::array<uint8_t, kBytes>& stationBytes);

 private:
  std::array<uint8_t, kBytes> key_{};
  std::array<uint8_t, kBytes> stationKey_{};
  bool hasOperatorKey_ = true;
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
  // {session, title, port, seconds, startsIn, difficulty, players, token, lang, defaultLang} (token: the seat's connect
  // token, net/token.h; seconds: of play; startsIn: to the start of play (the lobby, the 3 s start); lang: the
  // launch's language, "" when none (the station's, else defaultLang, the director's, applies))
  Launch = 10,
  Stop = 11,     // {session, reason}
  Volume = 12,   // {volume: 0..100, muted}: what the station's visitor hears (issue 16); kept by the director, sent again at Register
  // Operators' live views and alerts (issue 20; net/PROTOCOL.md, "Live views and alerts")
  Watch = 13,    // director -> station {everySeconds: 0 (stop) | 1..10}: send a View that often while someone watches
  View = 14,     // station -> director {jpeg: base64 of at most kMaxViewJpegBytes, width, height}: the left eye, small
  Alert = 15,    // station -> director {kind: call|trainer|wheel|headset, detail}: the station asks for staff
  // operator -> director, and the answer
  Request = 20,  // {command, ...arguments}
  Reply = 21,    // {ok, error?, ...}
};
const char* messageName(ControlType t);
bool knownMessageType(uint8_t t);

// A live view's picture: at most this many JPEG bytes (before base64), at most this size.
constexpr size_t kMaxViewJpegBytes = 20 * 1024;
constexpr int kMaxViewWidth = 640, kMaxViewHeight = 360;

// Base64 (the standard alphabet, with padding) for bytes in a JSON body: a View's picture.
std::string base64Encode(std::span<const uint8_t> bytes);
// False for text that is not base64 or decodes to more than `maxBytes`.
bool base64Decode(std::string_view text, size_t maxBytes, std::string& out);

constexpr size_t kNonceBytes = 32;
constexpr size_t kMacBytes = 32;
constexpr size_t kMaxBodyBytes = 64 * 1024;
constexpr int kMaxBodyDepth = 32;  // levels of nested objects/arrays, the body's own included

// One side of one connection. A station's side seals and opens with the station key, an
// operator's with the operator key, the director's with the key of the role its peer's greeting
// claims. Throws pav::Error when `key` holds no key for `role` (a station's file used by an
// operator or the director).
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
  void chooseKey();  // key_ for this link's role and its peer's

  std::array<uint8_t, ControlKey::kBytes> key_{}, operatorKey_{}, stationKey_{};
  Role role_;
  Role peerRole_{};
  std::array<uint8_t, kNonceBytes> nonce_{}, peerNonce_{};
  bool greeted_ = false;
  uint64_t sendCounter_ = 0, receiveCounter_ = 0;
  uint64_t refused_ = 0;
};

}  // namespace pav::net
