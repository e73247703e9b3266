// Connect tokens and session keys (token.h): sealed, opened, refused for every reason with the
// reason; the key file written private and read back, refused when others may read it.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "pav/core/error.h"
#include "pav/net/token.h"

namespace pav::net {
namespace {

TEST(Token, ASealedTokenOpensWithItsClaims) {
  const SessionKey key = SessionKey::random();
  const ConnectToken t = issueToken(key, 3, "balloons", 2000);
  TokenClaims c;
  ASSERT_EQ(openToken(key, t, 1999, c), TokenCheck::Ok);
  EXPECT_EQ(c.seat, 3);
  EXPECT_EQ(c.title, "balloons");
  EXPECT_EQ(c.expires, 2000u);
  EXPECT_EQ(c.session, key.session);
  EXPECT_EQ(openToken(key, t, 2000, c), TokenCheck::Ok) << "valid to its last second";
  EXPECT_EQ(openToken(key, t, 2001, c), TokenCheck::Expired);
  EXPECT_NE(issueToken(key, 3, "balloons", 2000), t) << "a fresh nonce each time";
}

TEST(Token, AnyOtherKeySessionOrChangedByteIsRefused) {
  const SessionKey key = SessionKey::random();
  const ConnectToken t = issueToken(key, 0, "hockey", 5000);
  TokenClaims c;
  EXPECT_EQ(openToken(SessionKey::random(), t, 0, c), TokenCheck::WrongSession);
  SessionKey sameId = SessionKey::random();
  sameId.session = key.session;
  EXPECT_EQ(openToken(sameId, t, 0, c), TokenCheck::Forged) << "the right id with another key";
  for (size_t i = 0; i < t.size(); ++i) {
    ConnectToken bent = t;
    bent[i] ^= 0x10;
    const TokenCheck check = openToken(key, bent, 0, c);
    EXPECT_NE(check, TokenCheck::Ok) << "byte " << i;
  }
  EXPECT_EQ(openToken(key, std::span<const uint8_t>(t.data(), t.size() - 1), 0, c), TokenCheck::Malformed);
}

TEST(Token, HexRoundTripsAndAnythingElseIsRefused) {
  const ConnectToken t = issueToken(SessionKey::random(), 1, "driving", 99);
  const std::string hex = tokenHex(t);
  EXPECT_EQ(hex.size(), kConnectTokenBytes * 2);
  ConnectToken back{};
  ASSERT_TRUE(parseTokenHex(hex, back));
  EXPECT_EQ(back, t);
  EXPECT_FALSE(parseTokenHex(hex.substr(1), back));
  EXPECT_FALSE(parseTokenHex(hex + "0", back));
  EXPECT_FALSE(parseTokenHex("zz" + hex.substr(2), back));
  EXPECT_FALSE(parseTokenHex("", back));
}

TEST(Token, ResumeTokensAreRandom64BitValues) {
  std::set<uint64_t> seen;
  int high = 0;
  for (int i = 0; i < 1000; ++i) {
    const uint64_t v = randomToken();
    EXPECT_NE(v, 0u);
    seen.insert(v);
    high += (v >> 32) != 0;
  }
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_GT(high, 990) << "the high half is used";
}

TEST(SessionKeyFile, IsWrittenPrivateAndReadBack) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("pav-token-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "s1.key").string();
  const SessionKey key = SessionKey::random();
  key.save(path);
  struct stat st{};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const SessionKey back = SessionKey::load(path);
  EXPECT_EQ(back.session, key.session);
  EXPECT_EQ(back.key, key.key);
  ::chmod(path.c_str(), 0644);
  EXPECT_THROW(SessionKey::load(path), Error) << "others may read it";
  std::ofstream(dir / "bad.key") << "session = 12\nkey = 00\n";
  ::chmod((dir / "bad.key").c_str(), 0600);
  EXPECT_THROW(SessionKey::load((dir / "bad.key").string()), Error);
  EXPECT_THROW(SessionKey::load((dir / "none.key").string()), Error);
  std::filesystem::remove_all(dir);
  SessionKey parsed;
  EXPECT_TRUE(SessionKey::parse(key.text(), parsed));
  EXPECT_FALSE(SessionKey::parse("session = 0000000000000000\nkey = " + std::string(64, '1'), parsed)) << "id 0";
  EXPECT_FALSE(SessionKey::parse("key = " + std::string(64, '1'), parsed)) << "no id";
}

}  // namespace
}  // namespace pav::net
