// The time-up notice panel (see countdown_panel.h).
//
// Layout, in units of the panel's width (the plate is 1.0 x 0.36, x right, y up, +z towards
// the head): an amber frame round a dark plate; the digits, 0.17 high, centred 0.05 above the
// middle; the bar 0.11 below the middle, over a dim track 0.8 long.
#include "countdown_panel.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include <glm/gtc/matrix_transform.hpp>
#include <glm/gtc/quaternion.hpp>

namespace pav::demo {
namespace {

constexpr float kPlateW = 1.0f, kPlateH = 0.36f;
constexpr float kFrame = 0.02f;                                   // the frame's stroke
constexpr float kDigitW = 0.09f, kDigitH = 0.17f, kStroke = 0.024f;
constexpr float kDigitGap = 0.035f, kColonW = 0.024f;
constexpr float kTextY = 0.05f;
constexpr float kBarY = -0.11f, kBarH = 0.045f, kBarW = 0.8f;
// The plate lies behind z = 0, everything on it in front, so nothing shares a depth.
constexpr float kPlateDepth = 0.015f, kPartDepth = 0.012f;

// Colours as they should reach the eye (linear); lit() turns them into albedo.
constexpr glm::vec3 kAmberColor{kAmber[0], kAmber[1], kAmber[2]};
constexpr glm::vec3 kPlateColor{0.018f, 0.012f, 0.006f};
constexpr glm::vec3 kGhostColor{0.07f, 0.028f, 0.0f};   // an unlit segment, barely there
constexpr glm::vec3 kTrackColor{0.10f, 0.04f, 0.0f};

class PanelBuilder {
 public:
  PanelBuilder(render::Scene& scene, render::MeshId box, const render::Pose& pose, float width)
      : scene_(scene), box_(box) {
    base_ = glm::translate(glm::mat4(1.0f), pose.position) * glm::mat4_cast(pose.orientation) *
            glm::scale(glm::mat4(1.0f), glm::vec3(width));
    // The light that reaches the panel's face: ambient plus the direct light's share.
    const glm::vec3 normal = pose.orientation * glm::vec3(0.0f, 0.0f, 1.0f);
    const float diffuse = std::max(0.0f, glm::dot(normal, glm::normalize(-scene.light.direction)));
    light_ = glm::max(scene.light.ambient + scene.light.color * diffuse, glm::vec3(0.05f));
  }

  // A part on the plate: centre (x, y) and size (w, h) in panel units. A part of a higher
  // layer stands further out, so where parts overlap (a lit segment over a ghost's corner,
  // the bar over its track) one is clearly in front.
  void part(float x, float y, float w, float h, const glm::vec3& color, int layer = 1) {
    const float depth = kPartDepth * float(layer);
    add({x, y, depth * 0.5f}, {w, h, depth}, color);
  }
  void plate() { add({0.0f, 0.0f, -kPlateDepth * 0.5f}, {kPlateW, kPlateH, kPlateDepth}, kPlateColor); }

 private:
  void add(const glm::vec3& centre, const glm::vec3& size, const glm::vec3& seen) {
    const glm::mat4 model = base_ * glm::scale(glm::translate(glm::mat4(1.0f), centre), size);
    scene_.draws.push_back({box_, model, glm::vec4(seen / light_, 1.0f)});
  }

  render::Scene& scene_;
  render::MeshId box_;
  glm::mat4 base_{1.0f};
  glm::vec3 light_{1.0f};
};

// The seven segments of the digit centred at (cx, cy): lit ones amber, the others ghosts.
void digit(PanelBuilder& b, float cx, float cy, int value) {
  const unsigned mask = sevenSegmentMask(value);
  const float w = kDigitW, h = kDigitH, t = kStroke;
  struct Segment {
    float x, y, w, h;
  };
  const Segment segments[7] = {
      {0.0f, h * 0.5f - t * 0.5f, w, t},                     // a
      {w * 0.5f - t * 0.5f, h * 0.25f, t, h * 0.5f},         // b
      {w * 0.5f - t * 0.5f, -h * 0.25f, t, h * 0.5f},        // c
      {0.0f, -h * 0.5f + t * 0.5f, w, t},                    // d
      {-w * 0.5f + t * 0.5f, -h * 0.25f, t, h * 0.5f},       // e
      {-w * 0.5f + t * 0.5f, h * 0.25f, t, h * 0.5f},        // f
      {0.0f, 0.0f, w, t},                                    // g
  };
  for (int s = 0; s < 7; ++s) {
    const Segment& g = segments[s];
    const bool lit = (mask >> s) & 1u;
    b.part(cx + g.x, cy + g.y, g.w, g.h, lit ? kAmberColor : kGhostColor, lit ? 2 : 1);
  }
}

}  // namespace

render::MeshData countdownMeshData() { return render::makeBox({1.0f, 1.0f, 1.0f}); }

std::string countdownText(double secondsLeft) {
  const long total = static_cast<long>(std::ceil(std::max(0.0, secondsLeft) - 1e-9));
  char text[32];
  std::snprintf(text, sizeof text, "%ld:%02ld", total / 60, total % 60);
  return text;
}

unsigned sevenSegmentMask(int d) {
  static constexpr unsigned kMasks[10] = {0x3F, 0x06, 0x5B, 0x4F, 0x66, 0x6D, 0x7D, 0x07, 0x7F, 0x6F};
  return d >= 0 && d <= 9 ? kMasks[d] : 0x40;  // anything else: a dash
}

render::Pose countdownPanelPose(const render::Pose& head, const CountdownPanelDesc& desc) {
  const float drop = glm::radians(desc.dropDegrees);
  render::Pose pose;
  pose.position = head.position + head.orientation * glm::vec3(0.0f, -desc.distance * std::sin(drop),
                                                               -desc.distance * std::cos(drop));
  // Tilted back by the drop, so the face is square to the line from the eyes.
  pose.orientation = head.orientation * glm::angleAxis(-drop, glm::vec3(1.0f, 0.0f, 0.0f));
  return pose;
}

void addCountdownPanel(render::Scene& scene, render::MeshId box, const render::Pose& head, double secondsLeft,
                       const CountdownPanelDesc& desc) {
  const float width = 2.0f * desc.distance * std::tan(glm::radians(desc.widthDegrees) * 0.5f);
  PanelBuilder b(scene, box, countdownPanelPose(head, desc), width);
  b.plate();
  // The frame.
  b.part(0.0f, kPlateH * 0.5f - kFrame * 0.5f, kPlateW, kFrame, kAmberColor);
  b.part(0.0f, -kPlateH * 0.5f + kFrame * 0.5f, kPlateW, kFrame, kAmberColor);
  b.part(-kPlateW * 0.5f + kFrame * 0.5f, 0.0f, kFrame, kPlateH, kAmberColor);
  b.part(kPlateW * 0.5f - kFrame * 0.5f, 0.0f, kFrame, kPlateH, kAmberColor);

  // m:ss, centred: digits and one colon, each followed by a gap but the last.
  const std::string text = countdownText(secondsLeft);
  float textW = 0;
  for (char c : text) textW += (c == ':' ? kColonW : kDigitW) + kDigitGap;
  textW -= kDigitGap;
  float x = -textW * 0.5f;
  for (char c : text) {
    if (c == ':') {
      b.part(x + kColonW * 0.5f, kTextY + kDigitH * 0.22f, kColonW, kColonW, kAmberColor);
      b.part(x + kColonW * 0.5f, kTextY - kDigitH * 0.22f, kColonW, kColonW, kAmberColor);
      x += kColonW + kDigitGap;
    } else {
      digit(b, x + kDigitW * 0.5f, kTextY, c - '0');
      x += kDigitW + kDigitGap;
    }
  }

  // The bar: what is left of the warning time, shrinking towards the left.
  const float fraction = static_cast<float>(director::warningShare(secondsLeft, desc.warnSeconds));
  b.part(0.0f, kBarY, kBarW, kBarH, kTrackColor);
  if (fraction > 0.0f) {
    const float w = kBarW * fraction;
    b.part(-kBarW * 0.5f + w * 0.5f, kBarY, w, kBarH, kAmberColor, 2);
  }
}

}  // namespace pav::demo
