// The pavilion's key file: where it lives, making one (folders 0700, file 0600, a random key and
// the operator password's libsodium hash), reading one back with messages a person can act
// on, and checking a password. The link that uses the key is in control.cpp.
//
// [SECTION] Helpers: libsodium, text, whole-file reads and writes
// [SECTION] ControlKey: path, create, load
// [SECTION] ControlKey: passwords
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string_view>

#include "pav/core/durable_file.h"
#include "pav/core/error.h"
#include "pav/net/control.h"

namespace pav::net {
namespace {

// ---- [SECTION] Helpers: libsodium, text, whole-file reads and writes -------------------------

constexpr size_t kMinPasswordChars = 8;
constexpr size_t kMaxKeyFileBytes = 64 * 1024;  // a key file is about 200 bytes
constexpr char kHowToMakeOne[] =
    "create the key files with `pavilion director --init`, then copy the operator key file to the operator machines and "
    "the station key file to every station, mode 0600";

// libsodium's own once-only start (thread-safe; 1 when it already ran).
void ensureSodium() {
  if (sodium_init() < 0) fail("libsodium could not start (sodium_init failed): the pavilion key cannot be used");
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Characters, not bytes: a password may be typed in any script.
size_t utf8Chars(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string octal(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", unsigned(mode & 07777));
  return text;
}

// Every missing folder above `path`, made 0700: the key's folder is nobody else's business.
void makeParents(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) return;
  std::filesystem::path sofar;
  for (const std::filesystem::path& part : parent) {
    sofar /= part;
    if (::mkdir(sofar.c_str(), 0700) == 0 || errno == EEXIST) continue;
    fail("%s: cannot make the folder for the pavilion key file (%s)", sofar.c_str(), std::strerror(errno));
  }
  struct stat st {};
  if (::stat(parent.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    fail("%s: is not a folder, so the pavilion key file cannot go in it", parent.c_str());
}

// Closes the descriptor on every path out.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

// The file's text, after checking that only its owner can read or write it.
std::string readPrivateFile(const std::string& path) {
  Fd f{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY)};
  if (f.fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) fail("%s: no pavilion key file (%s)", path.c_str(), kHowToMakeOne);
    fail("%s: cannot open the pavilion key file (%s)", path.c_str(), std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) fail("%s: cannot read the pavilion key file (%s)", path.c_str(), std::strerror(errno));
  if (!S_ISREG(st.st_mode)) fail("%s: is not a regular file, so not a pavilion key file", path.c_str());
  // Checked on the open file, so it cannot be swapped between the check and the read.
  if (st.st_mode & 0044)
    fail("%s: is readable by others (mode %s); run chmod 600 %s", path.c_str(), octal(st.st_mode).c_str(), path.c_str());
  if (st.st_mode & 0022)
    fail("%s: is writable by others (mode %s); run chmod 600 %s", path.c_str(), octal(st.st_mode).c_str(), path.c_str());
  if (size_t(st.st_size) > kMaxKeyFileBytes)
    fail("%s: %lld bytes is too big for a pavilion key file (%s)", path.c_str(), (long long)st.st_size, kHowToMakeOne);
  std::string text;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(f.fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("%s: cannot read the pavilion key file (%s)", path.c_str(), std::strerror(errno));
    if (n == 0) break;
    text.append(buffer, size_t(n));
    if (text.size() > kMaxKeyFileBytes) fail("%s: too big for a pavilion key file (%s)", path.c_str(), kHowToMakeOne);
  }
  sodium_memzero(buffer, sizeof buffer);
  return text;
}

}  // namespace

// ---- [SECTION] ControlKey: path, create, load ------------------------------------------------

std::string ControlKey::defaultPath() {
  // The XDG base directory spec: a relative $XDG_CONFIG_HOME is to be ignored.
  const char* config = std::getenv("XDG_CONFIG_HOME");
  if (config && config[0] == '/') return std::string(config) + "/pavilion/pavilion.key";
  const char* home = std::getenv("HOME");
  if (home && home[0]) return std::string(home) + "/.config/pavilion/pavilion.key";
  fail("neither $XDG_CONFIG_HOME nor $HOME is set, so there is no default place for the pavilion key file; "
       "give its path with --key FILE");
}

namespace {

std::string hexOf(const std::array<uint8_t, ControlKey::kBytes>& bytes) {
  char hex[ControlKey::kBytes * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, bytes.data(), bytes.size());
  std::string out(hex);
  sodium_memzero(hex, sizeof hex);
  return out;
}

// Writes `text` as a private file at `path` (folders 0700, the file 0600), never replacing one
// unless `overwrite`; wipes `text`. Durably (pav/core/durable_file.h: a temporary beside it,
// fsync, rename, fsync of the folder): a crash during `--init --force` leaves the old key or the
// new one whole, never a half file that locks every station out.
void writeKeyFile(const std::string& path, std::string& text, bool overwrite) {
  const auto wipe = [&] { sodium_memzero(text.data(), text.size()); };
  // An existing key is never replaced by accident (other machines hold copies of it).
  if (!overwrite && std::filesystem::exists(path)) {
    wipe();
    fail("%s: a pavilion key file is already there; pass the overwrite flag (--force) to replace it, then copy the "
         "new files to the station and operator machines",
         path.c_str());
  }
  try {
    makeParents(path);
    core::DurableFile file(path, 0600);
    file.write(text);
    file.commit(overwrite ? core::Replace::Yes : core::Replace::No);
  } catch (...) {
    wipe();
    throw;  // DurableFile's errors name the file and what failed
  }
  wipe();
}

}  // namespace

std::string ControlKey::stationPathFor(const std::string& operatorPath) {
  const std::filesystem::path p(operatorPath);
  return (p.parent_path() / (p.stem().string() + ".station.key")).string();
}

ControlKey ControlKey::create(const std::string& path, const std::string& password, bool overwrite) {
  ensureSodium();
  PAV_CHECK(!path.empty(), "no path for the pavilion key file");
  const size_t chars = utf8Chars(password);
  PAV_CHECK(chars >= kMinPasswordChars, "the operator password must be at least %zu characters (this one has %zu)",
            kMinPasswordChars, chars);

  ControlKey key;
  key.path_ = path;
  crypto_auth_hmacsha256_keygen(key.key_.data());
  crypto_auth_hmacsha256_keygen(key.stationKey_.data());
  char hash[crypto_pwhash_STRBYTES] = {};
  if (crypto_pwhash_str(hash, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    fail("%s: hashing the operator password failed (out of memory?)", path.c_str());
  key.passwordHash_ = hash;

  std::string text =
      "# pavilion operator key file: keep it secret (mode 0600). It goes on the director and the operators'\n"
      "# machines (`pavilion ctl`), never on a station: stations get the station key file. `pavilion director\n"
      "# --init --force` makes new ones.\n"
      "key = " + hexOf(key.key_) + "\nstation-key = " + hexOf(key.stationKey_) + "\npassword = " + key.passwordHash_ + "\n";
  writeKeyFile(path, text, overwrite);
  return key;
}

void ControlKey::writeStationFile(const std::string& path, bool overwrite) const {
  ensureSodium();
  PAV_CHECK(!path.empty(), "no path for the station key file");
  std::string text =
      "# pavilion station key file: keep it secret (mode 0600). It goes on every station machine; it lets a\n"
      "# station report to the director and nothing more (no launching, no stopping).\n"
      "station-key = " + hexOf(stationKey_) + "\n";
  writeKeyFile(path, text, overwrite);
}

ControlKey ControlKey::load(const std::string& path) {
  ensureSodium();
  std::string text = readPrivateFile(path);
  ControlKey key;
  key.path_ = path;
  bool haveKey = false, haveStation = false, havePassword = false;
  int lineNumber = 0;
  size_t start = 0;
  std::string error;
  while (start < text.size() && error.empty()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string_view line = trim(std::string_view(text).substr(start, end - start));
    start = end + 1;
    ++lineNumber;
    const std::string where = path + ":" + std::to_string(lineNumber) + ": ";
    if (line.empty() || line.front() == '#') continue;
    // The line itself is never quoted back: it may hold the key.
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      error = where + "expected `key = <64 hex digits>` or `password = $argon2id$...`";
      break;
    }
    const std::string_view name = trim(line.substr(0, eq));
    const std::string_view value = trim(line.substr(eq + 1));
    if (name == "key" || name == "station-key") {
      const bool station = name == "station-key";
      bool& have = station ? haveStation : haveKey;
      std::array<uint8_t, kBytes>& into = station ? key.stationKey_ : key.key_;
      size_t bytes = 0;
      const char* hexEnd = nullptr;
      if (have)
        error = where + "a second " + std::string(name) + " line";
      else if (value.size() != kBytes * 2 ||
               sodium_hex2bin(into.data(), into.size(), value.data(), value.size(), nullptr, &bytes, &hexEnd) != 0 ||
               bytes != kBytes || hexEnd != value.data() + value.size())
        error = where + "the " + std::string(name) + " must be 64 hex digits (this one is " + std::to_string(value.size()) +
                " characters" + (value.size() == kBytes * 2 ? ", not all hex)" : ")");
      have = true;
    } else if (name == "password") {
      if (havePassword)
        error = where + "a second password line";
      else if (value.substr(0, 7) != "$argon2" || value.size() >= crypto_pwhash_STRBYTES)
        error = where + "the password must be the hash `pavilion director --init` writes ($argon2id$...), not the password";
      else
        key.passwordHash_ = std::string(value);
      havePassword = true;
    } else {
      error = where + "unknown setting '" + std::string(name.substr(0, 32)) +
              "' (a key file has only `key`, `station-key` and `password`)";
    }
  }
  sodium_memzero(text.data(), text.size());
  if (error.empty() && !haveKey && !haveStation) error = path + ": no `key = <64 hex digits>` line (" + kHowToMakeOne + ")";
  if (error.empty() && !haveKey && havePassword)
    error = path + ": a password without an operator `key` line (a station's file holds only `station-key`)";
  if (!error.empty()) {
    sodium_memzero(key.key_.data(), key.key_.size());
    sodium_memzero(key.stationKey_.data(), key.stationKey_.size());
    throw Error(error);
  }
  if (!haveStation) key.stationKey_ = key.key_;  // a file from before the roles were split: one key for both
  key.hasOperatorKey_ = haveKey;
  return key;
}

ControlKey ControlKey::fromBytes(const std::array<uint8_t, kBytes>& bytes) { return fromBytes(bytes, bytes); }

ControlKey ControlKey::fromBytes(const std::array<uint8_t, kBytes>& operatorBytes, const std::array<uint8_t, kBytes>& stationBytes) {
  ControlKey key;
  key.key_ = operatorBytes;
  key.stationKey_ = stationBytes;
  return key;
}

ControlKey ControlKey::stationFromBytes(const std::array<uint8_t, kBytes>& stationBytes) {
  ControlKey key;
  key.stationKey_ = stationBytes;
  key.hasOperatorKey_ = false;
  return key;
}

// ---- [SECTION] ControlKey: passwords ---------------------------------------------------------

std::string ControlKey::randomPassword() {
  ensureSodium();
  // No 0/o, 1/l/i: read aloud or copied from a screen, nothing is mistaken. 31^16, about 79 bits.
  static constexpr char kAlphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
  constexpr uint32_t kLetters = sizeof kAlphabet - 1;
  std::string out;
  for (int group = 0; group < 4; ++group) {
    if (group) out += '-';
    for (int i = 0; i < 4; ++i) out += kAlphabet[randombytes_uniform(kLetters)];
  }
  return out;
}

bool ControlKey::checkPassword(const std::string& password) const {
  if (passwordHash_.empty()) return false;
  ensureSodium();
  // libsodium reads the hash as a NUL-terminated string within crypto_pwhash_STRBYTES.
  char hash[crypto_pwhash_STRBYTES] = {};
  if (passwordHash_.size() >= sizeof hash) return false;
  std::memcpy(hash, passwordHash_.data(), passwordHash_.size());
  return crypto_pwhash_str_verify(hash, password.data(), password.size()) == 0;
}

}  // namespace pav::net
