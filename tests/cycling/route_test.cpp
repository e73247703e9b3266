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
