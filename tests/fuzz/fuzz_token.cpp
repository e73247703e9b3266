// Fuzz target: session admission's credentials (net/token.h), everything a station or a file
// can put in front of them: openToken on the bytes as a connect token, parseTokenHex and
// SessionKey::parse on the bytes as text.
//
// Properties:
//   - openToken says Malformed exactly when the size or version byte is wrong, WrongSession
//     exactly when the session id differs from the key's; an accepted token's claims are in range
//     (seat 0..255, a title of at most 31 bytes with no NUL);
//   - a token parsed from hex prints back as the same hex (lower case);
//   - a parsed session key prints a text that parses back to the same key.
#include <cctype>
#include <string>
#include <string_view>

#include "fuzz_common.h"
#include "pav/net/token.h"

using namespace pav;
using namespace pav::net;

namespace {

// The fuzzer's key: fixed, so the seed corpus can hold tokens it accepts (fuzz_seeds.cpp).
SessionKey fuzzKey() {
  SessionKey k;
  k.session = 0x0123456789abcdefull;
  for (size_t i = 0; i < k.key.size(); ++i) k.key[i] = uint8_t(i * 7 + 1);
  return k;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const SessionKey key = fuzzKey();
  const std::span<const uint8_t> bytes(data, size);
  TokenClaims claims;
  const TokenCheck check = openToken(key, bytes, 1000, claims);
  const bool wellFormed = size == kConnectTokenBytes && data[0] == kTokenVersion;
  FUZZ_CHECK((check == TokenCheck::Malformed) == !wellFormed, "malformed %d for %zu bytes", int(check), size);
  if (wellFormed) {
    uint64_t id = 0;
    for (int i = 0; i < 8; ++i) id |= uint64_t(data[1 + i]) << (8 * i);
    FUZZ_CHECK((check == TokenCheck::WrongSession) == (id != key.session), "session id check");
  }
  if (check == TokenCheck::Ok || check == TokenCheck::Expired)
    FUZZ_CHECK(claims.seat >= 0 && claims.seat <= 255 && claims.title.size() < kTokenTitleBytes &&
                   claims.title.find('\0') == std::string::npos,
               "claims out of range: seat %d, title of %zu bytes", claims.seat, claims.title.size());

  const std::string_view text(reinterpret_cast<const char*>(data), size);
  ConnectToken token{};
  if (parseTokenHex(text, token)) {
    std::string lower(text);
    for (char& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
    FUZZ_CHECK(tokenHex(token) == lower, "token hex does not print back");
  }
  SessionKey parsed;
  if (SessionKey::parse(text, parsed)) {
    SessionKey again;
    FUZZ_CHECK(SessionKey::parse(parsed.text(), again) && again.session == parsed.session && again.key == parsed.key,
               "a session key does not round-trip through its text");
    FUZZ_CHECK(parsed.session != 0, "session id 0 accepted");
  }
  return 0;
}
