// A ui::Canvas that records what a HUD asks for, for the titles' HUD tests without a GPU or a
// font: the panels, and on each the rectangles, bars (with their fractions) and texts (with
// their strings and styles), in call order. Its storage is reserved up front and strings are
// kept in fixed buffers, so a test that counts allocations over a hud() call counts only the
// presenter's (after clear(), nothing here allocates until kMax* entries are exceeded).
//
//   pav::test::RecordingCanvas canvas;
//   presenter->hud(frame, {.lang = Lang::En, .strings = &table}, canvas);
//   EXPECT_TRUE(canvas.hasText("2 : 1"));
//   canvas.clear();                                  // before the next frame
#pragma once

#include <algorithm>
#include <array>
#include <cstring>
#include <string_view>
#include <vector>

#include "pav/render/ui.h"

namespace pav::test {

class RecordingCanvas final : public render::ui::Canvas {
 public:
  static constexpr size_t kMaxEntries = 512;
  static constexpr size_t kMaxText = 256;

  struct Text {
    render::ui::Slot slot = 0;
    glm::vec2 at{0.0f};
    std::array<char, kMaxText> bytes{};
    size_t size = 0;
    render::ui::TextStyle style;
    int panel = -1;  // index into panels()
    std::string_view view() const { return {bytes.data(), size}; }
  };
  struct Bar {
    glm::vec2 centre{0.0f}, size{0.0f};
    float fraction = 0;
    glm::vec4 fill{0.0f}, back{0.0f};
    int panel = -1;
  };
  struct Rect {
    glm::vec2 centre{0.0f}, size{0.0f};
    glm::vec4 color{0.0f};
    int panel = -1;
  };

  RecordingCanvas() {
    panels_.reserve(kMaxEntries);
    texts_.reserve(kMaxEntries);
    bars_.reserve(kMaxEntries);
    rects_.reserve(kMaxEntries);
  }

  void clear() {
    panels_.clear(), texts_.clear(), bars_.clear(), rects_.clear();
    outside_ = 0;
  }

  void panel(const render::ui::PanelDesc& desc) override {
    if (panels_.size() < kMaxEntries) panels_.push_back(desc);
  }
  void rect(glm::vec2 centre, glm::vec2 size, glm::vec4 color, float) override {
    count();
    if (rects_.size() < kMaxEntries) rects_.push_back({centre, size, color, current()});
  }
  void bar(glm::vec2 centre, glm::vec2 size, float fraction, glm::vec4 fill, glm::vec4 back) override {
    count();
    if (bars_.size() < kMaxEntries) bars_.push_back({centre, size, fraction, fill, back, current()});
  }
  void text(render::ui::Slot slot, glm::vec2 at, std::string_view utf8, const render::ui::TextStyle& style) override {
    count();
    if (texts_.size() >= kMaxEntries) return;
    Text& t = texts_.emplace_back();
    t.slot = slot, t.at = at, t.style = style, t.panel = current();
    t.size = std::min(utf8.size(), kMaxText);
    std::memcpy(t.bytes.data(), utf8.data(), t.size);
  }
  // A stand-in for the real layout: 0.55 em per byte of UTF-8 (a CJK character's three bytes
  // come to about 1.6 em): enough for a HUD to place things side by side.
  float measure(render::ui::Slot, std::string_view utf8, const render::ui::TextStyle& style) override {
    return 0.55f * style.height * static_cast<float>(utf8.size());
  }

  const std::vector<render::ui::PanelDesc>& panels() const { return panels_; }
  const std::vector<Text>& texts() const { return texts_; }
  const std::vector<Bar>& bars() const { return bars_; }
  const std::vector<Rect>& rects() const { return rects_; }
  // Draw calls made before any panel() (a HUD must start a panel first).
  int outsideAnyPanel() const { return outside_; }

  // The first text containing `part`, or nullptr.
  const Text* findText(std::string_view part) const {
    for (const Text& t : texts_)
      if (t.view().find(part) != std::string_view::npos) return &t;
    return nullptr;
  }
  bool hasText(std::string_view part) const { return findText(part) != nullptr; }
  // The text drawn under `slot`, or nullptr.
  const Text* textAt(render::ui::Slot slot) const {
    for (const Text& t : texts_)
      if (t.slot == slot) return &t;
    return nullptr;
  }

 private:
  int current() const { return static_cast<int>(panels_.size()) - 1; }
  void count() { outside_ += panels_.empty() ? 1 : 0; }

  std::vector<render::ui::PanelDesc> panels_;
  std::vector<Text> texts_;
  std::vector<Bar> bars_;
  std::vector<Rect> rects_;
  int outside_ = 0;
};

}  // namespace pav::test
