// Loading a replay: the file read once (its size from fstat, nothing from its contents), every
// digest checked before the bytes behind it are believed, then one allocation for the ticks the
// verified chunks really hold. Layout and guarantees: pav/core/replay.h.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sstream>

#include "pav/core/error.h"
#include "pav/core/replay.h"
#include "replay_format.h"

namespace pav::core {
namespace {

using namespace replayfmt;

// Bigger than any session (hours of eight seats); refused before a byte is read.
constexpr uint64_t kMaxFileBytes = uint64_t(4) << 30;

struct Reader {
  const std::string& path;
  std::string bytes;

  [[noreturn]] void bad(const std::string& why) const {
    fail("%s: not a usable replay: %s", path.c_str(), why.c_str());
  }
  [[noreturn]] void changed(const std::string& where) const {
    fail("%s: not a usable replay: %s does not match its checksum: the file was changed or damaged", path.c_str(),
         where.c_str());
  }
  template <typename T>
  T at(size_t offset) const {
    T v;
    std::memcpy(&v, bytes.data() + offset, sizeof v);
    return v;
  }
  Digest digestAt(size_t offset) const {
    Digest d;
    std::memcpy(d.data(), bytes.data() + offset, d.size());
    return d;
  }
};

std::string readAll(const std::string& path) {
  const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) fail("%s: cannot open the replay: %s", path.c_str(), std::strerror(errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) fail("%s: cannot read the replay: %s", path.c_str(), std::strerror(errno));
  if (!S_ISREG(st.st_mode)) fail("%s: not a usable replay: not a regular file", path.c_str());
  if (uint64_t(st.st_size) > kMaxFileBytes)
    fail("%s: not a usable replay: %lld bytes is over the 4 GiB a replay may have", path.c_str(),
         static_cast<long long>(st.st_size));
  std::string bytes(size_t(st.st_size), '\0');
  size_t got = 0;
  while (got < bytes.size()) {
    const ssize_t n = ::read(fd.get(), bytes.data() + got, bytes.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("%s: cannot read the replay: %s", path.c_str(), std::strerror(errno));
    if (n == 0) break;  // it shrank meanwhile: what is there is checked like any cut file
    got += size_t(n);
  }
  bytes.resize(got);
  return bytes;
}

void parseHeader(const Reader& f, const std::string& text, Replay& r) {
  std::istringstream header(text);
  size_t inputBytes = 0;
  for (std::string line; std::getline(header, line);) {
    const size_t eq = line.find('=');
    if (eq == std::string::npos) f.bad("a header line without '='");
    const std::string key = line.substr(0, eq), value = line.substr(eq + 1);
    try {
      if (key == "title") r.title = value;
      else if (key == "players") r.setup.players = std::stoi(value);
      else if (key == "seed") r.setup.seed = std::stoull(value);
      else if (key == "skill") r.setup.skill = std::stoi(value);
      else if (key == "duration") r.setup.durationSeconds = std::stod(value);
      else if (key == "tick_hz") r.tickRateHz = std::stod(value);
      else if (key == "input_bytes") inputBytes = std::stoull(value);
      else if (key == "assists") r.setup.assists = std::stoi(value);  // absent (older replays): off
    } catch (const std::exception&) {
      f.bad("a header value is not a number");
    }
  }
  if (r.title.empty()) f.bad("the header names no title");
  if (r.setup.players < 1 || r.setup.players > kMaxPlayers) f.bad("the header's player count is out of range");
  if (inputBytes != sizeof(InputFrame)) f.bad("it was written by a build with another input layout");
  if (r.setup.assists < kAssistsOff || r.setup.assists > kAssistsExpo) f.bad("the header's assists are out of range");
}

// Decodes one verified chunk's payload into the ticks from `first` on.
void decodeChunk(const Reader& f, size_t at, size_t end, uint64_t first, uint32_t ticks, std::vector<InputFrame>& last,
                 Replay& r) {
  const size_t players = last.size();
  for (uint64_t t = first; t < first + ticks; ++t) {
    for (size_t p = 0; p < players; ++p) {
      if (at + 4 > end) f.bad("the chunk from tick " + std::to_string(first) + " ends inside a tick");
      const uint32_t mask = f.at<uint32_t>(at);
      at += 4;
      if ((mask & ~kAllWords) != 0 || (t == 0 && mask != kAllWords)) f.bad("an input mask names words an input does not have");
      uint32_t words[kInputWords];
      std::memcpy(words, &last[p], sizeof words);
      for (size_t w = 0; w < kInputWords; ++w) {
        if (!(mask & (1u << w))) continue;
        if (at + 4 > end) f.bad("the chunk from tick " + std::to_string(first) + " ends inside a tick");
        words[w] = f.at<uint32_t>(at);
        at += 4;
      }
      std::memcpy(&last[p], words, sizeof words);
      r.inputs[t * players + p] = last[p];
    }
    if (at + 8 > end) f.bad("the chunk from tick " + std::to_string(first) + " ends inside a tick");
    r.hashes[t] = f.at<uint64_t>(at);
    at += 8;
  }
  if (at != end) f.bad("the chunk from tick " + std::to_string(first) + " has bytes after its last tick");
}

}  // namespace

Replay Replay::load(const std::string& path) {
  if (sodium_init() < 0) fail("%s: libsodium could not start: the replay cannot be checked", path.c_str());
  Reader f{path, readAll(path)};
  const std::string& bytes = f.bytes;
  if (bytes.size() >= kMagicBytes && bytes.compare(0, kMagicBytes, kMagicV1) == 0)
    f.bad("it is in replay format 1 (an older build, checked with FNV-1a); this build reads format 2 only");
  if (bytes.size() < kMagicBytes || bytes.compare(0, kMagicBytes, kMagic) != 0) f.bad("it does not start with PAVREPLAY2");

  // The header and its digest.
  if (bytes.size() < kMagicBytes + 4) f.bad("it is truncated inside its header");
  const uint32_t headerBytes = f.at<uint32_t>(kMagicBytes);
  if (headerBytes > kMaxHeader) f.bad("its header is too long");
  size_t at = kMagicBytes + 4 + headerBytes;
  if (bytes.size() < at + kDigestBytes) f.bad("it is truncated inside its header");
  Digest digest = chain(nullptr, bytes.data(), at);
  if (digest != f.digestAt(at)) f.changed("its header");
  Replay r;
  r.path = path;
  parseHeader(f, bytes.substr(kMagicBytes + 4, headerBytes), r);
  at += kDigestBytes;
  const size_t players = size_t(r.setup.players);

  // Pass 1: every chunk's digest, in order, before anything is allocated for it.
  const size_t firstChunk = at;
  uint64_t ticks = 0;
  bool complete = false;
  // A crash can leave a file's last blocks as zeros (its size written, its data not): a piece
  // that fails its check only because everything from inside it to the end is zero is where
  // the writing stopped, not a change. A finished file (its trailer at the end) never is.
  const bool finished = bytes.size() >= at + kTrailerBytes && bytes.compare(bytes.size() - kTrailerBytes, 4, kTrailerTag) == 0;
  size_t dataEnd = bytes.size();
  while (dataEnd > at && bytes[dataEnd - 1] == 0) --dataEnd;
  const auto cutInside = [&](size_t end) { return !finished && dataEnd < end; };
  for (;;) {
    const size_t left = bytes.size() - at;
    if (left == 0) break;  // no trailer: cut after a chunk
    if (left >= 4 && bytes.compare(at, 4, kTrailerTag) == 0) {
      if (left < kTrailerBytes) break;  // cut inside the trailer
      if (left > kTrailerBytes) f.bad("there are bytes after its end");
      if (chain(&digest, bytes.data() + at, 12) != f.digestAt(at + 12)) f.changed("its trailer");
      if (f.at<uint64_t>(at + 4) != ticks) f.bad("its trailer's tick count differs from its chunks'");
      complete = true;
      break;
    }
    // Cut inside a chunk's head, or a crash's unwritten (zero) tail: the end of what was written.
    if (left < kChunkHead || dataEnd <= at) {
      if (finished) f.bad("no chunk where one should start (byte " + std::to_string(at) + ")");
      break;
    }
    if (bytes.compare(at, 4, kChunkTag) != 0) f.bad("no chunk where one should start (byte " + std::to_string(at) + ")");
    const uint32_t payload = f.at<uint32_t>(at + 4);
    const uint64_t first = f.at<uint64_t>(at + 8);
    const uint32_t n = f.at<uint32_t>(at + 16);
    const std::string which = "the chunk from tick " + std::to_string(first);
    const Digest headCheck = chain(&digest, bytes.data() + at, kChunkFields);
    if (std::memcmp(headCheck.data(), bytes.data() + at + kChunkFields, 8) != 0) {
      if (cutInside(at + kChunkHead)) break;
      f.changed("the head of " + which);
    }
    if (kChunkHead + uint64_t(payload) + kDigestBytes > left) {
      // Cut inside it; but a finished file was not cut.
      if (finished) f.changed(which);
      break;
    }
    if (chain(&digest, bytes.data() + at, kChunkHead + payload) != f.digestAt(at + kChunkHead + payload)) {
      if (cutInside(at + kChunkHead + payload + kDigestBytes)) break;
      f.changed(which);
    }
    if (first != ticks) f.bad(which + " comes after tick " + std::to_string(ticks));
    if (n == 0 || uint64_t(n) * minTickBytes(players) > payload || payload > uint64_t(n) * maxTickBytes(players))
      f.bad(which + " holds " + std::to_string(payload) + " bytes, which cannot be " + std::to_string(n) + " ticks");
    digest = f.digestAt(at + kChunkHead + payload);
    ticks += n;
    at += kChunkHead + payload + kDigestBytes;
  }
  const size_t verifiedEnd = at;

  // Pass 2: decode. `ticks` is backed by at least minTickBytes per tick of verified payload.
  r.truncated = !complete;
  r.inputs.resize(ticks * players);
  r.hashes.resize(ticks);
  std::vector<InputFrame> last(players);
  for (at = firstChunk; at < verifiedEnd;) {
    if (bytes.compare(at, 4, kTrailerTag) == 0) break;
    const uint32_t payload = f.at<uint32_t>(at + 4);
    decodeChunk(f, at + kChunkHead, at + kChunkHead + payload, f.at<uint64_t>(at + 8), f.at<uint32_t>(at + 16), last, r);
    at += kChunkHead + payload + kDigestBytes;
  }
  return r;
}

}  // namespace pav::core
