// Replays: writing one tick at a time, loading with every field checked, re-simulating.
#include "pav/core/replay.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "pav/core/error.h"
#include "pav/core/log.h"

namespace pav::core {
namespace {

constexpr char kMagic[] = "PAVREPLAY1\n";
constexpr size_t kMagicBytes = sizeof kMagic - 1;
constexpr char kTrailer[] = "END!";
constexpr uint64_t kFnvBasis = 1469598103934665603ull;
constexpr uint32_t kMaxHeader = 4096;
constexpr size_t kInputWords = sizeof(InputFrame) / 4;
static_assert(sizeof(InputFrame) % 4 == 0 && kInputWords <= 32, "an input is at most 32 words (one mask bit each)");

std::string headerText(const TitleInfo& info, const TitleSetup& setup) {
  char text[512];
  std::snprintf(text, sizeof text,
                "title=%.*s\nplayers=%d\nseed=%llu\nskill=%d\nduration=%.6f\ntick_hz=%.6f\ninput_bytes=%zu\n",
                int(info.id.size()), info.id.data(), setup.players, static_cast<unsigned long long>(setup.seed),
                setup.skill, setup.durationSeconds, info.tickRateHz, sizeof(InputFrame));
  return text;
}

}  // namespace

// ---- Writing -----------------------------------------------------------------------------------

ReplayWriter::ReplayWriter(const std::string& path, const TitleInfo& info, const TitleSetup& setup)
    : path_(path), buffer_(1 << 16), last_(size_t(setup.players)), checksum_(kFnvBasis) {
  file_ = std::fopen(path.c_str(), "wb");
  if (!file_) fail("%s: cannot write the replay: %s", path.c_str(), std::strerror(errno));
  std::setvbuf(file_, buffer_.data(), _IOFBF, buffer_.size());
  const std::string header = headerText(info, setup);
  const uint32_t n = static_cast<uint32_t>(header.size());
  write(kMagic, kMagicBytes);
  write(&n, sizeof n);
  write(header.data(), n);
}

ReplayWriter::~ReplayWriter() { finish(); }

void ReplayWriter::write(const void* data, size_t n) {
  checksum_ = hashBytes(data, n, checksum_);
  if (file_ && !failed_ && std::fwrite(data, 1, n, file_) != n) failed_ = true;
}

void ReplayWriter::tick(std::span<const InputFrame> inputs, uint64_t stateHash) {
  // Per seat: a mask of the input's 4-byte words that changed since its last tick, then those
  // words (a bot's car changes 3 of 26).
  for (size_t seat = 0; seat < last_.size(); ++seat) {
    const InputFrame& in = seat < inputs.size() ? inputs[seat] : InputFrame{};
    uint32_t words[kInputWords], before[kInputWords];
    std::memcpy(words, &in, sizeof in);
    std::memcpy(before, &last_[seat], sizeof in);
    uint32_t mask = 0;
    for (size_t w = 0; w < kInputWords; ++w)
      if (ticks_ == 0 || words[w] != before[w]) mask |= 1u << w;
    write(&mask, sizeof mask);
    for (size_t w = 0; w < kInputWords; ++w)
      if (mask & (1u << w)) write(&words[w], 4);
    last_[seat] = in;
  }
  write(&stateHash, sizeof stateHash);
  ++ticks_;
}

bool ReplayWriter::finish() {
  if (!file_) return !failed_;
  const uint64_t checksum = checksum_;
  bool ok = !failed_;
  ok = ok && std::fwrite(kTrailer, 1, 4, file_) == 4;
  ok = ok && std::fwrite(&ticks_, sizeof ticks_, 1, file_) == 1;
  ok = ok && std::fwrite(&checksum, sizeof checksum, 1, file_) == 1;
  ok = std::fclose(file_) == 0 && ok;
  file_ = nullptr;
  if (!ok) log::write(log::Level::Error, "%s: the replay could not be written completely (disk full?)", path_.c_str());
  failed_ = !ok;
  return ok;
}

// ---- Loading -----------------------------------------------------------------------------------

Replay Replay::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("%s: cannot open the replay: %s", path.c_str(), std::strerror(errno));
  std::stringstream all;
  all << in.rdbuf();
  const std::string bytes = all.str();
  const auto bad = [&](const char* why) { fail("%s: not a usable replay: %s", path.c_str(), why); };
  if (bytes.size() < kMagicBytes || bytes.compare(0, kMagicBytes, kMagic) != 0) bad("it does not start with PAVREPLAY1");
  if (bytes.size() < kMagicBytes + 4 + 20) bad("it is truncated (no trailer: the session did not finish writing it)");
  // The trailer first: a tampered or cut file stops here.
  const size_t body = bytes.size() - 20;
  uint64_t ticks = 0, checksum = 0;
  if (bytes.compare(body, 4, kTrailer) != 0) bad("it is truncated (no trailer: the session did not finish writing it)");
  std::memcpy(&ticks, bytes.data() + body + 4, 8);
  std::memcpy(&checksum, bytes.data() + body + 12, 8);
  if (hashBytes(bytes.data(), body) != checksum) bad("its checksum does not match: the file was changed or damaged");

  Replay r;
  r.path = path;
  size_t at = kMagicBytes;
  uint32_t headerBytes = 0;
  std::memcpy(&headerBytes, bytes.data() + at, 4);
  at += 4;
  if (headerBytes > kMaxHeader || at + headerBytes > body) bad("its header is too long");
  std::istringstream header(bytes.substr(at, headerBytes));
  at += headerBytes;
  size_t inputBytes = 0;
  for (std::string line; std::getline(header, line);) {
    const size_t eq = line.find('=');
    if (eq == std::string::npos) bad("a header line without '='");
    const std::string key = line.substr(0, eq), value = line.substr(eq + 1);
    try {
      if (key == "title") r.title = value;
      else if (key == "players") r.setup.players = std::stoi(value);
      else if (key == "seed") r.setup.seed = std::stoull(value);
      else if (key == "skill") r.setup.skill = std::stoi(value);
      else if (key == "duration") r.setup.durationSeconds = std::stod(value);
      else if (key == "tick_hz") r.tickRateHz = std::stod(value);
      else if (key == "input_bytes") inputBytes = std::stoull(value);
    } catch (const std::exception&) {
      bad("a header value is not a number");
    }
  }
  if (r.title.empty()) bad("the header names no title");
  if (r.setup.players < 1 || r.setup.players > kMaxPlayers) bad("the header's player count is out of range");
  if (inputBytes != sizeof(InputFrame)) bad("it was written by a build with another input layout");
  if (ticks > (body - at) / 8) bad("its tick count is larger than its data");
  const size_t players = size_t(r.setup.players);
  r.inputs.resize(ticks * players);
  r.hashes.resize(ticks);
  std::vector<InputFrame> last(players);
  const uint32_t allWords = kInputWords == 32 ? ~0u : (1u << kInputWords) - 1;
  for (uint64_t t = 0; t < ticks; ++t) {
    for (size_t p = 0; p < players; ++p) {
      uint32_t mask = 0;
      if (at + 4 > body) bad("its ticks end early");
      std::memcpy(&mask, bytes.data() + at, 4);
      at += 4;
      if ((mask & ~allWords) != 0 || (t == 0 && mask != allWords)) bad("an input mask names words an input does not have");
      uint32_t words[kInputWords];
      std::memcpy(words, &last[p], sizeof words);
      for (size_t w = 0; w < kInputWords; ++w) {
        if (!(mask & (1u << w))) continue;
        if (at + 4 > body) bad("its ticks end early");
        std::memcpy(&words[w], bytes.data() + at, 4);
        at += 4;
      }
      std::memcpy(&last[p], words, sizeof words);
      r.inputs[t * players + p] = last[p];
    }
    if (at + 8 > body) bad("its ticks end early");
    std::memcpy(&r.hashes[t], bytes.data() + at, 8);
    at += 8;
  }
  if (at != body) bad("there are bytes after its last tick");
  return r;
}

// ---- Re-simulating -----------------------------------------------------------------------------

ReplayCheck verifyReplay(const Replay& replay, Title& title, const std::function<void(const Title&, uint64_t)>& onTick) {
  title.setup(replay.setup);
  ReplayCheck check;
  for (uint64_t t = 0; t < replay.ticks(); ++t) {
    title.step(replay.inputsAt(t));
    ++check.ticks;
    const uint64_t hash = title.stateHash();
    if (onTick) onTick(title, t + 1);
    if (hash != replay.hashes[t]) {
      check.firstMismatch = t + 1;
      check.expected = replay.hashes[t];
      check.got = hash;
      break;
    }
  }
  check.identical = check.firstMismatch == 0;
  check.results = title.results(true);
  return check;
}

}  // namespace pav::core
