// Tests for pav::core::Config. A config mistake should stop start-up with a message that names
// the file, the line or the key, so most tests here check the error text as well as the throw.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "pav/core/config.h"
#include "pav/core/error.h"

using pav::core::Config;

namespace {

// Runs `fn`, expects pav::Error, and returns its message so the caller can check what it names.
template <typename Fn>
std::string errorOf(Fn&& fn) {
  try {
    fn();
  } catch (const pav::Error& e) {
    return e.what();
  } catch (...) {
    ADD_FAILURE() << "threw something other than pav::Error";
    return {};
  }
  ADD_FAILURE() << "did not throw";
  return {};
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// A file under the system temp directory that is removed when the test ends, pass or fail.
// The pid keeps parallel ctest runs from sharing a file.
class TempFile {
 public:
  explicit TempFile(const std::string& stem)
      : path_((std::filesystem::temp_directory_path() /
               (stem + "_" + std::to_string(::getpid()) + ".cfg"))
                  .string()) {}
  ~TempFile() { std::remove(path_.c_str()); }
  void write(const std::string& text) const {
    std::ofstream out(path_, std::ios::binary);
    out << text;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

TEST(Config, ParsesKeyValueLinesWithCommentsAndWhitespace) {
  const Config c = Config::parse(
      "# station settings\n"
      "\n"
      "width = 1920\n"
      "  height=1080  \n"
      "\tname\t=\tpavilion east\t\n"
      "vsync = on   # trailing comment\n"
      "   # indented comment\n"
      "render.msaa-samples_x = 4\n");
  EXPECT_EQ(c.size(), 5u);
  EXPECT_EQ(c.raw("width"), "1920");
  EXPECT_EQ(c.raw("height"), "1080");
  // Inner spaces of a value survive; only the ends are trimmed.
  EXPECT_EQ(c.raw("name"), "pavilion east");
  EXPECT_EQ(c.raw("vsync"), "on");
  EXPECT_EQ(c.raw("render.msaa-samples_x"), "4");
}

TEST(Config, EmptyAndCommentOnlyTextGivesEmptyConfig) {
  EXPECT_EQ(Config::parse("").size(), 0u);
  EXPECT_EQ(Config::parse("\n\n   \n# only a comment\n\t\n").size(), 0u);
}

TEST(Config, HandlesCrLfAndMissingFinalNewline) {
  // Files edited on Windows must not end up with '\r' glued to every value.
  const Config c = Config::parse("a = 1\r\nb = two\r\nc = 3");
  EXPECT_EQ(c.raw("a"), "1");
  EXPECT_EQ(c.raw("b"), "two");
  EXPECT_EQ(c.raw("c"), "3");
}

TEST(Config, SplitsOnFirstEqualsAndAllowsEmptyValue) {
  const Config c = Config::parse("expr = a = b\nempty =\n");
  EXPECT_EQ(c.raw("expr"), "a = b");
  EXPECT_TRUE(c.has("empty"));
  EXPECT_EQ(c.getString("empty", "fallback"), "");
}

TEST(Config, LaterDuplicateKeyWins) {
  // Lets a local override be appended to a shared file.
  const Config c = Config::parse("fov = 90\nfov = 100\n");
  EXPECT_EQ(c.size(), 1u);
  EXPECT_EQ(c.raw("fov"), "100");
}

TEST(Config, MalformedLineNamesSourceAndLine) {
  // Blank and comment lines still count, so the number matches what an editor shows.
  const std::string msg =
      errorOf([] { Config::parse("# header\n\na = 1\nthis line has no equals\n", "station.cfg"); });
  EXPECT_TRUE(contains(msg, "station.cfg:4:")) << msg;
  EXPECT_TRUE(contains(msg, "this line has no equals")) << msg;
}

TEST(Config, MalformedLineUsesDefaultSourceName) {
  const std::string msg = errorOf([] { Config::parse("ok = 1\nbroken\n"); });
  EXPECT_TRUE(contains(msg, "config:2:")) << msg;
}

TEST(Config, BadKeysNameSourceAndLine) {
  const char* bad[] = {"= value", "two words = 1", "semi;colon = 1", "slash/key = 1",
                       "quote\"d = 1", "caf\xc3\xa9 = 1"};
  for (const char* line : bad) {
    const std::string text = std::string("good = 1\n") + line + "\n";
    const std::string msg = errorOf([&] { Config::parse(text, "keys.cfg"); });
    EXPECT_TRUE(contains(msg, "keys.cfg:2:")) << "line '" << line << "': " << msg;
    EXPECT_TRUE(contains(msg, "not a valid key")) << "line '" << line << "': " << msg;
  }
}

TEST(Config, SetHasAndRaw) {
  Config c = Config::parse("");
  EXPECT_FALSE(c.has("k"));
  EXPECT_EQ(c.raw("k"), std::nullopt);
  c.set("k", "v");
  EXPECT_TRUE(c.has("k"));
  EXPECT_EQ(c.raw("k"), "v");
  c.set("k", "w");
  EXPECT_EQ(c.raw("k"), "w");
  EXPECT_EQ(c.size(), 1u);
}

TEST(Config, GetStringReturnsValueOrFallback) {
  const Config c = Config::parse("title = Hall A\n");
  EXPECT_EQ(c.getString("title", "x"), "Hall A");
  EXPECT_EQ(c.getString("missing", "default title"), "default title");
}

TEST(Config, GetBoolAcceptsAllDocumentedForms) {
  const Config c = Config::parse(
      "t1 = true\nt2 = 1\nt3 = yes\nt4 = on\n"
      "f1 = false\nf2 = 0\nf3 = no\nf4 = off\n");
  for (const char* k : {"t1", "t2", "t3", "t4"}) EXPECT_TRUE(c.getBool(k, false)) << k;
  for (const char* k : {"f1", "f2", "f3", "f4"}) EXPECT_FALSE(c.getBool(k, true)) << k;
  EXPECT_TRUE(c.getBool("missing", true));
  EXPECT_FALSE(c.getBool("missing", false));
}

TEST(Config, GetBoolRejectsOtherWordsNamingTheKey) {
  // A typo such as "ture" must not silently read as false.
  Config c = Config::parse("", "bools.cfg");
  for (const char* v : {"ture", "maybe", "2", "", "y"}) {
    c.set("vsync", v);
    const std::string msg = errorOf([&] { c.getBool("vsync", true); });
    EXPECT_TRUE(contains(msg, "vsync")) << "value '" << v << "': " << msg;
    EXPECT_TRUE(contains(msg, "bools.cfg")) << msg;
    EXPECT_TRUE(contains(msg, "not a boolean")) << msg;
  }
}

TEST(Config, GetIntReadsValuesWithinInclusiveRange) {
  const Config c = Config::parse("w = 1920\nneg = -5\nlo = 0\nhi = 100\nbig = 9223372036854775807\n");
  EXPECT_EQ(c.getInt("w", 0, 1, 16384), 1920);
  EXPECT_EQ(c.getInt("neg", 0, -10, 10), -5);
  EXPECT_EQ(c.getInt("lo", 7, 0, 100), 0);     // bounds are inclusive
  EXPECT_EQ(c.getInt("hi", 7, 0, 100), 100);
  EXPECT_EQ(c.getInt("big", 0, 0, 9223372036854775807LL), 9223372036854775807LL);
  EXPECT_EQ(c.getInt("missing", 42, 0, 100), 42);
}

TEST(Config, GetIntOutOfRangeNamesKeyValueAndBounds) {
  const Config c = Config::parse("samples = 64\nlayers = -1\n", "gfx.cfg");
  const std::string high = errorOf([&] { c.getInt("samples", 4, 1, 16); });
  EXPECT_TRUE(contains(high, "samples")) << high;
  EXPECT_TRUE(contains(high, "64")) << high;
  EXPECT_TRUE(contains(high, "out of range")) << high;
  EXPECT_TRUE(contains(high, "[1, 16]")) << high;
  EXPECT_TRUE(contains(high, "gfx.cfg")) << high;
  const std::string low = errorOf([&] { c.getInt("layers", 1, 0, 8); });
  EXPECT_TRUE(contains(low, "layers")) << low;
  EXPECT_TRUE(contains(low, "out of range")) << low;
}

TEST(Config, GetIntRejectsNonIntegersNamingTheKey) {
  // Trailing junk, decimals and overflow are all mistakes, never a silently truncated number.
  Config c = Config::parse("");
  for (const char* v : {"1.5", "12abc", "abc", "", "0x10", "99999999999999999999",
                        "-99999999999999999999", "1e3"}) {
    c.set("threads", v);
    const std::string msg = errorOf([&] { c.getInt("threads", 1, -1000000, 1000000); });
    EXPECT_TRUE(contains(msg, "threads")) << "value '" << v << "': " << msg;
    EXPECT_TRUE(contains(msg, "not an integer")) << "value '" << v << "': " << msg;
  }
}

TEST(Config, GetDoubleReadsNumbersWithinRange) {
  const Config c = Config::parse("ipd = 0.064\nexp = -2.5e3\nfrac = .5\nint = 7\n");
  EXPECT_DOUBLE_EQ(c.getDouble("ipd", 0, 0.04, 0.08), 0.064);
  EXPECT_DOUBLE_EQ(c.getDouble("exp", 0, -1e4, 0), -2500.0);
  EXPECT_DOUBLE_EQ(c.getDouble("frac", 0, 0, 1), 0.5);
  EXPECT_DOUBLE_EQ(c.getDouble("int", 0, 0, 10), 7.0);
  EXPECT_DOUBLE_EQ(c.getDouble("missing", 1.25, 0, 1), 1.25);
}

TEST(Config, GetDoubleRejectsNonNumbersAndNonFinite) {
  // nan and inf parse with strtod but would poison every calculation downstream.
  Config c = Config::parse("", "xr.cfg");
  for (const char* v : {"abc", "", "1.5m", "nan", "inf", "-inf", "1e999", "0.5.5"}) {
    c.set("ipd", v);
    const std::string msg = errorOf([&] { c.getDouble("ipd", 0.064, -1e300, 1e300); });
    EXPECT_TRUE(contains(msg, "ipd")) << "value '" << v << "': " << msg;
    EXPECT_TRUE(contains(msg, "not a number")) << "value '" << v << "': " << msg;
    EXPECT_TRUE(contains(msg, "xr.cfg")) << msg;
  }
}

TEST(Config, GetDoubleOutOfRangeNamesKey) {
  const Config c = Config::parse("scale = 3.5\n");
  const std::string msg = errorOf([&] { c.getDouble("scale", 1, 0.1, 2.0); });
  EXPECT_TRUE(contains(msg, "scale")) << msg;
  EXPECT_TRUE(contains(msg, "out of range")) << msg;
}

TEST(Config, LoadMissingFileNamesThePath) {
  const std::string path =
      (std::filesystem::temp_directory_path() / "pav_no_such_dir_xyz" / "missing.cfg").string();
  const std::string msg = errorOf([&] { Config::load(path); });
  EXPECT_TRUE(contains(msg, path)) << msg;
}

TEST(Config, LoadReadsARealFile) {
  TempFile f("pav_config_test_load");
  f.write("# written by the test\nfov = 100\nvsync = yes\nname = east wing\r\n");
  const Config c = Config::load(f.path());
  EXPECT_EQ(c.size(), 3u);
  EXPECT_EQ(c.getInt("fov", 90, 30, 180), 100);
  EXPECT_TRUE(c.getBool("vsync", false));
  EXPECT_EQ(c.getString("name", ""), "east wing");
  // A bad read after load names the file it came from, not a generic "config".
  const std::string msg = errorOf([&] { c.getInt("fov", 90, 30, 60); });
  EXPECT_TRUE(contains(msg, f.path())) << msg;
}

TEST(Config, LoadOfMalformedFileNamesPathAndLine) {
  TempFile f("pav_config_test_bad");
  f.write("a = 1\nb = 2\noops\n");
  const std::string msg = errorOf([&] { Config::load(f.path()); });
  EXPECT_TRUE(contains(msg, f.path() + ":3:")) << msg;
}
