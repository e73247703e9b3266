// Track files: the shipped circuit loads into a sensible closed track, and every kind of bad
// file fails with a message naming the file and the line.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "pav/core/error.h"
#include "pav/driving/driving.h"

namespace pav::driving {
namespace {

std::string shippedTrack() { return std::string(PAV_TEST_ASSET_DIR) + "/driving/track.txt"; }

TEST(DrivingTrack, ShippedCircuitIsARealCircuit) {
  const Track t = Track::load(shippedTrack());
  EXPECT_EQ(t.name, "Harbour Park");
  EXPECT_EQ(t.laps, 3);
  EXPECT_GT(t.length, 1000.0f);
  EXPECT_LT(t.length, 2500.0f);
  EXPECT_GE(t.checkpoints.size(), 8u);
  EXPECT_FLOAT_EQ(t.checkpoints[0], 0.0f);
  // Samples about 2 m apart, all the way round.
  for (size_t i = 0; i < t.samples.size(); ++i) {
    const glm::vec3 a = t.samples[i].position, b = t.samples[(i + 1) % t.samples.size()].position;
    EXPECT_LT(glm::length(b - a), 3.0f) << "sample " << i;
  }
  // The racing line stays on the road; the speed profile is slow at T1, fast on the straight.
  float slowest = 1e9f, fastest = 0;
  for (const TrackSample& s : t.samples) {
    EXPECT_LE(std::fabs(s.racingOffset), s.halfWidth);
    slowest = std::min(slowest, s.targetSpeed);
    fastest = std::max(fastest, s.targetSpeed);
  }
  EXPECT_LT(slowest, 25.0f);
  EXPECT_GT(fastest, 55.0f);
  EXPECT_GT(t.samples[static_cast<size_t>(t.sampleAt(200.0f))].targetSpeed, 55.0f);
}

TEST(DrivingTrack, NearestAndProjectFindTheCar) {
  const Track t = Track::load(shippedTrack());
  const float s = 700.0f;
  glm::vec3 n;
  const glm::vec3 p = t.surfacePoint(s, 3.0f, &n);
  const int i = t.nearest(p);
  float s2 = 0, lateral = 0;
  t.project(p, i, s2, lateral);
  EXPECT_NEAR(s2, s, 0.5f);
  EXPECT_NEAR(lateral, 3.0f, 0.1f);
  EXPECT_GT(n.y, 0.9f);
  EXPECT_EQ(t.nearest(p, i, 10), i);
}

// Writes text to a temporary file, loads it, and returns the error message ("" if it loaded).
std::string loadError(const std::string& text, std::string& path) {
  path = (std::filesystem::temp_directory_path() / ("pav_driving_bad_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + ".txt")).string();
  {
    std::ofstream f(path);
    f << text;
  }
  std::string message;
  try {
    Track::load(path);
  } catch (const pav::Error& e) {
    message = e.what();
  }
  std::filesystem::remove(path);
  return message;
}

const char* kGoodPoints =
    "0 0 12 0 asphalt\n"
    "0 200 12 0 asphalt\n"
    "-100 300 12 4 asphalt\n"
    "-200 200 12 0 asphalt\n"
    "-200 0 12 0 asphalt\n"
    "-100 -100 12 0 concrete\n";

TEST(DrivingTrack, AGoodMinimalFileLoads) {
  std::string path;
  EXPECT_EQ(loadError(std::string("name Test\nlaps 2\n") + kGoodPoints, path), "");
}

struct BadCase {
  const char* text;
  int line;
  const char* says;
};

TEST(DrivingTrack, MalformedFilesNameFileLineAndProblem) {
  const std::string points = kGoodPoints;
  const BadCase cases[] = {
      {"name T\n0 0 12 0\n", 2, "5 fields"},
      {"# c\n0 0 12 0 asphalt\n0 zz 12 0 asphalt\n", 3, "not a number"},
      {"0 0 12 0 asphalt\n0 50 12 0 lava\n", 2, "unknown surface"},
      {"0 0 12 0 asphalt\n0 50 2 0 asphalt\n", 2, "width_m"},
      {"0 0 12 0 asphalt\n0 50 12 45 asphalt\n", 2, "bank_deg"},
      {"speed 5\n", 1, "unknown keyword"},
      {"laps 0\n", 1, "laps"},
      {"laps 2.5\n", 1, "laps"},
      {"0 0 12 0 asphalt\n0 0.5 12 0 asphalt\n", 2, "within 1 m"},
      {"name T\n0 0 12 0 asphalt\n10 0 12 0 asphalt\n", 3, "at least 4 points"},
      {"0 0 12 0 asphalt\n20 0 12 0 asphalt\n20 20 12 0 asphalt\n0 20 12 0 asphalt\n", 4, "at least 200 m"},
  };
  for (const BadCase& c : cases) {
    std::string path;
    const std::string message = loadError(c.text, path);
    const std::string where = path + ":" + std::to_string(c.line) + ":";
    EXPECT_NE(message.find(where), std::string::npos) << "wanted '" << where << "' in: " << message;
    EXPECT_NE(message.find(c.says), std::string::npos) << "wanted '" << c.says << "' in: " << message;
  }
}

TEST(DrivingTrack, AMissingFileIsNamed) {
  try {
    Track::load("/nonexistent/driving/track.txt");
    FAIL() << "no error";
  } catch (const pav::Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/driving/track.txt"), std::string::npos) << e.what();
  }
  // Through the title too, by its data folder.
  auto title = makeDrivingTitle();
  EXPECT_THROW(title->setup({.players = 1, .dataDir = "/nonexistent"}), pav::Error);
}

}  // namespace
}  // namespace pav::driving
