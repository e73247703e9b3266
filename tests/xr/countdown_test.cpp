// The station's time-up notice as the visitor sees it: `pavilion play hockey --countdown S`
// (the hidden option that starts the play with S seconds left) run as a child process, with
// the validation layer on, and the pictures it leaves checked for the session screens' time-up
// panel ("0:25 left" in text over an amber bar, session_screens.h), high in the view.
//
//   CountdownXr       in the simulated headset (XR_RUNTIME_JSON from ctest): the eye pictures the
//                     runtime received both show the bar in their upper centre, shifted between
//                     the eyes as much as a panel 1.6 m away must be; without --countdown there
//                     is no amber there.
//   CountdownDesktop  the offscreen pictures of `--headless --png`: the panel is there, its
//                     text and bar differ between 27 s and 9 s left, and it is absent without
//                     --countdown.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "../support/golden_match.h"
#include "../support/picture_regions.h"
#include "../tools/child_process.h"
#include "pav/render/picture.h"

namespace pav::test {
namespace {

namespace fs = std::filesystem;
using clitest::ChildResult;
using clitest::Environment;

// The bar's amber (session_screens.cpp kAccent: linear 1.0, 0.72, 0.18, sRGB about 255, 220,
// 118; unlit, the UI is not shaded); the sky (red under 225), the white table (blue over 150)
// and the scene's yellow and orange (blue under 60) fall outside.
bool amber(const uint8_t* p) { return p[0] >= 225 && p[1] >= 190 && p[1] <= 245 && p[2] >= 70 && p[2] <= 160; }

// The amber pixels in the upper centre of a picture: columns 20..80 %, rows 5..50 %.
PixelRegion amberInUpperCentre(const render::Picture& p) { return findPixels(p, amber, {20, 5, 80, 50}); }

class CountdownTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(PAV_BIN)) << "the pavilion program is not built: " << PAV_BIN;
    std::string pattern = (fs::temp_directory_path() / "pav-countdown-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    tmp_ = pattern;
    fs::create_directory(tmp_ / "xdg");
    fs::permissions(tmp_ / "xdg", fs::perms::owner_all, fs::perm_options::replace);
  }
  void TearDown() override {
    std::error_code ec;
    if (!HasFailure()) fs::remove_all(tmp_, ec);
  }

  // No window (nothing on a display behind the test's back), the Khronos layer on.
  Environment env() const {
    Environment e = Environment::inherited();
    for (const char* v : {"DISPLAY", "WAYLAND_DISPLAY", "PAV_VALIDATION", "PAV_LOG"}) e.unset(v);
    e.set("XDG_RUNTIME_DIR", (tmp_ / "xdg").string());
    return e;
  }

  ChildResult play(std::vector<std::string> args, const Environment& e, const std::string& title = "hockey") const {
    args.insert(args.begin(), {"play", title, "--validation"});
    return clitest::runChild(PAV_BIN, args, e, tmp_.string(), std::chrono::seconds(240));
  }

  fs::path tmp_;
};

// ---- In the headset ---------------------------------------------------------------------------

// xr-sim's optics (tools/xr-sim/README.md): IPD 64 mm, each eye's fov 54 degrees outwards and
// 40 inwards. The head stays still, looking straight ahead, so the panel hangs straight ahead
// of it, 1.6 m away and 0.42 m up.
constexpr double kIpd = 0.064;
constexpr double kOuter = 54.0, kInner = 40.0;
constexpr const char* kStillHead = "at 0\nhead 0 1.6 0  0 0 0\n";

class CountdownXr : public CountdownTest {
 protected:
  // Runs a headset session of 2 simulated seconds; the last frame's eyes land in `eyes`.
  void runHeadset(const std::vector<std::string>& extra, const fs::path& eyes, const std::string& title = "hockey") {
    const char* manifest = std::getenv("XR_RUNTIME_JSON");
    ASSERT_NE(manifest, nullptr) << "ctest sets XR_RUNTIME_JSON to the simulated headset";
    const fs::path script = tmp_ / "still.txt";
    FILE* f = std::fopen(script.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs(kStillHead, f);
    std::fclose(f);
    Environment e = env();
    e.set("XR_RUNTIME_JSON", manifest).set("PAV_XR_SIM_SCALE", "0.25").set("PAV_XR_SIM_IPD", "64");
    e.set("PAV_XR_SIM_SCRIPT", script.string()).set("PAV_XR_SIM_PNG_DIR", eyes.string());
    std::vector<std::string> args = {"--xr", "--no-start", "--seconds", "2"};
    args.insert(args.end(), extra.begin(), extra.end());
    const ChildResult r = play(args, e, title);
    ASSERT_TRUE(r.exited && r.exitCode == 0) << r.transcript();
    ASSERT_NE(r.err.find("in the headset"), std::string::npos) << r.transcript();
    ASSERT_EQ(r.err.find("validation layer reported"), std::string::npos) << r.transcript();
  }
};

TEST_F(CountdownXr, BothEyesSeeTheTimeUpPanelAtAboutOnePointSixMetres) {
  runHeadset({"--countdown", "27"}, tmp_ / "with");
  const render::Picture left = render::readPng((tmp_ / "with" / "last-left.png").string());
  const render::Picture right = render::readPng((tmp_ / "with" / "last-right.png").string());
  ASSERT_EQ(left.width, right.width);
  const PixelRegion l = amberInUpperCentre(left), r = amberInUpperCentre(right);
  // The bar, 0.4 m x 18 mm at 1.6 m, 25 of 30 s full: about a hundred pixels at 458 x 480.
  EXPECT_GT(l.count, 40u);
  EXPECT_GT(r.count, 40u);
  EXPECT_NEAR(double(l.count), double(r.count), 0.3 * double(l.count));
  // Both eyes see it at the same height, in the upper part of the view.
  EXPECT_NEAR(l.y, r.y, 1.5);
  EXPECT_LT(l.y, 0.5 * left.height);

  // Depth from the shift between the eyes. A point straight ahead at depth Z lies ipd/2 to the
  // inside of each eye: its column is W * (tan(outer) +- ipd/2 / Z) / (tan(outer) + tan(inner))
  // (left eye +, right eye -), so shift = W * (tan(outer) - tan(inner) + ipd / Z) / span.
  const double span = std::tan(kOuter * M_PI / 180) + std::tan(kInner * M_PI / 180);
  const double atInfinity = left.width * (std::tan(kOuter * M_PI / 180) - std::tan(kInner * M_PI / 180)) / span;
  const double shift = l.x - r.x;
  ASSERT_GT(shift, atInfinity + 2.0) << "no parallax: the panel is not at a finite depth";
  const double depth = left.width * kIpd / ((shift - atInfinity) * span);
  // 1.6 m ahead (its depth in the eye's view space).
  EXPECT_NEAR(depth, 1.6, 0.3)
      << "shift " << shift << " px, " << atInfinity << " px at infinity";
  std::fprintf(stderr, "countdown in the headset: %llu / %llu amber px, shift %.1f px (%.1f at infinity): %.2f m\n",
               static_cast<unsigned long long>(l.count), static_cast<unsigned long long>(r.count), shift, atInfinity,
               depth);
}

TEST_F(CountdownXr, WithoutACountdownThereIsNoAmber) {
  runHeadset({}, tmp_ / "without");
  for (const char* eye : {"last-left.png", "last-right.png"}) {
    const render::Picture p = render::readPng((tmp_ / "without" / eye).string());
    EXPECT_LT(amberInUpperCentre(p).count, 10u) << eye;
  }
}

// Each title's HUD as one eye of the simulated headset sees it, in both languages, against
// its golden picture (tests/support/golden_match.h; PAV_UPDATE_GOLDEN=1 re-blesses).
TEST_F(CountdownXr, EachTitlesHudInTheLeftEyeMatchesItsGoldenPicture) {
  for (const char* title : {"hockey", "driving", "cycling", "balloons"})
    for (const char* lang : {"zh", "en"}) {
      const std::string name = std::string("xr-") + title + "-" + lang;
      runHeadset({"--lang", lang, "--seed", "3"}, tmp_ / name, title);
      if (HasFatalFailure()) return;
      const render::Picture eye = render::readPng((tmp_ / name / "last-left.png").string());
      EXPECT_TRUE(test::matchesGolden(eye, std::string(PAV_GOLDEN_DIR) + "/hud/" + name + "-left.png",
                                      std::string(PAV_TEST_ARTIFACT_DIR) + "/hud"))
          << name;
    }
}

// ---- On the desktop ---------------------------------------------------------------------------

class CountdownDesktop : public CountdownTest {
 protected:
  // The picture of simulated second 1 of `--headless --png` with `extra` arguments.
  render::Picture picture(const std::string& name, const std::vector<std::string>& extra) {
    const fs::path dir = tmp_ / name;
    std::vector<std::string> args = {"--headless", "--seconds", "1", "--png", dir.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    const ChildResult r = play(args, env());
    EXPECT_TRUE(r.exited && r.exitCode == 0) << r.transcript();
    EXPECT_EQ(r.err.find("validation layer reported"), std::string::npos) << r.transcript();
    return render::readPng((dir / "hockey-0001.png").string());
  }
};

TEST_F(CountdownDesktop, ThePanelShowsTheTimeLeftAndItsBar) {
  const render::Picture at27 = picture("at27", {"--countdown", "27"});
  const render::Picture at9 = picture("at9", {"--countdown", "9"});
  const render::Picture none = picture("none", {});
  ASSERT_FALSE(at27.empty());
  const PixelRegion a = amberInUpperCentre(at27), b = amberInUpperCentre(at9);
  EXPECT_GT(a.count, 300u);
  EXPECT_GT(b.count, 60u);
  EXPECT_LT(amberInUpperCentre(none).count, 10u);
  // The same bar in the same place, from the same left edge: 26 s left fills most of it, 8 s
  // a quarter of it.
  EXPECT_NEAR(a.minX, b.minX, 2);
  EXPECT_NEAR(a.minY, b.minY, 2);
  EXPECT_GT(a.maxX, b.maxX + 50);
  EXPECT_GT(a.count, b.count + 200);
  // Above the bar the text differs ("0:26 left" against "0:08 left"): white glyph pixels.
  const auto white = [](const uint8_t* p) { return p[0] > 200 && p[1] > 200 && p[2] > 200; };
  uint64_t differing = 0, textPixels = 0;
  const uint32_t top = a.minY > 40 ? a.minY - 40 : 0;
  for (uint32_t y = top; y + 2 < a.minY; ++y)
    for (uint32_t x = a.minX; x <= a.maxX; ++x) {
      textPixels += white(at27.pixel(x, y));
      differing += white(at27.pixel(x, y)) != white(at9.pixel(x, y));
    }
  EXPECT_GT(textPixels, 100u) << "no text above the bar";
  EXPECT_GT(differing, 40u) << "the text looks the same for 26 s and 8 s left";
  std::fprintf(stderr, "countdown on the desktop: %llu amber px at 27 s, %llu at 9 s, %llu differ in the text\n",
               static_cast<unsigned long long>(a.count), static_cast<unsigned long long>(b.count),
               static_cast<unsigned long long>(differing));
}

}  // namespace
}  // namespace pav::test
