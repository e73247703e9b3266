// Session admission's credentials (see token.h): session keys and their file, connect tokens
// sealed with XChaCha20-Poly1305, resume tokens, hex.
#include "pav/net/token.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "pav/core/error.h"

namespace pav::net {
namespace {

constexpr size_t kHeaderBytes = 1 + 8;  // version, session id: the additional data
constexpr size_t kMaxKeyFileBytes = 4096;

void ensureSodium() {
  if (sodium_init() < 0) fail("libsodium could not start (sodium_init failed): no session credentials");
}

void putU64(uint8_t* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = uint8_t(v >> (8 * i));
}
uint64_t getU64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= uint64_t(p[i]) << (8 * i);
  return v;
}

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool parseHex(std::string_view text, uint8_t* out, size_t bytes) {
  if (text.size() != bytes * 2) return false;
  for (size_t i = 0; i < bytes; ++i) {
    const int hi = hexDigit(text[2 * i]), lo = hexDigit(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = uint8_t(hi << 4 | lo);
  }
  return true;
}

std::string toHex(const uint8_t* data, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s(n * 2, '0');
  for (size_t i = 0; i < n; ++i) s[2 * i] = kDigits[data[i] >> 4], s[2 * i + 1] = kDigits[data[i] & 15];
  return s;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

// ---- The key ---------------------------------------------------------------------------------

SessionKey SessionKey::random() {
  ensureSodium();
  SessionKey k;
  k.session = randomToken();
  randombytes_buf(k.key.data(), k.key.size());
  return k;
}

std::string SessionKey::text() const {
  uint8_t id[8];
  for (int i = 0; i < 8; ++i) id[i] = uint8_t(session >> (56 - 8 * i));
  return "# pavilion session key: the session server's secret (mode 0600)\nsession = " + toHex(id, 8) +
         "\nkey = " + toHex(key.data(), key.size()) + "\n";
}

bool SessionKey::parse(std::string_view text, SessionKey& out) {
  SessionKey k;
  bool haveSession = false, haveKey = false;
  while (!text.empty()) {
    const size_t eol = text.find('\n');
    std::string_view line = trim(text.substr(0, eol));
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    if (line.empty() || line.front() == '#') continue;
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos) return false;
    const std::string_view name = trim(line.substr(0, eq)), value = trim(line.substr(eq + 1));
    if (name == "session" && !haveSession) {
      uint8_t id[8];
      if (!parseHex(value, id, 8)) return false;
      k.session = 0;
      for (uint8_t b : id) k.session = k.session << 8 | b;
      haveSession = k.session != 0;
      if (!haveSession) return false;
    } else if (name == "key" && !haveKey) {
      if (!parseHex(value, k.key.data(), k.key.size())) return false;
      haveKey = true;
    } else {
      return false;
    }
  }
  if (!haveSession || !haveKey) return false;
  out = k;
  return true;
}

void SessionKey::save(const std::string& path) const {
  const std::string temp = path + ".tmp";
  ::unlink(temp.c_str());
  Fd f{::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, 0600)};
  if (f.fd < 0) fail("%s: cannot write the session key (%s)", temp.c_str(), std::strerror(errno));
  const std::string t = text();
  if (::fchmod(f.fd, 0600) != 0 || ::write(f.fd, t.data(), t.size()) != ssize_t(t.size()) || ::fsync(f.fd) != 0)
    fail("%s: cannot write the session key (%s)", temp.c_str(), std::strerror(errno));
  if (::rename(temp.c_str(), path.c_str()) != 0)
    fail("%s: cannot write the session key (%s)", path.c_str(), std::strerror(errno));
}

SessionKey SessionKey::load(const std::string& path) {
  Fd f{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY)};
  if (f.fd < 0) fail("%s: cannot read the session key (%s)", path.c_str(), std::strerror(errno));
  struct stat st{};
  if (::fstat(f.fd, &st) != 0 || !S_ISREG(st.st_mode)) fail("%s: is not a session key file", path.c_str());
  if (st.st_mode & 0077) fail("%s: others may read the session key (mode %04o); it must be 0600", path.c_str(), unsigned(st.st_mode & 07777));
  if (st.st_size > off_t(kMaxKeyFileBytes)) fail("%s: too big for a session key file", path.c_str());
  std::string text(size_t(st.st_size), '\0');
  if (::read(f.fd, text.data(), text.size()) != ssize_t(text.size())) fail("%s: cannot read the session key", path.c_str());
  SessionKey k;
  if (!parse(text, k)) fail("%s: not a session key file (want the lines \"session = <16 hex>\" and \"key = <64 hex>\")", path.c_str());
  return k;
}

// ---- Tokens ----------------------------------------------------------------------------------

const char* tokenCheckText(TokenCheck c) {
  switch (c) {
    case TokenCheck::Ok: return "valid credential";
    case TokenCheck::Malformed: return "malformed credential";
    case TokenCheck::WrongSession: return "credential of another session";
    case TokenCheck::Forged: return "credential not issued for this session (bad seal)";
    case TokenCheck::Expired: return "expired credential";
  }
  return "bad credential";
}

ConnectToken issueToken(const SessionKey& key, int seat, std::string_view title, uint64_t expires) {
  ensureSodium();
  PAV_CHECK(seat >= 0 && seat <= 255 && title.size() < kTokenTitleBytes, "issueToken: seat %d, title of %zu bytes", seat,
            title.size());
  ConnectToken t{};
  t[0] = kTokenVersion;
  putU64(&t[1], key.session);
  uint8_t* nonce = &t[kHeaderBytes];
  randombytes_buf(nonce, kTokenNonceBytes);
  uint8_t plain[kTokenPlainBytes] = {};
  plain[0] = uint8_t(seat);
  putU64(&plain[1], expires);
  std::memcpy(&plain[9], title.data(), title.size());
  unsigned long long n = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(&t[kHeaderBytes + kTokenNonceBytes], &n, plain, sizeof plain, t.data(),
                                             kHeaderBytes, nullptr, nonce, key.key.data());
  sodium_memzero(plain, sizeof plain);
  return t;
}

TokenCheck openToken(const SessionKey& key, std::span<const uint8_t> token, uint64_t now, TokenClaims& claims) {
  if (token.size() != kConnectTokenBytes || token[0] != kTokenVersion) return TokenCheck::Malformed;
  if (getU64(&token[1]) != key.session) return TokenCheck::WrongSession;
  ensureSodium();
  uint8_t plain[kTokenPlainBytes];
  unsigned long long n = 0;
  const uint8_t* sealed = &token[kHeaderBytes + kTokenNonceBytes];
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain, &n, nullptr, sealed, kTokenPlainBytes + kTokenMacBytes, token.data(),
                                                 kHeaderBytes, &token[kHeaderBytes], key.key.data()) != 0 ||
      n != kTokenPlainBytes)
    return TokenCheck::Forged;
  const char* title = reinterpret_cast<const char*>(&plain[9]);
  claims.session = key.session;
  claims.seat = plain[0];
  claims.expires = getU64(&plain[1]);
  claims.title.assign(title, strnlen(title, kTokenTitleBytes - 1));
  return now > claims.expires ? TokenCheck::Expired : TokenCheck::Ok;
}

uint64_t unixSeconds() {
  using namespace std::chrono;
  return uint64_t(duration_cast<seconds>(system_clock::now().time_since_epoch()).count());
}

uint64_t randomToken() {
  ensureSodium();
  uint64_t v = 0;
  while (v == 0) randombytes_buf(&v, sizeof v);
  return v;
}

std::string tokenHex(std::span<const uint8_t> token) { return toHex(token.data(), token.size()); }

bool parseTokenHex(std::string_view text, ConnectToken& out) { return parseHex(text, out.data(), out.size()); }

}  // namespace pav::net
