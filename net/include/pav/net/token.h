// Session admission: the credentials a station shows a session server, after netcode.io's
// connect tokens.
//
// Each session has its own secret, a SessionKey: a random 64-bit session id and a 32-byte key.
// Whoever holds it (the director that launched the session, or a standalone `pavilion server`)
// issues one connect token per seat; the server admits a Hello only with a token that opens
// with its key, names its session, its title and an existing seat, and has not expired.
//
//   token (kConnectTokenBytes = 90):
//     version (1) = 1 | session id (8, little endian) | nonce (24) |
//     XChaCha20-Poly1305( key, nonce, ad = version | session id,
//                         seat (1) | expires (8, seconds since the epoch, little endian) |
//                         title (32, zero padded) ) (41 + 16 MAC)
//
// The session id travels in the clear (authenticated), so a token of another session is
// refused as "wrong session" without trying its key. On a command line or in a control message
// a token is 180 lower-case hex digits.
//
//   SessionKey key = SessionKey::random();
//   ConnectToken t = issueToken(key, 0, "hockey", unixSeconds() + 3600);
//   TokenClaims claims;  TokenCheck c = openToken(key, t, unixSeconds(), claims);
//
// Resume tokens (protocol.h's Welcome::token) are not sealed: 64 random bits the server hands
// the seat's holder, given back after a dropped link.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace pav::net {

constexpr size_t kSessionKeyBytes = 32;
constexpr size_t kTokenTitleBytes = 32;
constexpr size_t kTokenNonceBytes = 24;
constexpr size_t kTokenMacBytes = 16;
constexpr size_t kTokenPlainBytes = 1 + 8 + kTokenTitleBytes;
constexpr size_t kConnectTokenBytes = 1 + 8 + kTokenNonceBytes + kTokenPlainBytes + kTokenMacBytes;  // 90
constexpr uint8_t kTokenVersion = 1;

using ConnectToken = std::array<uint8_t, kConnectTokenBytes>;

struct SessionKey {
  uint64_t session = 0;
  std::array<uint8_t, kSessionKeyBytes> key{};

  // A fresh random id (never 0) and key (libsodium's randombytes).
  static SessionKey random();
  // The key file: text, two lines "session = <16 hex>" and "key = <64 hex>". save() writes it
  // mode 0600 (a new file, or replacing one through a temporary file); load() refuses a file
  // others may read. Both throw pav::Error naming the file and the problem.
  void save(const std::string& path) const;
  static SessionKey load(const std::string& path);
  // The file's text, and back (false for anything malformed; for the fuzzer and load()).
  std::string text() const;
  static bool parse(std::string_view text, SessionKey& out);
};

// What a token says once opened.
struct TokenClaims {
  uint64_t session = 0;
  int seat = -1;
  uint64_t expires = 0;
  std::string title;
};

enum class TokenCheck { Ok, Malformed, WrongSession, Forged, Expired };
// For refusals: "malformed credential", "credential of another session", ...
const char* tokenCheckText(TokenCheck c);

// A sealed token for `seat` (0..255) of the key's session playing `title` (at most 31
// characters), valid until `expires` (seconds since the epoch).
ConnectToken issueToken(const SessionKey& key, int seat, std::string_view title, uint64_t expires);
// Checks a token against the key and the time now (seconds since the epoch). `claims` is
// filled only when the answer is Ok (or Expired: then the claims are genuine but old).
TokenCheck openToken(const SessionKey& key, std::span<const uint8_t> token, uint64_t now, TokenClaims& claims);

// Seconds since the epoch, by the system's clock (tokens expire by the wall clock: the
// director and the server may be different machines).
uint64_t unixSeconds();
// 64 random bits, never 0 (resume tokens).
uint64_t randomToken();

std::string tokenHex(std::span<const uint8_t> token);
// False for anything but exactly kConnectTokenBytes * 2 hex digits.
bool parseTokenHex(std::string_view text, ConnectToken& out);

}  // namespace pav::net
