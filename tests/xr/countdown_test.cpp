// The station's time-up notice as the visitor sees it: `pavilion play hockey --countdown S`
// (the hidden option that shows the notice from the start) run as a child process, with the
// validation layer on, and the pictures it leaves checked for the amber panel.
//
//   CountdownXr       in the simulated headset (XR_RUNTIME_JSON from ctest): the eye pictures the
//                     runtime received both show the panel in their lower centre, shifted
//                     between the eyes as much as a panel 1.2 m away must be; without
//                     --countdown there is no amber there.
//   CountdownDesktop  the offscreen pictures of `--headless --png`: the panel is there, its
//                     digits and bar differ between 27 s and 9 s left, and it is absent
//                     without --countdown.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "../support/picture_regions.h"
#include "../tools/child_process.h"
#include "pav/render/picture.h"

namespace pav::test {
namespace {

namespace fs = std::filesystem;
using clitest::ChildResult;
using clitest::Environment;

// The panel's amber (countdown_panel.h: linear 1.0, 0.42, 0.0, sRGB about 255, 173, 0), with
// room for the lighting's highlight; the scene's yellow box and orange ball (blue above 80)
// fall outside.
bool amber(const uint8_t* p) { return p[0] >= 225 && p[1] >= 140 && p[1] <= 205 && p[2] <= 50; }

// The amber pixels in the lower centre of a picture: columns 20..80 %, rows 45..95 %.
PixelRegion amberInLowerCentre(const render::Picture& p) { return findPixels(p, amber, {20, 45, 80, 95}); }

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

  ChildResult play(std::vector<std::string> args, const Environment& e) const {
    args.insert(args.begin(), {"play", "hockey", "--validation"});
    return clitest::runChild(PAV_BIN, args, e, tmp_.string(), std::chrono::seconds(240));
  }

  fs::path tmp_;
};

// ---- In the headset ---------------------------------------------------------------------------

// xr-sim's optics (tools/xr-sim/README.md): IPD 64 mm, each eye's fov 54 degrees outwards and
// 40 inwards. The head stays still, looking straight ahead, so the panel hangs straight ahead
// of it, 14 degrees down.
constexpr double kIpd = 0.064;
constexpr double kOuter = 54.0, kInner = 40.0;
constexpr const char* kStillHead = "at 0\nhead 0 1.6 0  0 0 0\n";

class CountdownXr : public CountdownTest {
 protected:
  // Runs a headset session of 2 simulated seconds; the last frame's eyes land in `eyes`.
  void runHeadset(const std::vector<std::string>& extra, const fs::path& eyes) {
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
    std::vector<std::string> args = {"--xr", "--seconds", "2"};
    args.insert(args.end(), extra.begin(), extra.end());
    const ChildResult r = play(args, e);
    ASSERT_TRUE(r.exited && r.exitCode == 0) << r.transcript();
    ASSERT_NE(r.err.find("in the headset"), std::string::npos) << r.transcript();
    ASSERT_EQ(r.err.find("validation layer reported"), std::string::npos) << r.transcript();
  }
};

TEST_F(CountdownXr, BothEyesSeeTheAmberPanelAtAboutOnePointTwoMetres) {
  runHeadset({"--countdown", "27"}, tmp_ / "with");
  const render::Picture left = render::readPng((tmp_ / "with" / "last-left.png").string());
  const render::Picture right = render::readPng((tmp_ / "with" / "last-right.png").string());
  ASSERT_EQ(left.width, right.width);
  const PixelRegion l = amberInLowerCentre(left), r = amberInLowerCentre(right);
  // The frame, the lit segments of 0:25 and the bar: a few hundred pixels at 458 x 480.
  EXPECT_GT(l.count, 150u);
  EXPECT_GT(r.count, 150u);
  EXPECT_NEAR(double(l.count), double(r.count), 0.25 * double(l.count));
  // Both eyes see it at the same height, in the lower part of the view.
  EXPECT_NEAR(l.y, r.y, 1.5);
  EXPECT_GT(l.y, 0.5 * left.height);

  // Depth from the shift between the eyes. A point straight ahead at depth Z lies ipd/2 to the
  // inside of each eye: its column is W * (tan(outer) +- ipd/2 / Z) / (tan(outer) + tan(inner))
  // (left eye +, right eye -), so shift = W * (tan(outer) - tan(inner) + ipd / Z) / span.
  const double span = std::tan(kOuter * M_PI / 180) + std::tan(kInner * M_PI / 180);
  const double atInfinity = left.width * (std::tan(kOuter * M_PI / 180) - std::tan(kInner * M_PI / 180)) / span;
  const double shift = l.x - r.x;
  ASSERT_GT(shift, atInfinity + 2.0) << "no parallax: the panel is not at a finite depth";
  const double depth = left.width * kIpd / ((shift - atInfinity) * span);
  // 1.2 m ahead, 14 degrees down: 1.16 m along the line of sight.
  EXPECT_NEAR(depth, 1.2 * std::cos(14.0 * M_PI / 180), 0.2)
      << "shift " << shift << " px, " << atInfinity << " px at infinity";
  std::fprintf(stderr, "countdown in the headset: %llu / %llu amber px, shift %.1f px (%.1f at infinity): %.2f m\n",
               static_cast<unsigned long long>(l.count), static_cast<unsigned long long>(r.count), shift, atInfinity,
               depth);
}

TEST_F(CountdownXr, WithoutACountdownThereIsNoAmber) {
  runHeadset({}, tmp_ / "without");
  for (const char* eye : {"last-left.png", "last-right.png"}) {
    const render::Picture p = render::readPng((tmp_ / "without" / eye).string());
    EXPECT_LT(amberInLowerCentre(p).count, 10u) << eye;
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
  const PixelRegion a = amberInLowerCentre(at27), b = amberInLowerCentre(at9);
  EXPECT_GT(a.count, 500u);
  EXPECT_GT(b.count, 300u);
  EXPECT_LT(amberInLowerCentre(none).count, 10u);
  // The same panel in the same place: 26 s left fills most of the bar, 8 s a quarter of it.
  EXPECT_NEAR(a.minX, b.minX, 2);
  EXPECT_NEAR(a.maxX, b.maxX, 2);
  EXPECT_NEAR(a.minY, b.minY, 2);
  EXPECT_GT(a.count, b.count + 200);
  // Inside the panel the digits differ (0:26 against 0:08), above the bar too.
  uint64_t differing = 0;
  const uint32_t digitsBottom = a.minY + (a.maxY - a.minY) * 6 / 10;
  for (uint32_t y = a.minY; y <= digitsBottom; ++y)
    for (uint32_t x = a.minX; x <= a.maxX; ++x) differing += amber(at27.pixel(x, y)) != amber(at9.pixel(x, y));
  EXPECT_GT(differing, 100u) << "the digits look the same for 26 s and 8 s left";
  std::fprintf(stderr, "countdown on the desktop: %llu amber px at 27 s, %llu at 9 s, %llu differ in the digits\n",
               static_cast<unsigned long long>(a.count), static_cast<unsigned long long>(b.count),
               static_cast<unsigned long long>(differing));
}

}  // namespace
}  // namespace pav::test
