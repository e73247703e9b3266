// Tests for pav::log. Logging is global state, so every test runs inside a fixture that puts the
// level, the sink and the PAV_LOG environment variable back the way it found them; otherwise one
// test's setLevel(Off) would silently hide the output of every test that runs after it.
#include <gtest/gtest.h>

#include <cstdarg>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pav/core/log.h"

using pav::log::Level;

namespace {

struct Captured {
  std::vector<std::pair<Level, std::string>> lines;
};

void captureSink(Level level, const char* line, void* user) {
  static_cast<Captured*>(user)->lines.emplace_back(level, line);
}

// Exercises writeV the way a wrapper in another room would forward its own varargs.
void forwardV(Level level, const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  pav::log::writeV(level, fmt, args);
  va_end(args);
}

class Log : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const char* env = std::getenv("PAV_LOG")) savedEnv_ = env;
    ::unsetenv("PAV_LOG");
    pav::log::setLevel(Level::Info);
    pav::log::setSink(&captureSink, &captured_);
  }
  void TearDown() override {
    pav::log::setLevel(Level::Info);
    pav::log::setSink(nullptr, nullptr);
    if (savedEnv_) {
      ::setenv("PAV_LOG", savedEnv_->c_str(), 1);
    } else {
      ::unsetenv("PAV_LOG");
    }
  }
  const std::vector<std::pair<Level, std::string>>& lines() const { return captured_.lines; }

  Captured captured_;
  std::optional<std::string> savedEnv_;
};

}  // namespace

TEST_F(Log, ParseLevelAcceptsEveryDocumentedName) {
  const std::pair<const char*, Level> names[] = {{"trace", Level::Trace}, {"debug", Level::Debug},
                                                 {"info", Level::Info},   {"warn", Level::Warn},
                                                 {"error", Level::Error}, {"off", Level::Off}};
  for (const auto& [text, expected] : names) {
    Level out = expected == Level::Trace ? Level::Off : Level::Trace;
    EXPECT_TRUE(pav::log::parseLevel(text, out)) << text;
    EXPECT_EQ(out, expected) << text;
  }
}

TEST_F(Log, ParseLevelRejectsOtherTextAndLeavesOutputAlone) {
  // The caller keeps its current level on a bad value, so `out` must not be half-written.
  for (const char* text : {"", "INFO", "Warn", "warning", "info ", " info", "err", "of", "5"}) {
    Level out = Level::Debug;
    EXPECT_FALSE(pav::log::parseLevel(text, out)) << "'" << text << "'";
    EXPECT_EQ(out, Level::Debug) << "'" << text << "'";
  }
}

TEST_F(Log, SetLevelControlsEnabled) {
  pav::log::setLevel(Level::Warn);
  EXPECT_EQ(pav::log::level(), Level::Warn);
  EXPECT_FALSE(pav::log::enabled(Level::Info));
  EXPECT_TRUE(pav::log::enabled(Level::Warn));
  EXPECT_TRUE(pav::log::enabled(Level::Error));
}

TEST_F(Log, SinkReceivesFormattedLineWithLevelPrefix) {
  PAV_INFO("station %d of %s ready", 3, "east");
  ASSERT_EQ(lines().size(), 1u);
  EXPECT_EQ(lines()[0].first, Level::Info);
  // No trailing newline: the sink decides how lines are separated.
  EXPECT_EQ(lines()[0].second, "[info] station 3 of east ready");
}

TEST_F(Log, EachLevelHasItsOwnPrefix) {
  pav::log::setLevel(Level::Trace);
  PAV_TRACE("t");
  PAV_DEBUG("d");
  PAV_INFO("i");
  PAV_WARN("w");
  PAV_ERROR("e");
  const std::vector<std::pair<Level, std::string>> expected = {{Level::Trace, "[trace] t"},
                                                               {Level::Debug, "[debug] d"},
                                                               {Level::Info, "[info] i"},
                                                               {Level::Warn, "[warn] w"},
                                                               {Level::Error, "[error] e"}};
  EXPECT_EQ(lines(), expected);
}

TEST_F(Log, MessagesBelowTheLevelAreNotDelivered) {
  pav::log::setLevel(Level::Warn);
  PAV_TRACE("trace");
  PAV_DEBUG("debug");
  PAV_INFO("info");
  PAV_WARN("warn %d", 1);
  PAV_ERROR("error %d", 2);
  const std::vector<std::pair<Level, std::string>> expected = {{Level::Warn, "[warn] warn 1"},
                                                               {Level::Error, "[error] error 2"}};
  EXPECT_EQ(lines(), expected);
}

TEST_F(Log, DisabledMessageDoesNotEvaluateItsArguments) {
  // Trace calls sit in hot loops; with tracing off their arguments must cost nothing.
  pav::log::setLevel(Level::Info);
  int evaluated = 0;
  auto expensive = [&] { return ++evaluated; };
  PAV_TRACE("value %d", expensive());
  PAV_DEBUG("value %d", expensive());
  EXPECT_EQ(evaluated, 0);
  EXPECT_TRUE(lines().empty());
  PAV_INFO("value %d", expensive());
  EXPECT_EQ(evaluated, 1);
  ASSERT_EQ(lines().size(), 1u);
  EXPECT_EQ(lines()[0].second, "[info] value 1");
}

TEST_F(Log, OffSilencesEveryLevel) {
  pav::log::setLevel(Level::Off);
  PAV_TRACE("a");
  PAV_DEBUG("b");
  PAV_INFO("c");
  PAV_WARN("d");
  PAV_ERROR("e");
  EXPECT_TRUE(lines().empty());
}

TEST_F(Log, SinkGetsItsUserPointer) {
  Captured other;
  pav::log::setSink(&captureSink, &other);
  PAV_INFO("to other");
  EXPECT_TRUE(lines().empty());
  ASSERT_EQ(other.lines.size(), 1u);
  EXPECT_EQ(other.lines[0].second, "[info] to other");
}

TEST_F(Log, WriteVFormatsForwardedArguments) {
  forwardV(Level::Warn, "%s=%d (%.2f)", "fps", 72, 13.888);
  ASSERT_EQ(lines().size(), 1u);
  EXPECT_EQ(lines()[0].first, Level::Warn);
  EXPECT_EQ(lines()[0].second, "[warn] fps=72 (13.89)");
}

TEST_F(Log, VeryLongMessageIsTruncatedNotOverflowed) {
  // A message longer than the line buffer (a dumped shader log, say) must be cut short, never
  // written past the stack buffer. Run under ASan to catch the overflow itself.
  const std::string huge(5000, 'x');
  PAV_ERROR("%s|end", huge.c_str());
  ASSERT_EQ(lines().size(), 1u);
  const std::string& line = lines()[0].second;
  EXPECT_LT(line.size(), 1024u);
  EXPECT_GT(line.size(), 1000u);  // truncated, not dropped
  EXPECT_EQ(line.rfind("[error] ", 0), 0u);
  EXPECT_EQ(line.find_first_not_of('x', 8), std::string::npos);  // the tail was cut, cleanly
  // The logger is still usable afterwards.
  PAV_ERROR("short");
  ASSERT_EQ(lines().size(), 2u);
  EXPECT_EQ(lines()[1].second, "[error] short");
}

TEST_F(Log, NullSinkRestoresStderr) {
  pav::log::setSink(nullptr, nullptr);
  ::testing::internal::CaptureStderr();
  PAV_WARN("to stderr %d", 7);
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(err, "[warn] to stderr 7\n");
  EXPECT_TRUE(lines().empty());
}

TEST_F(Log, InitFromEnvironmentWithoutVariableKeepsLevel) {
  pav::log::setLevel(Level::Error);
  pav::log::initFromEnvironment();
  EXPECT_EQ(pav::log::level(), Level::Error);
  EXPECT_TRUE(lines().empty());
}

TEST_F(Log, InitFromEnvironmentAppliesEveryLevelName) {
  const std::pair<const char*, Level> names[] = {{"trace", Level::Trace}, {"debug", Level::Debug},
                                                 {"info", Level::Info},   {"warn", Level::Warn},
                                                 {"error", Level::Error}, {"off", Level::Off}};
  for (const auto& [text, expected] : names) {
    pav::log::setLevel(expected == Level::Info ? Level::Error : Level::Info);
    ASSERT_EQ(::setenv("PAV_LOG", text, 1), 0);
    pav::log::initFromEnvironment();
    EXPECT_EQ(pav::log::level(), expected) << text;
  }
  EXPECT_TRUE(lines().empty());  // a good value is applied quietly
}

TEST_F(Log, InitFromEnvironmentWithDebugLetsDebugThrough) {
  ASSERT_EQ(::setenv("PAV_LOG", "debug", 1), 0);
  pav::log::initFromEnvironment();
  PAV_TRACE("hidden");
  PAV_DEBUG("shown");
  ASSERT_EQ(lines().size(), 1u);
  EXPECT_EQ(lines()[0].second, "[debug] shown");
}

TEST_F(Log, InitFromEnvironmentReportsAndIgnoresABadValue) {
  // A typo in PAV_LOG should be visible (otherwise someone waits for debug output that never
  // comes) but must not stop the program or change the level.
  pav::log::setLevel(Level::Warn);
  ASSERT_EQ(::setenv("PAV_LOG", "verbose", 1), 0);
  pav::log::initFromEnvironment();
  EXPECT_EQ(pav::log::level(), Level::Warn);
  ASSERT_EQ(lines().size(), 1u);
  EXPECT_EQ(lines()[0].first, Level::Warn);
  const std::string& line = lines()[0].second;
  EXPECT_EQ(line.rfind("[warn] ", 0), 0u) << line;
  EXPECT_NE(line.find("PAV_LOG=verbose"), std::string::npos) << line;
  EXPECT_NE(line.find("ignored"), std::string::npos) << line;
}

TEST_F(Log, InitFromEnvironmentIsCaseSensitive) {
  ASSERT_EQ(::setenv("PAV_LOG", "DEBUG", 1), 0);
  pav::log::initFromEnvironment();
  EXPECT_EQ(pav::log::level(), Level::Info);
  ASSERT_EQ(lines().size(), 1u);
  EXPECT_NE(lines()[0].second.find("PAV_LOG=DEBUG"), std::string::npos) << lines()[0].second;
}
