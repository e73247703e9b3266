// The host's session screens (tools/pavilion/session_screens.h) and the visitor's tables
// (visitor_text.h): what each stage asks a canvas to draw, in both languages, recorded call by
// call by a canvas that only writes down; the stage rule on its own clock; the engine's table
// whole and every key the screens use present. No GPU, no font: the `text` room draws these.
#include <gtest/gtest.h>

#include <algorithm>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "floor_states.h"
#include "pav/core/error.h"
#include "pav/core/title.h"
#include "session_screens.h"
#include "visitor_text.h"
#ifdef PAV_COUNT_ALLOCATIONS
#include "alloc_counter.h"
#endif

namespace pav::tools {
namespace {

using render::HudStage;
namespace ui = render::ui;

// Every call, as it was made.
struct Call {
  std::string what;  // "panel", "rect", "bar", "text", "measure"
  ui::Slot slot = 0;
  glm::vec2 at{0.0f};
  std::string text;
  float fraction = -1;
  ui::PanelDesc panel;
  ui::TextStyle style;
};

class RecordingCanvas final : public ui::Canvas {
 public:
  std::vector<Call> calls;
  void panel(const ui::PanelDesc& d) override { calls.push_back({.what = "panel", .panel = d}); }
  void rect(glm::vec2 c, glm::vec2, glm::vec4, float) override { calls.push_back({.what = "rect", .at = c}); }
  void bar(glm::vec2 c, glm::vec2, float f, glm::vec4, glm::vec4) override {
    calls.push_back({.what = "bar", .at = c, .fraction = f});
  }
  void text(ui::Slot s, glm::vec2 at, std::string_view utf8, const ui::TextStyle& st) override {
    calls.push_back({.what = "text", .slot = s, .at = at, .text = std::string(utf8), .style = st});
  }
  float measure(ui::Slot, std::string_view utf8, const ui::TextStyle& st) override { return float(utf8.size()) * st.height; }

  std::vector<std::string> texts() const {
    std::vector<std::string> out;
    for (const Call& c : calls)
      if (c.what == "text") out.push_back(c.text);
    return out;
  }
  const Call* textAt(ui::Slot s) const {
    for (const Call& c : calls)
      if (c.what == "text" && c.slot == s) return &c;
    return nullptr;
  }
};

core::StringTable engineTable() { return core::StringTable::load(engineTablePath("")); }

// A title's table as `hud` writes them (assets/<title>/strings.json); test-only.
core::StringTable titleTable() {
  return core::StringTable::parse(R"({
    "title.name": {"zh": "虚拟驾驶", "en": "Virtual driving"},
    "howto.controllers.1": {"zh": "右扳机加速", "en": "Right trigger: throttle"},
    "howto.controllers.2": {"zh": "左扳机刹车", "en": "Left trigger: brake"},
    "howto.wheel.1": {"zh": "转动方向盘转向", "en": "Turn the wheel to steer"},
    "howto.wheel.2": {"zh": "踩踏板加速和刹车", "en": "Pedals: throttle and brake"}
  })", "test/driving/strings.json");
}

std::vector<std::string> draw(SessionScreens& screens, const ScreenFrame& f, RecordingCanvas& canvas) {
  canvas.calls.clear();
  screens.draw(f, canvas);
  return canvas.texts();
}

// ---- The engine's table -------------------------------------------------------------------------

TEST(EngineStrings, LoadsWholeInBothLanguages) {
  // The table check (StringTable::load) refuses a key missing a language or a placeholder.
  const core::StringTable t = engineTable();
  EXPECT_GE(t.size(), 15u);
  size_t zh = 0, en = 0;
  t.forEach([&](std::string_view key, core::Lang lang, std::string_view text) {
    EXPECT_FALSE(text.empty()) << key;
    (lang == core::Lang::Zh ? zh : en)++;
  });
  EXPECT_EQ(zh, t.size());
  EXPECT_EQ(en, t.size());
  EXPECT_EQ(t.get("lobby.welcome", core::Lang::Zh), "欢迎");
  EXPECT_EQ(t.get("warning.timeUp", core::Lang::Zh), "时间到");
}

TEST(EngineStrings, EveryKeyTheScreensUseExists) {
  const core::StringTable t = engineTable();
  EXPECT_NO_THROW(SessionScreens screens(t));
  // A table without one of them stops start-up, naming the table and the key.
  const core::StringTable lacking = core::StringTable::parse(R"({"lobby.welcome": {"zh": "欢迎", "en": "Welcome"}})", "lacking.json");
  try {
    SessionScreens screens(lacking);
    FAIL() << "a table without lobby.startsIn was taken";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("lacking.json"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("lobby.startsIn"), std::string::npos) << e.what();
  }
}

TEST(EngineStrings, TitleTableWithoutItsNameIsRefused) {
  const core::StringTable t = engineTable();
  SessionScreens screens(t);
  const core::StringTable noName = core::StringTable::parse(
      R"({"howto.controllers.1": {"zh": "一", "en": "one"}, "howto.controllers.2": {"zh": "二", "en": "two"}})", "x/strings.json");
  EXPECT_THROW(screens.setTitle(&noName, "x", VisitorDevice::Controllers), Error);
  const core::StringTable noHowto = core::StringTable::parse(R"({"title.name": {"zh": "甲", "en": "A"}})", "y/strings.json");
  EXPECT_THROW(screens.setTitle(&noHowto, "y", VisitorDevice::Controllers), Error);
}

// ---- The stage rule -------------------------------------------------------------------------------

TEST(SessionStage, FollowsTheSessionOnItsOwnClock) {
  // A 13 s hold (10 s lobby, the 3 s start) then 60 s of play, by tenths of a second.
  const double hold = director::holdSeconds(10.0), length = 60.0;
  ASSERT_DOUBLE_EQ(hold, 13.0);
  std::vector<HudStage> seen;
  for (int i = 0; i <= int((hold + length) * 10); ++i) {
    const double t = i / 10.0;
    const StageClocks c{.secondsToStart = std::max(0.0, hold - t),
                        .secondsLeft = std::max(0.0, length - std::max(0.0, t - hold)),
                        .ended = t >= hold + length};
    const HudStage s = sessionStage(c);
    if (seen.empty() || seen.back() != s) seen.push_back(s);
    if (t < 9.95) {
      EXPECT_EQ(s, HudStage::Lobby) << t;
    }
    if (t > 10.05 && t < 12.95) {
      EXPECT_EQ(s, HudStage::Start) << t;
    }
    if (t > 13.05 && t < 42.95) {
      EXPECT_EQ(s, HudStage::Playing) << t;
    }
    if (t > 43.05 && t < 72.95) {
      EXPECT_EQ(s, HudStage::Warning) << t;
    }
  }
  EXPECT_EQ(seen, (std::vector<HudStage>{HudStage::Lobby, HudStage::Start, HudStage::Playing, HudStage::Warning,
                                         HudStage::Results}));
  // Before the Welcome the start is not known: the lobby (connecting).
  EXPECT_EQ(sessionStage({.secondsToStart = -1}), HudStage::Lobby);
  // No limit known: never a warning.
  EXPECT_EQ(sessionStage({.secondsToStart = 0, .secondsLeft = -1}), HudStage::Playing);
}

TEST(LocalTimeline, StartsPlaysAndHoldsResultsForTenSeconds) {
  LocalTimeline t(director::kStartSeconds);
  const double dt = 1.0 / 60.0;
  int held = 0;
  while (t.holding()) {
    EXPECT_EQ(sessionStage(t.clocks(30)), HudStage::Start);
    t.advance(dt);
    ++held;
  }
  EXPECT_NEAR(held, 180, 1);
  EXPECT_EQ(sessionStage(t.clocks(31)), HudStage::Playing);
  EXPECT_EQ(sessionStage(t.clocks(29)), HudStage::Warning);
  t.end();
  EXPECT_EQ(sessionStage(t.clocks(0)), HudStage::Results);
  int results = 0;
  while (!t.resultsDone()) t.advance(dt), ++results;
  EXPECT_NEAR(results, 600, 1);
  LocalTimeline none(0.0);
  EXPECT_FALSE(none.holding());
  EXPECT_EQ(sessionStage(none.clocks(-1)), HudStage::Playing);
}

// ---- Devices and results --------------------------------------------------------------------------

TEST(SessionScreens, DeviceIsWhatTheTitleAskedForAndWasFound) {
  EXPECT_EQ(visitorDevice(core::kDeviceWheel, core::kDeviceWheel), VisitorDevice::Wheel);
  EXPECT_EQ(visitorDevice(core::kDeviceWheel, 0), VisitorDevice::Controllers);
  EXPECT_EQ(visitorDevice(core::kDeviceTrainer, core::kDeviceTrainer | core::kDeviceWheel), VisitorDevice::Bike);
  EXPECT_EQ(visitorDevice(0, core::kDeviceWheel), VisitorDevice::Controllers);
}

TEST(SessionScreens, RankComesFromTheResultsRanking) {
  int rank = 0, count = 0;
  EXPECT_TRUE(rankOf(R"({"title":"driving","ranking":[2,0,1,3]})", 1, rank, count));
  EXPECT_EQ(rank, 3);
  EXPECT_EQ(count, 4);
  EXPECT_FALSE(rankOf(R"({"title":"hockey","score":[1,2]})", 0, rank, count));
  EXPECT_FALSE(rankOf(R"({"ranking":[0,1]})", 5, rank, count));
  EXPECT_FALSE(rankOf("not json", 0, rank, count));
  EXPECT_FALSE(rankOf(R"({"ranking":"first"})", 0, rank, count));
}

// ---- What each stage draws, in each language ---------------------------------------------------------

TEST(SessionScreens, LobbyInBothLanguages) {
  const core::StringTable engine = engineTable(), title = titleTable();
  SessionScreens screens(engine);
  screens.setTitle(&title, "driving", VisitorDevice::Wheel);
  RecordingCanvas canvas;
  const auto zh = draw(screens, {.stage = HudStage::Lobby, .lang = core::Lang::Zh, .secondsToStart = 7.2}, canvas);
  EXPECT_EQ(zh, (std::vector<std::string>{"欢迎", "虚拟驾驶", "你的体验将在 8 秒后开始", "本站设备：方向盘", "玩法",
                                          "转动方向盘转向", "踩踏板加速和刹车"}));
  ASSERT_FALSE(canvas.calls.empty());
  EXPECT_EQ(canvas.calls[0].what, "panel");
  EXPECT_EQ(canvas.calls[0].panel.anchor, ui::Anchor::Head);
  EXPECT_LT(canvas.calls[0].panel.pose.position.z, -1.0f) << "in front of the visitor";
  EXPECT_TRUE(canvas.calls[0].panel.onTop);
  const Call* welcome = canvas.textAt(ui::slot("lobby.welcome"));
  const Call* howto2 = canvas.textAt(ui::slot("lobby.howto.2"));
  ASSERT_TRUE(welcome && howto2);
  EXPECT_GT(welcome->at.y, howto2->at.y) << "welcome on top, how to play at the bottom";
  EXPECT_GT(welcome->style.height, howto2->style.height);
  const auto en = draw(screens, {.stage = HudStage::Lobby, .lang = core::Lang::En, .secondsToStart = 7.2}, canvas);
  EXPECT_EQ(en, (std::vector<std::string>{"Welcome", "Virtual driving", "Your session starts in 8 s", "At this station: wheel",
                                          "How to play", "Turn the wheel to steer", "Pedals: throttle and brake"}));
  // Before the Welcome: connecting; controllers where the title has no lines for the device.
  screens.setTitle(&title, "driving", VisitorDevice::Bike);
  const auto early = draw(screens, {.stage = HudStage::Lobby, .lang = core::Lang::En, .secondsToStart = -1}, canvas);
  EXPECT_EQ(early[2], "Connecting…");
  EXPECT_EQ(early[3], "At this station: bike");
  EXPECT_EQ(early[5], "Right trigger: throttle");
  // No title table: the id for a name, no how-to lines.
  screens.setTitle(nullptr, "balloons", VisitorDevice::Controllers);
  const auto bare = draw(screens, {.stage = HudStage::Lobby, .lang = core::Lang::Zh, .secondsToStart = 4}, canvas);
  EXPECT_EQ(bare, (std::vector<std::string>{"欢迎", "balloons", "你的体验将在 4 秒后开始", "本站设备：手柄"}));
}

TEST(SessionScreens, StartCountsThreeTwoOneThenGo) {
  const core::StringTable engine = engineTable();
  SessionScreens screens(engine);
  RecordingCanvas canvas;
  std::vector<std::string> digits;
  for (double left : {2.95, 2.0, 1.5, 0.99, 0.01}) {
    const auto t = draw(screens, {.stage = HudStage::Start, .lang = core::Lang::Zh, .secondsToStart = left}, canvas);
    ASSERT_EQ(t.size(), 2u);
    EXPECT_EQ(t[0], "准备");
    digits.push_back(t[1]);
    EXPECT_EQ(canvas.calls[0].panel.fill.a, 0.0f) << "no backing over the scene";
  }
  EXPECT_EQ(digits, (std::vector<std::string>{"3", "2", "2", "1", "1"}));
  EXPECT_EQ(draw(screens, {.stage = HudStage::Playing, .lang = core::Lang::En, .secondsSinceStart = 0.4}, canvas),
            (std::vector<std::string>{"GO!"}));
  EXPECT_EQ(draw(screens, {.stage = HudStage::Playing, .lang = core::Lang::Zh, .secondsSinceStart = 0.4}, canvas),
            (std::vector<std::string>{"开始！"}));
  EXPECT_TRUE(draw(screens, {.stage = HudStage::Playing, .lang = core::Lang::En, .secondsSinceStart = 1.2}, canvas).empty());
  EXPECT_TRUE(canvas.calls.empty()) << "playing: the title's HUD only";
}

TEST(SessionScreens, WarningIsTextABarAndHowToCallStaff) {
  const core::StringTable engine = engineTable();
  SessionScreens screens(engine);
  RecordingCanvas canvas;
  EXPECT_EQ(draw(screens, {.stage = HudStage::Warning, .lang = core::Lang::En, .secondsLeft = 26.3}, canvas),
            (std::vector<std::string>{"0:27 left", "Need help? Hold both grips for 2 s"}));
  const Call* bar = nullptr;
  for (const Call& c : canvas.calls)
    if (c.what == "bar") bar = &c;
  ASSERT_TRUE(bar);
  EXPECT_NEAR(bar->fraction, 26.3 / director::kWarnSeconds, 1e-4);
  EXPECT_GT(canvas.calls[0].panel.pose.position.y, 0.2f) << "high in the view, above the titles' HUDs";
  EXPECT_EQ(draw(screens, {.stage = HudStage::Warning, .lang = core::Lang::Zh, .secondsLeft = 26.3}, canvas),
            (std::vector<std::string>{"剩余 0:27", "需要帮助？双手握紧手柄 2 秒"}));
  EXPECT_EQ(draw(screens, {.stage = HudStage::Warning, .lang = core::Lang::Zh, .secondsLeft = 0}, canvas),
            (std::vector<std::string>{"时间到", "需要帮助？双手握紧手柄 2 秒"}));
}

TEST(SessionScreens, TheLinkNoticeSaysReconnectingOrThatTheComputerPlays) {
  const core::StringTable engine = engineTable();
  SessionScreens screens(engine);
  RecordingCanvas canvas;
  // Playing after GO!: nothing of the host's while the link is fine.
  EXPECT_TRUE(draw(screens, {.stage = HudStage::Playing, .lang = core::Lang::En, .secondsSinceStart = 5}, canvas).empty());
  EXPECT_EQ(draw(screens, {.stage = HudStage::Playing, .lang = core::Lang::En, .secondsSinceStart = 5,
                           .link = LinkNotice::Interrupted}, canvas),
            (std::vector<std::string>{"Connection lost, reconnecting…"}));
  EXPECT_GT(canvas.calls[0].panel.pose.position.y, 0.2f) << "above the line of sight, over the titles' HUDs";
  EXPECT_EQ(draw(screens, {.stage = HudStage::Playing, .lang = core::Lang::Zh, .secondsSinceStart = 5,
                           .link = LinkNotice::BotPlays}, canvas),
            (std::vector<std::string>{"网络中断：电脑暂时替你比赛，连接恢复后交还给你"}));
  // In the warning all three: the time left, how to call for staff (issue 20) and the notice.
  EXPECT_EQ(draw(screens, {.stage = HudStage::Warning, .lang = core::Lang::En, .secondsLeft = 26.3,
                           .link = LinkNotice::BotPlays}, canvas),
            (std::vector<std::string>{"0:27 left", "Need help? Hold both grips for 2 s",
                                      "Connection lost: the computer plays for you until it returns"}));
  // Not in the lobby or the results (no play to lose).
  const auto lobby = draw(screens, {.stage = HudStage::Lobby, .lang = core::Lang::En, .secondsToStart = 4,
                                    .link = LinkNotice::BotPlays}, canvas);
  EXPECT_EQ(std::count(lobby.begin(), lobby.end(), "Connection lost: the computer plays for you until it returns"), 0);
}

TEST(SessionScreens, ResultsWithTheRankOrWithout) {
  const core::StringTable engine = engineTable(), title = titleTable();
  SessionScreens screens(engine);
  screens.setTitle(&title, "driving", VisitorDevice::Controllers);
  RecordingCanvas canvas;
  EXPECT_EQ(draw(screens, {.stage = HudStage::Results, .lang = core::Lang::En, .rank = 2, .count = 4}, canvas),
            (std::vector<std::string>{"Results", "Virtual driving", "Your rank: 2 of 4", "Thank you for playing!",
                                      "Please take off the headset and hand it to our staff"}));
  const auto zh = draw(screens, {.stage = HudStage::Results, .lang = core::Lang::Zh, .rank = 1, .count = 3}, canvas);
  EXPECT_EQ(zh[0], "成绩");
  EXPECT_EQ(zh[2], "你的排名：第 1 名，共 3 名");
  EXPECT_EQ(zh[3], "感谢参与！");
  const auto unknown = draw(screens, {.stage = HudStage::Results, .lang = core::Lang::Zh}, canvas);
  EXPECT_EQ(unknown[2], "体验结束");
}

#ifdef PAV_COUNT_ALLOCATIONS
TEST(SessionScreens, DrawingAllocatesNothing) {
  const core::StringTable engine = engineTable(), title = titleTable();
  SessionScreens screens(engine);
  screens.setTitle(&title, "driving", VisitorDevice::Wheel);
  // A canvas that keeps nothing: only the screens' own work is counted.
  class NullCanvas final : public ui::Canvas {
   public:
    void panel(const ui::PanelDesc&) override {}
    void rect(glm::vec2, glm::vec2, glm::vec4, float) override {}
    void bar(glm::vec2, glm::vec2, float, glm::vec4, glm::vec4) override {}
    void text(ui::Slot, glm::vec2, std::string_view, const ui::TextStyle&) override {}
    float measure(ui::Slot, std::string_view, const ui::TextStyle&) override { return 0; }
  } canvas;
  test::CountAllocations count;
  for (int i = 0; i < 100; ++i)
    for (core::Lang lang : core::kLangs) {
      screens.draw({.stage = HudStage::Lobby, .lang = lang, .secondsToStart = 9 - i * 0.05}, canvas);
      screens.draw({.stage = HudStage::Start, .lang = lang, .secondsToStart = 2.5}, canvas);
      screens.draw({.stage = HudStage::Playing, .lang = lang, .secondsSinceStart = 0.2}, canvas);
      screens.draw({.stage = HudStage::Warning, .lang = lang, .secondsLeft = 29 - i * 0.2}, canvas);
      screens.draw({.stage = HudStage::Results, .lang = lang, .rank = 2, .count = 5}, canvas);
    }
  EXPECT_EQ(count.count(), 0u);
}
#endif

// ---- The tables at start-up -----------------------------------------------------------------------------

TEST(VisitorText, LoadsTheEngineTableAndNamesABadTitleTable) {
  const std::string dir = testing::TempDir() + "/visitor-text";
  std::filesystem::create_directories(dir + "/engine");
  std::filesystem::create_directories(dir + "/hockey");
  std::filesystem::copy_file(engineTablePath(""), dir + "/engine/strings.json",
                             std::filesystem::copy_options::overwrite_existing);
  {
    std::ofstream bad(dir + "/hockey/strings.json");
    bad << R"({"title.name": {"zh": "桌上冰球"}})";
  }
  try {
    loadVisitorText(dir, {"hockey"});
    FAIL() << "a title table missing a language was taken";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(dir + "/hockey/strings.json"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("title.name"), std::string::npos) << e.what();
  }
  // A title without its table stops start-up too, naming the file.
  std::filesystem::remove(dir + "/hockey/strings.json");
  try {
    loadVisitorText(dir, {"hockey"});
    FAIL() << "a title without its table was taken";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(dir + "/hockey/strings.json"), std::string::npos) << e.what();
  }
  std::filesystem::remove(dir + "/engine/strings.json");
  EXPECT_THROW(loadVisitorText(dir, {}), Error);
  EXPECT_EQ(langOption("en"), core::Lang::En);
  EXPECT_EQ(langOption(""), std::nullopt);
}

}  // namespace
}  // namespace pav::tools
