// Comparing a rendered picture with its golden PNG, for every golden test (the demo scene, the
// HUDs, the headset's eye). The tolerance absorbs rasteriser differences at edges between
// devices and driver versions; it does not absorb a moved camera, a broken shader or a changed
// word: a pixel mismatches when any RGB channel differs by more than 24 (of 255); a picture
// matches when at most 0.5 % of its pixels mismatch and the mean absolute channel difference is
// at most 1.5.
//
//   EXPECT_TRUE(test::matchesGolden(picture, goldenDir + "/hud/lobby-zh.png", artifactDir));
//
// PAV_UPDATE_GOLDEN=1 writes the picture as the new golden instead (then LOOK at it and commit
// it). A mismatch leaves actual-<name> and diff-<name> in `artifactDir`.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "pav/render/picture.h"

namespace pav::test {

inline constexpr int kGoldenThreshold = 24;
inline constexpr double kGoldenMaxMismatched = 0.005;
inline constexpr double kGoldenMaxMeanDiff = 1.5;

inline bool updatingGoldens() {
  const char* v = std::getenv("PAV_UPDATE_GOLDEN");
  return v && std::string(v) == "1";
}

inline ::testing::AssertionResult matchesGolden(const render::Picture& actual, const std::string& goldenPath,
                                                const std::string& artifactDir) {
  namespace fs = std::filesystem;
  const std::string name = fs::path(goldenPath).filename().string();
  if (updatingGoldens()) {
    fs::create_directories(fs::path(goldenPath).parent_path());
    render::writePng(goldenPath, actual);
    return ::testing::AssertionSuccess() << "updated " << goldenPath;
  }
  fs::create_directories(artifactDir);
  render::writePng(artifactDir + "/actual-" + name, actual);
  if (!fs::exists(goldenPath)) return ::testing::AssertionFailure() << "no golden picture " << goldenPath;
  const render::Picture golden = render::readPng(goldenPath);
  const render::PictureDiff d = render::comparePictures(actual, golden, kGoldenThreshold);
  if (!d.sameSize)
    return ::testing::AssertionFailure() << name << ": size " << actual.width << "x" << actual.height
                                         << " differs from the golden " << golden.width << "x" << golden.height;
  if (d.mismatchedFraction() <= kGoldenMaxMismatched && d.meanAbsDiff <= kGoldenMaxMeanDiff)
    return ::testing::AssertionSuccess();
  render::writePng(artifactDir + "/diff-" + name, render::diffPicture(actual, golden));
  return ::testing::AssertionFailure() << name << ": " << d.mismatched << " of " << d.pixels << " pixels ("
                                       << 100.0 * d.mismatchedFraction() << " %) differ by more than "
                                       << kGoldenThreshold << ", mean difference " << d.meanAbsDiff << "; see "
                                       << artifactDir;
}

}  // namespace pav::test
