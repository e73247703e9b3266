// Route files: the shipped route loads and looks like a road; every kind of bad file stops
// with pav::Error naming the file, the line and what is wrong.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "pav/core/error.h"
#include "pav/cycling/cycling.h"

namespace pav::cycling {
namespace {

const std::string kShippedRoute = std::string(PAV_TEST_ASSET_DIR) + "/cycling/route.txt";

std::string writeTemp(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + "pav_cycling_" + name + ".txt";
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// Loads `text` from a temporary file and returns the error message (empty if it loaded).
std::string loadError(const std::string& name, const std::string& text) {
  const std::string path = writeTemp(name, text);
  try {
    Route::load(path);
  } catch (const pav::Error& e) {
    std::remove(path.c_str());
    return e.what();
  }
  std::remove(path.c_str());
  return {};
}

void expectError(const std::string& name, const std::string& text, int line,
                 const std::string& what) {
  const std::string message = loadError(name, text);
  const std::string where = "pav_cycling_" + name + ".txt:" + std::to_string(line) + ":";
  EXPECT_NE(message.find(where), std::string::npos) << "'" << message << "' lacks " << where;
  EXPECT_NE(message.find(what), std::string::npos) << "'" << message << "' lacks " << what;
}

TEST(CyclingRoute, TheShippedRouteLoads) {
  const Route route = Route::load(kShippedRoute);
  EXPECT_EQ(route.name(), "Col du Pavillon");
  EXPECT_GE(route.length(), 5000);  // several kilometres
  EXPECT_GE(route.points().size(), 50u);
  EXPECT_GT(route.totalClimbM(), 100);
  double steepestUp = 0;
  double steepestDown = 0;
  for (uint32_t i = 0; i + 1 < route.points().size(); ++i) {
    steepestUp = std::max(steepestUp, route.gradeOf(i));
    steepestDown = std::min(steepestDown, route.gradeOf(i));
  }
  EXPECT_GT(steepestUp, 0.05);     // a real climb
  EXPECT_LT(steepestDown, -0.05);  // and a real descent
  EXPECT_LT(steepestUp, 0.15);
}

TEST(CyclingRoute, GradeAndElevationInterpolate) {
  const Route route = Route::parse(
      "# a test road\nname Test\ndistance_m elevation_m\n0 100\n100 105  # 5 %\n300 101\n",
      "inline");
  EXPECT_EQ(route.name(), "Test");
  EXPECT_DOUBLE_EQ(route.length(), 300);
  EXPECT_NEAR(route.elevationAt(50), 102.5, 1e-12);
  EXPECT_NEAR(route.gradeAt(50), 0.05, 1e-12);
  EXPECT_NEAR(route.elevationAt(200), 103, 1e-12);
  EXPECT_NEAR(route.gradeAt(200), -0.02, 1e-12);
  EXPECT_NEAR(route.elevationAt(-10), 100, 1e-12);  // clamped to the ends
  EXPECT_NEAR(route.elevationAt(1e6), 101, 1e-12);
  EXPECT_NEAR(route.totalClimbM(), 5, 1e-12);
  // The hinted lookup agrees with a fresh one wherever the hint starts.
  for (uint32_t hint = 0; hint < 3; ++hint) {
    for (const double d : {0.0, 50.0, 99.9, 100.0, 250.0, 300.0}) {
      EXPECT_EQ(route.segmentAt(d, hint), route.segmentAt(d)) << d << " from " << hint;
    }
  }
}

TEST(CyclingRoute, ClimbBetweenSumsTheRisesInEitherDirection) {
  const Route route =
      Route::parse("distance_m elevation_m\n0 100\n100 105\n300 101\n400 109\n", "inline");
  EXPECT_NEAR(route.climbBetween(0, 400), route.totalClimbM(), 1e-12);
  EXPECT_NEAR(route.climbBetween(50, 100), 2.5, 1e-12);   // half the first rise
  EXPECT_NEAR(route.climbBetween(50, 350), 6.5, 1e-12);   // 2.5, the descent adds nothing, then 4
  EXPECT_NEAR(route.climbBetween(120, 280), 0, 1e-12);    // all downhill
  EXPECT_NEAR(route.climbBetween(350, 50), -6.5, 1e-12);  // going back undoes it
  EXPECT_NEAR(route.climbBetween(200, 200), 0, 1e-12);
}

TEST(CyclingRoute, AMissingFileNamesTheFile) {
  try {
    Route::load("/nonexistent/cycling/route.txt");
    FAIL() << "no error";
  } catch (const pav::Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/cycling/route.txt"), std::string::npos);
  }
}

TEST(CyclingRoute, MalformedFilesNameTheFileLineAndProblem) {
  const std::string header = "# comment\ndistance_m elevation_m\n";
  expectError("nan", header + "0 100\n100 abc\n", 4, "is not a number");
  expectError("nan2", header + "0 100\n100 nan\n", 4, "is not a number");
  expectError("order", header + "0 100\n100 101\n100 102\n", 5, "does not increase");
  expectError("backwards", header + "0 100\n200 101\n150 102\n", 5, "does not increase");
  expectError("few", header + "0 100\n", 3, "too few points");
  expectError("grade", header + "0 100\n100 101\n110 150\n", 5, "absurd");
  expectError("header", "0 100\n100 101\n", 1, "header");
  expectError("first", header + "5 100\n100 101\n", 3, "distance 0");
  expectError("fields", header + "0 100\n100 101 7\n", 4, "two numbers");
  expectError("one", header + "0 100\n100\n", 4, "two numbers");
  expectError("high", header + "0 100\n100 99999\n", 4, "outside");
  expectError("empty", "", 0, "no header");
}

TEST(CyclingRoute, TheShippedRouteIsALoopThatTurnsAndClimbs) {
  const Route route = Route::load(kShippedRoute);
  ASSERT_TRUE(route.loop());
  const RoutePoint& first = route.points().front();
  const RoutePoint& last = route.points().back();
  EXPECT_EQ(last.eastM, first.eastM);
  EXPECT_EQ(last.northM, first.northM);
  EXPECT_EQ(last.elevationM, first.elevationM) << "round and back to the start";
  double sharpest = 0, left = 0, right = 0;
  for (uint32_t i = 0; i + 1 < route.points().size(); ++i) {
    const double k = route.curvatureAt(i);
    sharpest = std::max(sharpest, std::abs(k));
    (k > 0 ? left : right) += std::abs(k) * 0.5 * (route.points()[i + 1].distanceM - route.points()[i > 0 ? i - 1 : 0].distanceM);
  }
  EXPECT_GT(sharpest, 1.0 / 40) << "hairpins";
  EXPECT_NEAR(left - right, 2 * 3.14159265, 0.2) << "a loop turns once round, left";
}

TEST(CyclingRoute, AMapRouteMeasuresItsRoadAndTurns) {
  // East 100 m, then north-east (a 45 degree left turn), climbing 2 m on the second stretch.
  const Route route = Route::parse("name Corner\neast_m north_m elevation_m\n0 0 50\n100 0 50\n200 100 52\n", "inline");
  const double second = std::hypot(100.0, 100.0);
  const double pi = 3.14159265358979;
  EXPECT_FALSE(route.loop());
  EXPECT_DOUBLE_EQ(route.length(), 100 + second);
  EXPECT_NEAR(route.gradeAt(150), 2 / second, 1e-12);
  const RoadFrame start = route.frameAt(0), corner = route.frameAt(100), end = route.frameAt(route.length());
  EXPECT_NEAR(start.forward.x, 1, 1e-12);  // east is +X
  EXPECT_NEAR(end.forward.z, -std::sqrt(0.5), 1e-12);  // north is -Z
  EXPECT_NEAR(end.yaw, pi / 4, 1e-9) << "a left turn is a positive yaw";
  EXPECT_NEAR(corner.yaw, pi / 8, 1e-9) << "half way round at the corner";
  EXPECT_NEAR(corner.right.x, std::sin(pi / 8), 1e-9);
  EXPECT_NEAR(corner.right.z, std::cos(pi / 8), 1e-9);
  EXPECT_GT(route.curvatureAt(1), 0) << "left";
  const RoadFrame mid = route.frameAt(100 + second / 2);
  EXPECT_NEAR(mid.centre.x, 150, 1e-9);
  EXPECT_NEAR(mid.centre.y, 51, 1e-9);
  EXPECT_NEAR(mid.centre.z, -50, 1e-9);
  // The old format is a straight road along +X.
  const Route straight = Route::parse("distance_m elevation_m\n0 10\n500 15\n", "inline");
  EXPECT_NEAR(straight.frameAt(250).centre.x, 250, 1e-12);
  EXPECT_NEAR(straight.frameAt(250).forward.x, 1, 1e-12);
  // A ride shorter than the road is cut where it ends.
  const Route cut = route.forRide(100 + second / 2);
  EXPECT_DOUBLE_EQ(cut.length(), 100 + second / 2);
  EXPECT_NEAR(cut.elevationAt(cut.length()), 51, 1e-12);
  EXPECT_DOUBLE_EQ(route.forRide(1000).length(), route.length()) << "never longer than a point-to-point road";
}

TEST(CyclingRoute, BadMapFilesNameTheFileLineAndProblem) {
  const std::string header = "# comment\neast_m north_m elevation_m\n";
  expectError("m_fields", header + "0 0 100\n100 0\n", 4, "three numbers");
  expectError("m_fields4", header + "0 0 100\n100 0 100 4\n", 4, "three numbers");
  expectError("m_nan", header + "0 0 100\n100 x 100\n", 4, "north 'x' is not a number");
  expectError("m_inf", header + "0 0 100\ninf 0 100\n", 4, "east 'inf' is not a number");
  expectError("m_far", header + "0 0 100\n300000 0 100\n", 4, "off the map");
  expectError("m_close", header + "0 0 100\n0.2 0.1 100\n", 4, "from the one before");
  expectError("m_same", header + "0 0 100\n100 0 100\n100 0 100\n", 5, "from the one before (line 4)");
  expectError("m_turn", header + "0 0 100\n100 0 100\n50 10 100\n", 5, "turns 169 degrees at the point on line 4");
  expectError("m_right", header + "0 0 100\n100 0 100\n150 -100 100\n", 5, "turns 63 degrees");
  expectError("m_grade", header + "0 0 100\n10 0 100\n20 0 105\n", 5, "absurd");
  expectError("m_high", header + "0 0 100\n10 0 9500\n", 4, "outside");
  expectError("m_few", header + "0 0 100\n", 3, "too few points");
  expectError("m_header", "east_m elevation_m north_m\n0 0 0\n", 1, "expected the header line");
  // Loops: an octagon, and broken ones.
  const std::string octagon = "0 0 100\n100 0 100\n150 50 100\n150 150 100\n100 200 100\n0 200 100\n-50 150 100\n-50 50 100\n";
  expectError("l_straight", "loop\ndistance_m elevation_m\n0 1\n100 2\n", 1, "'loop' needs a road on the map");
  expectError("l_few", "loop\n" + header + "0 0 100\n100 0 100\n", 5, "a loop needs at least 3");
  expectError("l_repeat", "loop\n" + header + octagon + "0 0 100\n", 12, "repeats its first");
  // Climbing 4 m a point (about 5 %), the closing stretch drops 28 m in 71 m.
  expectError("l_grade", "loop\n" + header + "0 0 100\n100 0 104\n150 50 108\n150 150 112\n100 200 116\n0 200 120\n-50 150 124\n-50 50 128\n", 11, "absurd");
  // Without the octagon's last corner the road turns 63 degrees into its closing stretch.
  expectError("l_turn", "loop\n" + header + "0 0 100\n100 0 100\n150 50 100\n150 150 100\n100 200 100\n0 200 100\n-50 150 100\n", 10,
              "turns 63 degrees at the point on line 10");
  const Route ok = Route::parse("loop\n" + header + octagon, "ok");
  EXPECT_TRUE(ok.loop());
  EXPECT_NEAR(ok.length(), 4 * 100 + 4 * std::hypot(50, 50), 1e-9);
  EXPECT_EQ(ok.points().size(), 9u) << "the first point again, a lap on";
  EXPECT_DOUBLE_EQ(ok.forRide(2 * ok.length() + 10).length(), 2 * ok.length() + 10) << "round twice and a bit";
}

TEST(CyclingRoute, TheTitleReportsABadDataDir) {
  CyclingTitle title;
  pav::core::TitleSetup setup;
  setup.dataDir = "/nonexistent/pavilion-assets";
  try {
    title.setup(setup);
    FAIL() << "no error";
  } catch (const pav::Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/pavilion-assets/cycling/route.txt"),
              std::string::npos)
        << e.what();
  }
}

TEST(CyclingRoute, TheTitleTakesEitherTheAssetsFolderOrTheCyclingFolder) {
  CyclingTitle title;
  pav::core::TitleSetup setup;
  setup.dataDir = PAV_TEST_ASSET_DIR;
  title.setup(setup);
  EXPECT_EQ(title.route().name(), "Col du Pavillon");
  setup.dataDir = std::string(PAV_TEST_ASSET_DIR) + "/cycling";
  title.setup(setup);
  EXPECT_EQ(title.route().name(), "Col du Pavillon");
  title.setup({});  // the built-in assets
  EXPECT_EQ(title.route().name(), "Col du Pavillon");
}

}  // namespace
}  // namespace pav::cycling
