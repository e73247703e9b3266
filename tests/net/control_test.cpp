// The control channel: sealed messages round-trip between two greeted links; forged,
// unsigned, replayed, reflected and foreign-key messages are refused with a reason; and the key
// file is made private, read back, and refused (with what to do) when missing, open to others
// or malformed. Real libsodium, real files in a temporary folder.
#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "pav/core/error.h"
#include "pav/net/control.h"

namespace pav::net {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using Bytes = std::vector<uint8_t>;

std::array<uint8_t, ControlKey::kBytes> keyBytes(uint8_t seed) {
  std::array<uint8_t, ControlKey::kBytes> k{};
  for (size_t i = 0; i < k.size(); ++i) k[i] = uint8_t(seed + 31 * i);
  return k;
}

std::array<uint8_t, kNonceBytes> nonceOf(uint8_t seed) {
  std::array<uint8_t, kNonceBytes> n{};
  for (size_t i = 0; i < n.size(); ++i) n[i] = uint8_t(seed ^ (7 * i + 1));
  return n;
}

// Greets two links to each other, as a connection's first two messages do.
void greet(ControlLink& a, ControlLink& b) {
  std::string error;
  ASSERT_TRUE(a.acceptGreeting(b.greeting(), error)) << error;
  ASSERT_TRUE(b.acceptGreeting(a.greeting(), error)) << error;
}

// The envelope exactly as control.h writes it down, built here without ControlLink: a check on
// the documented format, and a way to make well-MACed messages ControlLink would never seal.
Bytes handSealed(const std::array<uint8_t, ControlKey::kBytes>& key, const std::array<uint8_t, kNonceBytes>& receiverNonce,
                 Role sender, uint8_t type, uint64_t counter, const std::string& body) {
  Bytes out = {'P', 'V', 'C', '1', type};
  for (int i = 0; i < 8; ++i) out.push_back(uint8_t(counter >> (8 * i)));
  for (int i = 0; i < 4; ++i) out.push_back(uint8_t(uint32_t(body.size()) >> (8 * i)));
  out.insert(out.end(), body.begin(), body.end());
  Bytes macInput(receiverNonce.begin(), receiverNonce.end());
  macInput.push_back(uint8_t(sender));
  macInput.insert(macInput.end(), out.begin(), out.end());
  uint8_t mac[crypto_auth_hmacsha256_BYTES];
  EXPECT_EQ(sodium_init() >= 0, true);
  crypto_auth_hmacsha256(mac, macInput.data(), macInput.size(), key.data());
  out.insert(out.end(), mac, mac + sizeof mac);
  return out;
}

Bytes greetingBytes(Role role, const std::array<uint8_t, kNonceBytes>& nonce) {
  Bytes g(5 + kNonceBytes);
  const uint8_t head[5] = {'P', 'V', 'G', '1', uint8_t(role)};
  std::copy(head, head + 5, g.begin());
  std::copy(nonce.begin(), nonce.end(), g.begin() + 5);
  return g;
}

// ---- The link --------------------------------------------------------------------------------

TEST(ControlLink, RoundTripsBothWaysWithGrowingCounters) {
  const ControlKey key = ControlKey::fromBytes(keyBytes(1));
  ControlLink director(key, Role::Director), station(key, Role::Station);
  EXPECT_FALSE(director.greeted());
  greet(director, station);
  EXPECT_TRUE(director.greeted());
  EXPECT_EQ(director.peerRole(), Role::Station);
  EXPECT_EQ(station.peerRole(), Role::Director);

  const json reg = {{"name", "bay-3"}, {"version", "0.9"}, {"titles", {"hockey", "driving"}}, {"headset", true}};
  Bytes sealed = station.seal(ControlType::Register, reg);
  ControlLink::Opened m = director.open(sealed);
  ASSERT_TRUE(m.ok) << m.error;
  EXPECT_EQ(m.type, ControlType::Register);
  EXPECT_EQ(m.body, reg);
  // The counter is the 8 bytes after the type, little endian, from 1.
  EXPECT_EQ(sealed[5], 1);
  for (int i = 0; i < 5; ++i) {
    const json health = {{"state", "playing"}, {"fps", 89.5 + i}, {"seat", i}};
    sealed = station.seal(ControlType::Health, health);
    EXPECT_EQ(sealed[5], 2 + i);
    m = director.open(sealed);
    ASSERT_TRUE(m.ok) << m.error;
    EXPECT_EQ(m.type, ControlType::Health);
    EXPECT_EQ(m.body["seat"], i);
  }
  const json launch = {{"session", 77}, {"title", "hockey"}, {"port", 27015}, {"seconds", 180}};
  for (int i = 0; i < 3; ++i) {
    m = station.open(director.seal(i == 2 ? ControlType::Stop : ControlType::Launch, launch));
    ASSERT_TRUE(m.ok) << m.error;
    EXPECT_EQ(m.type, i == 2 ? ControlType::Stop : ControlType::Launch);
    EXPECT_EQ(m.body["port"], 27015);
  }
  // Unicode, and a string that is not UTF-8 (replaced when sealed, never thrown).
  m = director.open(station.seal(ControlType::Log, {{"lines", {"ünïcødé ⛸", std::string("bad \xff byte")}}}));
  ASSERT_TRUE(m.ok) << m.error;
  EXPECT_EQ(m.body["lines"][0], "ünïcødé ⛸");
  EXPECT_EQ(m.body["lines"][1], "bad \xEF\xBF\xBD byte");
  EXPECT_EQ(director.refused(), 0u);
  EXPECT_EQ(station.refused(), 0u);
}

TEST(ControlLink, TheWireFormatIsTheOneTheHeaderDescribes) {
  const auto k = keyBytes(2);
  const ControlKey key = ControlKey::fromBytes(k);
  ControlLink director(key, Role::Director, nonceOf(10)), station(key, Role::Station, nonceOf(20));
  EXPECT_EQ(director.greeting(), greetingBytes(Role::Director, nonceOf(10)));
  greet(director, station);
  const std::string body = R"({"command":"status"})";
  EXPECT_EQ(station.seal(ControlType::Request, json::parse(body)),
            handSealed(k, nonceOf(10), Role::Station, uint8_t(ControlType::Request), 1, body));
  const ControlLink::Opened m = station.open(handSealed(k, nonceOf(20), Role::Director, 21, 5, R"({"ok":true})"));
  ASSERT_TRUE(m.ok) << m.error;
  EXPECT_EQ(m.type, ControlType::Reply);
  EXPECT_EQ(m.body["ok"], true);
}

TEST(ControlLink, AForgedBodyOrMacIsABadMac) {
  const ControlKey key = ControlKey::fromBytes(keyBytes(3));
  ControlLink director(key, Role::Director), station(key, Role::Station);
  greet(director, station);
  const Bytes good = director.seal(ControlType::Launch, {{"session", 1}, {"title", "hockey"}});
  Bytes forged = good;
  forged[17 + 12] ^= 0x01;  // a byte inside the body's text
  ControlLink::Opened m = station.open(forged);
  EXPECT_FALSE(m.ok);
  EXPECT_EQ(m.error, "bad MAC");
  EXPECT_TRUE(m.body.is_null());
  forged = good;
  forged.back() ^= 0x80;  // the MAC itself
  EXPECT_EQ(station.open(forged).error, "bad MAC");
  forged = good;
  forged[5] ^= 0x02;  // the counter
  EXPECT_EQ(station.open(forged).error, "bad MAC");
  forged = good;
  forged[4] = uint8_t(ControlType::Stop);  // the type
  EXPECT_EQ(station.open(forged).error, "bad MAC");
  EXPECT_EQ(station.refused(), 4u);
  // None of that changed the link: the genuine message still opens.
  EXPECT_TRUE(station.open(good).ok);
}

TEST(ControlLink, UnsignedAndTruncatedMessagesAreRefused) {
  const ControlKey key = ControlKey::fromBytes(keyBytes(4));
  ControlLink director(key, Role::Director), station(key, Role::Station);
  greet(director, station);
  const Bytes good = director.seal(ControlType::Stop, {{"session", 9}, {"reason", "operator"}});
  // No MAC at all: what a visitor's laptop that knows the format but not the key would send.
  Bytes unsigned_(good.begin(), good.end() - kMacBytes);
  ControlLink::Opened m = station.open(unsigned_);
  EXPECT_FALSE(m.ok);
  EXPECT_NE(m.error.find("length mismatch"), std::string::npos) << m.error;
  // A zero MAC in its place.
  Bytes zeroMac = unsigned_;
  zeroMac.resize(good.size(), 0);
  EXPECT_EQ(station.open(zeroMac).error, "bad MAC");
  // Truncated anywhere.
  for (size_t n : {size_t(0), size_t(3), size_t(16), size_t(48), good.size() - 1}) {
    m = station.open(std::span<const uint8_t>(good.data(), n));
    EXPECT_FALSE(m.ok) << n;
    EXPECT_FALSE(m.error.empty()) << n;
  }
  EXPECT_NE(station.open(std::span<const uint8_t>(good.data(), 10)).error.find("too short"), std::string::npos);
  Bytes wrongMagic = good;
  wrongMagic[3] = '2';
  EXPECT_NE(station.open(wrongMagic).error.find("wrong magic"), std::string::npos);
  EXPECT_NE(station.open(director.greeting()).error.find("greeting"), std::string::npos);
  EXPECT_EQ(station.refused(), 10u);
  EXPECT_TRUE(station.open(good).ok);
}

TEST(ControlLink, AReplayOnTheSameConnectionIsRefused) {
  const ControlKey key = ControlKey::fromBytes(keyBytes(5));
  ControlLink director(key, Role::Director), station(key, Role::Station);
  greet(director, station);
  const Bytes first = director.seal(ControlType::Launch, {{"session", 1}});
  const Bytes second = director.seal(ControlType::Launch, {{"session", 2}});
  ASSERT_TRUE(station.open(first).ok);
  ControlLink::Opened m = station.open(first);
  EXPECT_FALSE(m.ok);
  EXPECT_EQ(m.error, "replayed or stale counter 1 (last 1)");
  ASSERT_TRUE(station.open(second).ok);
  // An older message held back and sent late is as stale as a replay.
  EXPECT_EQ(station.open(first).error, "replayed or stale counter 1 (last 2)");
  EXPECT_EQ(station.open(second).error, "replayed or stale counter 2 (last 2)");
  EXPECT_EQ(station.refused(), 3u);
  // Skipping ahead is fine (a counter only has to grow).
  director.seal(ControlType::Stop, {{"session", 2}});
  m = station.open(director.seal(ControlType::Stop, {{"session", 3}}));
  ASSERT_TRUE(m.ok) << m.error;
  EXPECT_EQ(m.body["session"], 3);
}

TEST(ControlLink, AMessageRecordedOnOneConnectionIsWorthlessOnTheNext) {
  const ControlKey key = ControlKey::fromBytes(keyBytes(6));
  ControlLink director(key, Role::Director), station(key, Role::Station);
  greet(director, station);
  const Bytes recorded = director.seal(ControlType::Launch, {{"session", 4}, {"title", "driving"}});
  ASSERT_TRUE(station.open(recorded).ok);
  // The station reconnects: new links, new nonces. The recorded Launch has counter 1, which
  // would be fresh here; only the nonce in its MAC gives it away.
  ControlLink director2(key, Role::Director), station2(key, Role::Station);
  greet(director2, station2);
  const ControlLink::Opened m = station2.open(recorded);
  EXPECT_FALSE(m.ok);
  EXPECT_EQ(m.error, "bad MAC");
  EXPECT_EQ(station2.refused(), 1u);
  EXPECT_TRUE(station2.open(director2.seal(ControlType::Launch, {{"session", 5}})).ok);
}

TEST(ControlLink, AMessageSealedWithAnotherKeyIsRefused) {
  const ControlKey ours = ControlKey::fromBytes(keyBytes(7)), theirs = ControlKey::fromBytes(keyBytes(8));
  ControlLink station(ours, Role::Station), intruder(theirs, Role::Director);
  greet(station, intruder);  // greetings are not sealed: anyone can greet
  const ControlLink::Opened m = station.open(intruder.seal(ControlType::Launch, {{"session", 1}}));
  EXPECT_FALSE(m.ok);
  EXPECT_EQ(m.error, "bad MAC");
  EXPECT_EQ(station.refused(), 1u);
}

TEST(ControlLink, AReflectedMessageDoesNotOpenOnTheSideThatSealedIt) {
  const ControlKey key = ControlKey::fromBytes(keyBytes(9));
  // 1. Straight back on the same connection: the MAC was made with the station's nonce.
  ControlLink director(key, Role::Director), station(key, Role::Station);
  greet(director, station);
  const Bytes launch = director.seal(ControlType::Launch, {{"session", 1}});
  EXPECT_EQ(director.open(launch).error, "bad MAC");

  // 2. An attacker who greets the director with the director's own nonce, so that the director
  //    seals to the nonce it verifies with, is refused at the greeting...
  ControlLink victim(key, Role::Director, nonceOf(1));
  std::string error;
  EXPECT_FALSE(victim.acceptGreeting(greetingBytes(Role::Station, nonceOf(1)), error));
  EXPECT_NE(error.find("own nonce"), std::string::npos) << error;
  // ... and so is one claiming the director's own role.
  EXPECT_FALSE(victim.acceptGreeting(greetingBytes(Role::Director, nonceOf(2)), error));
  EXPECT_NE(error.find("own role"), std::string::npos) << error;
  EXPECT_FALSE(victim.greeted());

  // 3. Two connections to the same director, each greeted with the other's nonce: a message the
  //    director seals on one is MACed with exactly the nonce the other verifies with. The
  //    sender's role in the MAC still tells them apart.
  ControlLink one(key, Role::Director, nonceOf(11)), two(key, Role::Director, nonceOf(22));
  ASSERT_TRUE(one.acceptGreeting(greetingBytes(Role::Station, nonceOf(22)), error)) << error;
  ASSERT_TRUE(two.acceptGreeting(greetingBytes(Role::Station, nonceOf(11)), error)) << error;
  const ControlLink::Opened m = two.open(one.seal(ControlType::Launch, {{"session", 2}}));
  EXPECT_FALSE(m.ok);
  EXPECT_EQ(m.error, "bad MAC");
  // The same bytes with the station's role in the MAC would have opened: the role is what did it.
  EXPECT_TRUE(two.open(handSealed(keyBytes(9), nonceOf(22), Role::Station, uint8_t(ControlType::Register), 1, "{}")).ok);
}

TEST(ControlLink, BadGreetingsAreRefusedAndChangeNothing) {
  const ControlKey key = ControlKey::fromBytes(keyBytes(10));
  ControlLink director(key, Role::Director), station(key, Role::Station);
  std::string error;
  Bytes g = station.greeting();
  ASSERT_EQ(g.size(), 4 + 1 + kNonceBytes);

  Bytes bad = g;
  bad[0] = 'X';
  EXPECT_FALSE(director.acceptGreeting(bad, error));
  EXPECT_NE(error.find("wrong magic"), std::string::npos) << error;
  bad = g;
  bad.pop_back();
  EXPECT_FALSE(director.acceptGreeting(bad, error));
  EXPECT_NE(error.find("36 bytes (expected 37)"), std::string::npos) << error;
  bad = g;
  bad.push_back(0);
  EXPECT_FALSE(director.acceptGreeting(bad, error));
  EXPECT_NE(error.find("38 bytes"), std::string::npos) << error;
  EXPECT_FALSE(director.acceptGreeting(std::span<const uint8_t>(g.data(), 2), error));
  bad = g;
  bad[4] = 0;
  EXPECT_FALSE(director.acceptGreeting(bad, error));
  EXPECT_EQ(error, "greeting with unknown role 0");
  bad[4] = 4;
  EXPECT_FALSE(director.acceptGreeting(bad, error));
  EXPECT_EQ(error, "greeting with unknown role 4");
  EXPECT_FALSE(director.greeted());
  EXPECT_EQ(director.refused(), 6u);
  // Sealing before a greeting is a programming error.
  EXPECT_THROW(director.seal(ControlType::Launch, {{"session", 1}}), pav::Error);
  // Opening before one is refused.
  EXPECT_EQ(director.open(station.greeting()).error, "a greeting where a sealed message should be");

  ASSERT_TRUE(director.acceptGreeting(g, error)) << error;
  EXPECT_EQ(director.peerRole(), Role::Station);
  // A second greeting (a new nonce would let old messages in again) is refused.
  ControlLink other(key, Role::Operator);
  EXPECT_FALSE(director.acceptGreeting(other.greeting(), error));
  EXPECT_NE(error.find("second greeting"), std::string::npos) << error;
  EXPECT_EQ(director.peerRole(), Role::Station);
  ASSERT_TRUE(station.acceptGreeting(director.greeting(), error));
  EXPECT_TRUE(director.open(station.seal(ControlType::Health, {{"fps", 90}})).ok);
}

TEST(ControlLink, NoGreetingYetIsRefused) {
  const auto k = keyBytes(11);
  const ControlKey key = ControlKey::fromBytes(k);
  ControlLink director(key, Role::Director, nonceOf(1));
  const ControlLink::Opened m = director.open(handSealed(k, nonceOf(1), Role::Station, 2, 1, "{}"));
  EXPECT_FALSE(m.ok);
  EXPECT_EQ(m.error, "no greeting yet");
  EXPECT_EQ(director.refused(), 1u);
}

TEST(ControlLink, UnknownTypesAndBodiesThatAreNotObjectsAreRefusedEvenWithAGoodMac) {
  const auto k = keyBytes(12);
  const ControlKey key = ControlKey::fromBytes(k);
  ControlLink director(key, Role::Director, nonceOf(1)), station(key, Role::Station, nonceOf(2));
  greet(director, station);
  const auto toDirector = [&](uint8_t type, uint64_t counter, const std::string& body) {
    return director.open(handSealed(k, nonceOf(1), Role::Station, type, counter, body));
  };
  for (uint8_t type : {0, 4, 16, 22, 255}) EXPECT_EQ(toDirector(type, 1, "{}").error, "unknown message type " + std::to_string(type));
  EXPECT_EQ(toDirector(2, 1, "[1,2]").error, "body is a JSON array, not an object");
  EXPECT_EQ(toDirector(2, 1, "\"text\"").error, "body is a JSON string, not an object");
  EXPECT_EQ(toDirector(2, 1, "42").error, "body is a JSON number, not an object");
  EXPECT_EQ(toDirector(2, 1, "{\"a\":").error, "body is not valid JSON");
  EXPECT_EQ(toDirector(2, 1, "").error, "body is not valid JSON");
  EXPECT_EQ(toDirector(2, 1, "{} {}").error, "body is not valid JSON");
  EXPECT_EQ(toDirector(2, 1, "{\"s\":\"\xff\"}").error, "body is not valid JSON");
  // Nesting: 32 levels are a body, 33 are an attack on whoever prints it.
  std::string deep = "{\"a\":", deeper;
  for (int i = 1; i < kMaxBodyDepth; ++i) deep += "[";
  deep += std::string(kMaxBodyDepth - 1, ']') + "}";
  deeper = "{\"a\":[" + deep.substr(5, deep.size() - 6) + "]}";
  EXPECT_EQ(toDirector(2, 1, deeper).error, "body nested deeper than 32 levels");
  EXPECT_EQ(director.refused(), 13u);
  // A refused message with a high counter did not move the counter: 1 is still fresh.
  EXPECT_FALSE(toDirector(2, 1000, "[]").ok);
  const ControlLink::Opened m = toDirector(2, 1, deep);
  ASSERT_TRUE(m.ok) << m.error;
  EXPECT_EQ(m.type, ControlType::Health);
  EXPECT_TRUE(toDirector(2, 2, "{}").ok);
}

TEST(ControlLink, OversizeBodiesAreRefused) {
  const auto k = keyBytes(13);
  const ControlKey key = ControlKey::fromBytes(k);
  ControlLink director(key, Role::Director, nonceOf(1)), station(key, Role::Station, nonceOf(2));
  greet(director, station);
  // The largest body goes through...
  std::string text = "{\"lines\":\"" + std::string(kMaxBodyBytes - 12, 'x') + "\"}";
  ASSERT_EQ(text.size(), kMaxBodyBytes);
  ControlLink::Opened m = director.open(handSealed(k, nonceOf(1), Role::Station, 3, 1, text));
  ASSERT_TRUE(m.ok) << m.error;
  // ... one byte more is refused, MAC and all, without reading it.
  text.insert(10, "x");
  m = director.open(handSealed(k, nonceOf(1), Role::Station, 3, 2, text));
  EXPECT_FALSE(m.ok);
  EXPECT_EQ(m.error, "body too big (65537 bytes; at most 65536)");
  // A length field that claims more than there is.
  Bytes lying = station.seal(ControlType::Log, {{"lines", {"a"}}});
  lying[13 + 2] = 0x10;
  EXPECT_NE(director.open(lying).error.find("body too big"), std::string::npos);
  lying[13 + 2] = 0;
  lying[13] += 1;
  EXPECT_NE(director.open(lying).error.find("length mismatch"), std::string::npos);
  EXPECT_EQ(director.refused(), 3u);
  // Sealing an oversize body, or a body that is not an object, is the caller's bug.
  EXPECT_THROW(station.seal(ControlType::Log, {{"lines", std::string(kMaxBodyBytes, 'x')}}), pav::Error);
  EXPECT_THROW(station.seal(ControlType::Log, json::array({1, 2})), pav::Error);
  EXPECT_THROW(station.seal(ControlType(99), json::object()), pav::Error);
  // None of the throws used a counter: the next message is counter 2 after the accepted 1.
  EXPECT_TRUE(director.open(station.seal(ControlType::Log, {{"lines", {"ok"}}})).ok);
}

TEST(ControlLink, NamesAndTypes) {
  EXPECT_STREQ(roleName(Role::Director), "director");
  EXPECT_STREQ(roleName(Role::Station), "station");
  EXPECT_STREQ(roleName(Role::Operator), "operator");
  EXPECT_STREQ(messageName(ControlType::Register), "register");
  EXPECT_STREQ(messageName(ControlType::Reply), "reply");
  int known = 0;
  for (int t = 0; t < 256; ++t) known += knownMessageType(uint8_t(t));
  EXPECT_EQ(known, 11);  // ... Volume (12), and Watch, View, Alert (13..15, issue 20)
  EXPECT_STREQ(messageName(ControlType::Watch), "watch");
  EXPECT_STREQ(messageName(ControlType::View), "view");
  EXPECT_STREQ(messageName(ControlType::Alert), "alert");
  EXPECT_FALSE(knownMessageType(16));
  EXPECT_TRUE(knownMessageType(10));
  EXPECT_FALSE(knownMessageType(9));
}

// ---- The key file ----------------------------------------------------------------------------

class ControlKeyFile : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("pav-control-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  // The message load() throws for this file, or "" when it loads.
  static std::string loadError(const std::string& p) {
    try {
      ControlKey::load(p);
    } catch (const pav::Error& e) {
      return e.what();
    }
    return "";
  }

  std::string write(const std::string& name, const std::string& text, mode_t mode = 0600) const {
    const std::string p = path(name);
    std::ofstream(p, std::ios::trunc) << text;
    ::chmod(p.c_str(), mode);
    return p;
  }

  static mode_t modeOf(const std::string& p) {
    struct stat st {};
    EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
    return st.st_mode & 07777;
  }

  fs::path dir_;
};

const std::string kHex64 = "00112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF";

TEST_F(ControlKeyFile, CreateThenLoadRoundTripsAndChecksThePassword) {
  const std::string p = path("etc/pavilion/pavilion.key");
  const ControlKey made = ControlKey::create(p, "correct horse");
  EXPECT_EQ(made.path(), p);
  EXPECT_EQ(modeOf(p), 0600u);
  EXPECT_EQ(modeOf(path("etc/pavilion")), 0700u);
  EXPECT_EQ(modeOf(path("etc")), 0700u);
  EXPECT_NE(made.bytes(), (std::array<uint8_t, ControlKey::kBytes>{}));

  const ControlKey loaded = ControlKey::load(p);
  EXPECT_EQ(loaded.bytes(), made.bytes());
  EXPECT_EQ(loaded.path(), p);
  EXPECT_TRUE(loaded.checkPassword("correct horse"));
  EXPECT_FALSE(loaded.checkPassword("correct hors"));
  EXPECT_FALSE(loaded.checkPassword("Correct horse"));
  EXPECT_FALSE(loaded.checkPassword(""));
  EXPECT_TRUE(made.checkPassword("correct horse"));

  // The file is text a person can read, with the key in hex and only the password's hash.
  std::ifstream in(p);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text.find("correct horse"), std::string::npos);
  EXPECT_NE(text.find("password = $argon2id$"), std::string::npos);
  EXPECT_NE(text.find("\nkey = "), std::string::npos);

  // Two keys made one after the other share nothing: links on them cannot talk.
  const ControlKey other = ControlKey::create(path("other.key"), "correct horse");
  EXPECT_NE(other.bytes(), made.bytes());
  ControlLink a(loaded, Role::Director), b(other, Role::Station);
  greet(a, b);
  EXPECT_EQ(a.open(b.seal(ControlType::Health, json::object())).error, "bad MAC");
}

TEST_F(ControlKeyFile, AnExistingFileIsOverwrittenOnlyWhenAskedAndComesBackPrivate) {
  const std::string p = path("pavilion.key");
  const ControlKey first = ControlKey::create(p, "password-one");
  try {
    ControlKey::create(p, "password-two");
    FAIL() << "an existing key file was overwritten";
  } catch (const pav::Error& e) {
    EXPECT_NE(std::string(e.what()).find(p + ": a pavilion key file is already there"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("--force"), std::string::npos) << e.what();
  }
  EXPECT_EQ(ControlKey::load(p).bytes(), first.bytes());
  EXPECT_TRUE(ControlKey::load(p).checkPassword("password-one"));

  ::chmod(p.c_str(), 0644);  // someone loosened it; --force must not keep that
  const ControlKey second = ControlKey::create(p, "password-two", /*overwrite=*/true);
  EXPECT_EQ(modeOf(p), 0600u);
  EXPECT_NE(second.bytes(), first.bytes());
  const ControlKey loaded = ControlKey::load(p);
  EXPECT_EQ(loaded.bytes(), second.bytes());
  EXPECT_TRUE(loaded.checkPassword("password-two"));
  EXPECT_FALSE(loaded.checkPassword("password-one"));
}

TEST_F(ControlKeyFile, AShortPasswordIsRefusedBeforeAnyFileIsMade) {
  const std::string p = path("short/pavilion.key");
  try {
    ControlKey::create(p, "seven77");
    FAIL() << "a 7-character password was accepted";
  } catch (const pav::Error& e) {
    EXPECT_NE(std::string(e.what()).find("at least 8 characters"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(path("short")));
  // Characters, not bytes: 4 two-byte letters are 4 characters.
  EXPECT_THROW(ControlKey::create(p, "éééé"), pav::Error);
}

TEST_F(ControlKeyFile, AFileOthersCanReadOrWriteIsRefusedWithTheChmodHint) {
  const std::string p = write("open.key", "key = " + kHex64 + "\n", 0644);
  EXPECT_EQ(loadError(p), p + ": is readable by others (mode 0644); run chmod 600 " + p);
  ::chmod(p.c_str(), 0640);
  EXPECT_EQ(loadError(p), p + ": is readable by others (mode 0640); run chmod 600 " + p);
  ::chmod(p.c_str(), 0620);
  EXPECT_EQ(loadError(p), p + ": is writable by others (mode 0620); run chmod 600 " + p);
  ::chmod(p.c_str(), 0600);
  EXPECT_EQ(loadError(p), "");
  ::chmod(p.c_str(), 0400);
  EXPECT_EQ(loadError(p), "");
}

TEST_F(ControlKeyFile, AMissingFileSaysHowToMakeOne) {
  const std::string p = path("nowhere/pavilion.key");
  const std::string error = loadError(p);
  EXPECT_EQ(error.rfind(p + ": no pavilion key file", 0), 0u) << error;
  EXPECT_NE(error.find("`pavilion director --init`"), std::string::npos) << error;
  EXPECT_NE(error.find("mode 0600"), std::string::npos) << error;
  fs::create_directories(path("folder.key"));
  EXPECT_NE(loadError(path("folder.key")).find("not a regular file"), std::string::npos);
}

TEST_F(ControlKeyFile, MalformedLinesNameTheFileAndLine) {
  struct Case {
    const char* text;
    const char* error;  // after "<path>"
  };
  const std::string key = "key = " + kHex64 + "\n";
  const std::string hash = "password = $argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$aGFzaA\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"# only a comment\n\n", ": no `key = <64 hex digits>` line"},
      {"# a key file\nkey = abcd\n", ":2: the key must be 64 hex digits (this one is 4 characters)"},
      {"key = " + kHex64.substr(0, 63) + "g\n", ":1: the key must be 64 hex digits (this one is 64 characters, not all hex)"},
      {"key = " + kHex64 + "00\n", ":1: the key must be 64 hex digits (this one is 66 characters)"},
      {key + "\n\ncolour = blue\n", ":4: unknown setting 'colour' (a key file has only `key`, `station-key` and `password`)"},
      {key + "just some words\n", ":2: expected `key = <64 hex digits>` or `password = $argon2id$...`"},
      {key + key, ":2: a second key line"},
      {key + "password = hunter22\n", ":2: the password must be the hash `pavilion director --init` writes"},
      {key + hash + hash, ":3: a second password line"},
  };
  int n = 0;
  for (const auto& [text, expected] : cases) {
    const std::string p = write("bad-" + std::to_string(n++) + ".key", text);
    const std::string error = loadError(p);
    EXPECT_EQ(error.rfind(p + expected, 0), 0u) << "file:\n" << text << "error: " << error;
    // A malformed line is never quoted back: it may be the key.
    EXPECT_EQ(error.find(kHex64.substr(0, 16)), std::string::npos) << error;
  }
  // Comments, blank lines, spaces, tabs and CRLF are all fine; the password line may be absent.
  const std::string p = write("good.key", "# pavilion\r\n\r\n\tkey=" + kHex64 + "  \r\n");
  const ControlKey loaded = ControlKey::load(p);
  EXPECT_EQ(loaded.bytes()[0], 0x00);
  EXPECT_EQ(loaded.bytes()[1], 0x11);
  EXPECT_EQ(loaded.bytes()[31], 0xff);
  EXPECT_FALSE(loaded.checkPassword("anything at all"));
  EXPECT_FALSE(loaded.checkPassword(""));
}

TEST_F(ControlKeyFile, TheDefaultPathFollowsXdgThenHome) {
  const char* savedXdg = std::getenv("XDG_CONFIG_HOME");
  const char* savedHome = std::getenv("HOME");
  const std::string xdg = savedXdg ? savedXdg : "", home = savedHome ? savedHome : "";
  ::setenv("XDG_CONFIG_HOME", "/srv/config", 1);
  ::setenv("HOME", "/home/op", 1);
  EXPECT_EQ(ControlKey::defaultPath(), "/srv/config/pavilion/pavilion.key");
  ::setenv("XDG_CONFIG_HOME", "relative/ignored", 1);
  EXPECT_EQ(ControlKey::defaultPath(), "/home/op/.config/pavilion/pavilion.key");
  ::unsetenv("XDG_CONFIG_HOME");
  EXPECT_EQ(ControlKey::defaultPath(), "/home/op/.config/pavilion/pavilion.key");
  ::unsetenv("HOME");
  EXPECT_THROW(ControlKey::defaultPath(), pav::Error);
  if (savedXdg) ::setenv("XDG_CONFIG_HOME", xdg.c_str(), 1);
  if (savedHome) ::setenv("HOME", home.c_str(), 1);
}

TEST(ControlKey, RandomPasswordsAreFourGroupsOfFourUnambiguousCharacters) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string p = ControlKey::randomPassword();
    ASSERT_EQ(p.size(), 19u) << p;
    for (size_t c = 0; c < p.size(); ++c) {
      if (c % 5 == 4) {
        EXPECT_EQ(p[c], '-') << p;
      } else {
        EXPECT_TRUE((p[c] >= 'a' && p[c] <= 'z') || (p[c] >= '2' && p[c] <= '9')) << p;
        EXPECT_EQ(std::string("0o1li").find(p[c]), std::string::npos) << p;
      }
    }
    seen.insert(p);
  }
  EXPECT_EQ(seen.size(), 200u);
}

TEST(ControlKey, FromBytesKeepsTheBytesAndHasNoPassword) {
  const ControlKey key = ControlKey::fromBytes(keyBytes(42));
  EXPECT_EQ(key.bytes(), keyBytes(42));
  EXPECT_TRUE(key.path().empty());
  EXPECT_FALSE(key.checkPassword("whatever it is"));
}

}  // namespace
}  // namespace pav::net
