// Text and panels drawn by the renderer, validation on:
//  - SDF quality: a line drawn at a given pixel height matches FreeType's own antialiased
//    raster of the same glyphs at that size, at the same pen positions. Tolerance: the ink
//    masks (coverage >= 0.5) overlap with IoU >= kMinIoU, and the mean absolute coverage
//    difference over the box of either ink is <= kMaxMeanDiff.
//  - a panel with text and a bar, mono, and each eye of a stereo target equal to a mono
//    picture from that eye; world panels hidden by what stands in front, onTop ones not.
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <glm/gtc/matrix_transform.hpp>

#include "../render/render_fixture.h"
#include "../support/picture_regions.h"
#include "pav/render/text.h"

namespace pav::test {
namespace {

namespace ui = render::ui;

constexpr double kMinIoU = 0.90;
constexpr double kMaxMeanDiff = 0.03;

struct Text {
  render::FontSet fonts;
  render::GlyphAtlas atlas{fonts};
  ui::PanelLayer layer{fonts, atlas};
};
Text& text() {
  static Text t;
  return t;
}

// A camera at the origin looking down -Z where, at 1 m, one pixel is one millimetre: the picture
// is W x H px, x = 0 m at column W/2 and y = 0 m at row H/2.
render::View millimetreView(uint32_t w, uint32_t h) {
  render::View v;
  const float t = 0.0005f * float(h);
  v.fov = render::Fov::symmetric(2.0f * std::atan(t), float(w) / float(h));
  v.nearZ = 0.1f;
  v.farZ = 10.0f;
  return v;
}

// FreeType's antialiased raster of the shaped line at `px` pixels, pen at (penX, baselineY)
// pixels from the top left: coverage 0..1 per pixel, glyphs added.
std::vector<float> freetypeRaster(const std::vector<render::ShapedGlyph>& glyphs, const render::FontSet& set,
                                  float px, float penX, float baselineY, uint32_t w, uint32_t h) {
  std::vector<float> cov(size_t(w) * h, 0.0f);
  FT_Library lib = nullptr;
  EXPECT_EQ(FT_Init_FreeType(&lib), 0);
  std::vector<FT_Face> faces(set.fontCount(), nullptr);
  for (size_t i = 0; i < faces.size(); ++i) {
    std::string path = set.fontPath(i);
    long index = 0;
    if (const size_t hash = path.rfind('#'); hash != std::string::npos) {
      index = std::stol(path.substr(hash + 1));
      path.resize(hash);
    }
    EXPECT_EQ(FT_New_Face(lib, path.c_str(), index, &faces[i]), 0) << path;
    FT_Set_Char_Size(faces[i], 0, FT_F26Dot6(std::lround(px * 64.0f)), 72, 72);
  }
  const float scale = px / float(set.pixelSize());
  for (const render::ShapedGlyph& g : glyphs) {
    FT_Face face = faces[g.font];
    const float x = penX + g.x * scale, y = baselineY - g.y * scale;
    const float fx = std::floor(x), fy = std::floor(y);
    EXPECT_EQ(FT_Load_Glyph(face, g.glyph, FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP), 0);
    FT_Outline_Translate(&face->glyph->outline, FT_Pos(std::lround((x - fx) * 64.0f)),
                         -FT_Pos(std::lround((y - fy) * 64.0f)));
    EXPECT_EQ(FT_Render_Glyph(face->glyph, FT_RENDER_MODE_NORMAL), 0);
    const FT_Bitmap& bm = face->glyph->bitmap;
    for (uint32_t r = 0; r < bm.rows; ++r)
      for (uint32_t c = 0; c < bm.width; ++c) {
        const int X = int(fx) + face->glyph->bitmap_left + int(c), Y = int(fy) - face->glyph->bitmap_top + int(r);
        if (X < 0 || Y < 0 || X >= int(w) || Y >= int(h)) continue;
        float& p = cov[size_t(Y) * w + size_t(X)];
        p = std::min(1.0f, p + float(bm.buffer[r * bm.pitch + c]) / 255.0f);
      }
  }
  for (FT_Face f : faces) FT_Done_Face(f);
  FT_Done_FreeType(lib);
  return cov;
}

class UiRender : public RenderTest {};

struct Quality {
  double iou = 0, meanDiff = 0;
};

Quality drawAndCompare(render::Renderer& r, render::Context& c, const std::string& line, float px,
                       const std::string& name) {
  constexpr uint32_t W = 640, H = 96;
  render::OffscreenTarget target(c, {W, H, 1, VK_FORMAT_R8G8B8A8_UNORM});  // coverage as written, no sRGB
  const render::View view = millimetreView(W, H);
  const float penX = 16.0f, baselineY = 64.0f;  // pixels
  Text& t = text();
  t.layer.begin(view.pose);
  render::Pose at;
  at.position = {0, 0, -1};
  t.layer.panel({.pose = at, .fill = {0, 0, 0, 0}});
  const ui::TextStyle style{.height = px * 0.001f, .color = {1, 1, 1, 1}, .outline = {0, 0, 0, 0}};
  t.layer.text(ui::slot("quality", uint32_t(px)), {(penX - W / 2.0f) * 0.001f, (H / 2.0f - baselineY) * 0.001f},
               line, style);
  render::Scene scene;
  scene.clearColor = {0, 0, 0, 1};
  t.layer.emit(scene);
  const auto pictures = r.capture(target, scene, {&view, 1});
  EXPECT_EQ(pictures.size(), 1u);
  if (pictures.empty()) return {};
  const render::Picture& drawn = pictures[0];

  std::vector<render::ShapedGlyph> glyphs;
  t.fonts.shape(line, glyphs);
  const std::vector<float> ref = freetypeRaster(glyphs, t.fonts, px, penX, baselineY, W, H);

  render::Picture both{W, 2 * H, std::vector<uint8_t>(size_t(W) * H * 8, 255)};
  uint64_t inter = 0, uni = 0;
  double diff = 0;
  uint64_t boxPixels = 0;
  uint32_t x0 = W, y0 = H, x1 = 0, y1 = 0;
  for (uint32_t y = 0; y < H; ++y)
    for (uint32_t x = 0; x < W; ++x) {
      const float a = drawn.pixel(x, y)[0] / 255.0f, b = ref[size_t(y) * W + x];
      if (a > 0.02f || b > 0.02f) x0 = std::min(x0, x), y0 = std::min(y0, y), x1 = std::max(x1, x), y1 = std::max(y1, y);
      inter += (a >= 0.5f && b >= 0.5f);
      uni += (a >= 0.5f || b >= 0.5f);
      for (int k = 0; k < 3; ++k) {
        both.rgba[(size_t(y) * W + x) * 4 + k] = uint8_t(255 - drawn.pixel(x, y)[0]);
        both.rgba[(size_t(y + H) * W + x) * 4 + k] = uint8_t(255 - std::lround(b * 255.0f));
      }
    }
  for (uint32_t y = y0; y <= y1 && x1 >= x0; ++y)
    for (uint32_t x = x0; x <= x1; ++x, ++boxPixels)
      diff += std::abs(drawn.pixel(x, y)[0] / 255.0 - double(ref[size_t(y) * W + x]));
  render::writePng(artifactDir() + "/" + name + ".png", both);  // top: SDF, bottom: FreeType
  Quality q{uni ? double(inter) / double(uni) : 0.0, boxPixels ? diff / double(boxPixels) : 1.0};
  std::printf("%s at %.0f px: IoU %.3f, mean |coverage difference| %.4f over %llu px\n", name.c_str(), px, q.iou,
              q.meanDiff, static_cast<unsigned long long>(boxPixels));
  EXPECT_GT(uni, 200u) << "no ink drawn";
  return q;
}

TEST_F(UiRender, SdfTextMatchesFreeTypesRaster) {
  for (float px : {20.0f, 32.0f, 48.0f}) {
    const Quality latin = drawAndCompare(renderer(), context(), "Lap 2/3  128 km/h  P4 +1.25s", px,
                                         "sdf-latin-" + std::to_string(int(px)));
    EXPECT_GE(latin.iou, kMinIoU) << px << " px";
    EXPECT_LE(latin.meanDiff, kMaxMeanDiff) << px << " px";
    const Quality chinese = drawAndCompare(renderer(), context(), "第 2/3 圈 速度 公里/小时 进球！", px,
                                           "sdf-chinese-" + std::to_string(int(px)));
    EXPECT_GE(chinese.iou, kMinIoU) << px << " px";
    EXPECT_LE(chinese.meanDiff, kMaxMeanDiff) << px << " px";
  }
}

// A scoreboard a metre and a half ahead: a dark rounded panel, white text with an outline, an
// amber bar at 60 %. Optionally a red box in front of its right half.
void scoreboard(Text& t, render::Scene& scene, const render::View& view, bool onTop) {
  t.layer.begin(view.pose);
  render::Pose at;
  at.position = {0, 0, -1.5f};
  t.layer.panel({.pose = at, .size = {1.2f, 0.6f}, .fill = {0.05f, 0.1f, 0.3f, 1.0f}, .cornerRadius = 0.08f,
                 .onTop = onTop});
  t.layer.text(ui::slot("board.title"), {0, 0.1f}, "进球！ GOAL!", {.height = 0.16f, .align = ui::Align::Center});
  t.layer.bar({0, -0.15f}, {1.0f, 0.08f}, 0.6f, {1.0f, 0.6f, 0.0f, 1.0f}, {0.2f, 0.2f, 0.2f, 1.0f});
  t.layer.emit(scene);
}

const auto kAmber = [](const uint8_t* c) { return c[0] > 200 && c[1] > 120 && c[1] < 220 && c[2] < 60; };
const auto kPanel = [](const uint8_t* c) { return c[0] < 90 && c[1] < 110 && c[2] > 120; };
const auto kWhite = [](const uint8_t* c) { return c[0] > 220 && c[1] > 220 && c[2] > 220; };
const auto kRed = [](const uint8_t* c) { return c[0] > 150 && c[1] < 60 && c[2] < 60; };

TEST_F(UiRender, APanelWithTextAndABarMono) {
  constexpr uint32_t W = 320, H = 180;
  render::OffscreenTarget target(context(), {W, H, 1});
  render::View view;
  view.fov = render::Fov::symmetric(glm::radians(50.0f), float(W) / float(H));
  render::Scene scene;
  scene.clearColor = {0.6f, 0.6f, 0.6f, 1};
  scoreboard(text(), scene, view, false);
  const auto pics = renderer().capture(target, scene, {&view, 1});
  ASSERT_EQ(pics.size(), 1u);
  writePng(artifactDir() + "/ui-panel-mono.png", pics[0]);
  // The bar's fill covers 60 % of it from its left: amber left of the picture's middle, grey
  // right of it, at the bar's height.
  const PixelRegion amber = findPixels(pics[0], kAmber);
  ASSERT_GT(amber.count, 100u);
  EXPECT_LT(amber.x, W / 2.0);
  const double metresToPx = (H / 2.0) / (1.5 * std::tan(glm::radians(25.0)));
  EXPECT_NEAR(double(amber.maxX + 1), W / 2.0 + 0.1 * metresToPx, 2.0) << "the fill ends at 60 %";
  EXPECT_NEAR(amber.y, H / 2.0 + 0.15 * metresToPx, 1.5);
  EXPECT_GT(findPixels(pics[0], kPanel).count, 2000u);
  const PixelRegion white = findPixels(pics[0], kWhite);
  EXPECT_GT(white.count, 150u) << "no text";
  EXPECT_NEAR(white.x, W / 2.0, 8.0) << "centred text";
  EXPECT_LT(white.y, H / 2.0);
  // The rounded corner: the panel's corner pixel shows the background.
  const int cornerX = int(W / 2.0 - 0.6 * metresToPx) + 1, cornerY = int(H / 2.0 - 0.3 * metresToPx) + 1;
  EXPECT_FALSE(kPanel(pics[0].pixel(uint32_t(cornerX), uint32_t(cornerY)))) << "the corner is not rounded";
}

TEST_F(UiRender, WorldPanelsHideBehindTheWorldOnTopOnesDoNot) {
  constexpr uint32_t W = 320, H = 180;
  render::OffscreenTarget target(context(), {W, H, 1});
  const render::MeshId box = renderer().loadMesh(render::makeBox({1, 1, 1}));
  render::View view;
  view.fov = render::Fov::symmetric(glm::radians(50.0f), float(W) / float(H));
  for (bool onTop : {false, true}) {
    render::Scene scene;
    scene.clearColor = {0.6f, 0.6f, 0.6f, 1};
    scene.light.ambient = glm::vec3(1.0f);
    scene.light.color = glm::vec3(0.0f);  // ambient alone: the sun on top would tone map it towards white
    // A red box covering the right half of the panel, half a metre in front of it.
    scene.draws.push_back({box, glm::scale(glm::translate(glm::mat4(1), {0.45f, 0, -1.0f}), {0.4f, 0.8f, 0.1f}),
                           {1, 0, 0, 1}});
    scoreboard(text(), scene, view, onTop);
    const auto pics = renderer().capture(target, scene, {&view, 1});
    ASSERT_EQ(pics.size(), 1u);
    writePng(artifactDir() + (onTop ? "/ui-ontop.png" : "/ui-behind.png"), pics[0]);
    const PixelRegion redRight = findPixels(pics[0], kRed, {55, 20, 85, 80});
    // The panel's right end (x 0.35..0.6 m at 1.5 m: columns 205..237) lies behind the box (208..285).
    const PixelRegion panelRight = findPixels(pics[0], kPanel, {68, 35, 73, 65});
    if (onTop) {
      EXPECT_GT(panelRight.count, 200u) << "an onTop panel was hidden by the box";
    } else {
      EXPECT_GT(redRight.count, 1000u) << "the box in front of a world panel does not show";
      EXPECT_EQ(panelRight.count, 0u) << "a world panel shows through the box in front of it";
    }
  }
  renderer().waitIdle();
  renderer().unloadMesh(box);
}

// Draws the stereo scoreboard with `r` into a stereo target and a mono one from each eye, and
// checks each eye against its mono picture. Returns the pictures of both eyes.
// `t`'s atlas is mirrored by `r` only (a GlyphAtlas has one renderer).
std::vector<render::Picture> stereoAgainstMono(render::Context& c, render::Renderer& r, Text& t,
                                               const std::string& name) {
  constexpr uint32_t S = 192;
  const render::Fov left{-0.9f, 0.7f, 0.8f, -0.8f}, right{-0.7f, 0.9f, 0.8f, -0.8f};
  const auto eyes = render::stereoViews(render::Pose{}, 0.064f, left, right);
  render::Scene scene;
  scene.clearColor = {0.6f, 0.6f, 0.6f, 1};
  scoreboard(t, scene, eyes[0], false);
  // A head-locked one too, on top.
  t.layer.panel({.pose = render::Pose{{0, -0.25f, -1.0f}}, .size = {0.3f, 0.1f},
                      .anchor = ui::Anchor::Head, .onTop = true});
  t.layer.text(ui::slot("stereo.speed"), {0, -0.02f}, "128 km/h", {.height = 0.06f, .align = ui::Align::Center});
  t.layer.emit(scene);
  render::OffscreenTarget stereo(c, {S, S, 2});
  auto both = r.capture(stereo, scene, eyes);
  EXPECT_EQ(both.size(), 2u);
  if (both.size() != 2) return {};
  writePng(artifactDir() + "/" + name + "-left.png", both[0]);
  writePng(artifactDir() + "/" + name + "-right.png", both[1]);
  render::OffscreenTarget mono(c, {.width = S, .height = S, .viewCount = 1, .samples = stereo.format().samples});
  for (int eye = 0; eye < 2; ++eye) {
    const auto single = r.capture(mono, scene, {&eyes[eye], 1});
    EXPECT_EQ(single.size(), 1u);
    if (single.empty()) continue;
    EXPECT_EQ(render::comparePictures(both[eye], single[0], 2).mismatched, 0u)
        << "eye " << eye << " differs from its mono picture (" << (stereo.format().passPerView ? "a pass per eye" : "one multiview pass") << ")";
    EXPECT_GT(findPixels(both[eye], kAmber).count, 50u) << "eye " << eye;
    EXPECT_GT(findPixels(both[eye], kWhite).count, 50u) << "eye " << eye;
  }
  // The near world panel sits further right in the left eye than in the right one.
  EXPECT_GT(findPixels(both[0], kAmber).x, findPixels(both[1], kAmber).x);
  r.waitIdle();
  return both;
}

// On whichever stereo path the context chose (a pass per eye on lavapipe).
TEST_F(UiRender, EachStereoEyeEqualsAMonoPictureFromThatEye) {
  EXPECT_EQ(stereoAgainstMono(context(), renderer(), text(), "ui-stereo").size(), 2u);
}

// One multiview pass forced on (gl_ViewIndex picks the eye in the UI shaders), with a context of
// its own, validation on. The panels are inside both frustums, so lavapipe's misrouting of
// clipped primitives (tests/render/stereo_test.cpp) does not come into it.
TEST_F(UiRender, OneMultiviewPassDrawsTheUiInBothEyes) {
  render::ContextDesc desc;
  desc.validation = render::Toggle::On;
  desc.syncValidation = std::getenv("PAV_NO_SYNC_VALIDATION") == nullptr;
  desc.multiview = render::Toggle::On;
  render::Context own(desc);
  {
    render::Renderer r(own, render::RendererDesc{0, PAV_TEST_SHADER_DIR});
    render::OffscreenTarget probe(own, {16, 16, 2});
    ASSERT_FALSE(probe.format().passPerView);
    Text ownText;  // an atlas of its own: this renderer mirrors it
    EXPECT_EQ(stereoAgainstMono(own, r, ownText, "ui-multiview").size(), 2u);
  }
  EXPECT_EQ(own.validationMessages(), 0u);
}

}  // namespace
}  // namespace pav::test
