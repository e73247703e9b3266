// What the visitor reads over the title, one object for both views (Viewer for a window and
// pictures, XrViewer for a headset): the fonts, the glyph atlas the renderer mirrors and the
// panel layer; each frame the title's HUD (Presenter::hud) and the host's session screens
// (session_screens.h: lobby, 3-2-1, time-up panel, results), hung from the head (the camera in
// a window) and handed to the renderer with the scene.
//
//   HostText text(options.fonts);                          // throws pav::Error naming a missing font or its package
//   text.set(hudContext, &screens, screenFrame);          // each frame, before the view draws
//   text.draw(state, head, presenter, scene);             // after presenter.present()
//
// A glyph costs FreeType a few milliseconds the first time it is drawn. So that a screen of new
// Chinese text does not stall a headset's frame, set() with tables the layer has not seen
// lays out every string of them in the visitor's language and queues their glyphs, and each
// draw() rasterises at most kWarmGlyphsPerFrame of them (the lobby is long enough for all).
// Once warm, draw() allocates nothing.
#pragma once

#include <optional>
#include <utility>
#include <vector>

#include "pav/core/state.h"
#include "pav/core/strings.h"
#include "pav/render/presenter.h"
#include "pav/render/text.h"
#include "session_screens.h"

namespace pav::tools {

class HostText {
 public:
  static constexpr int kWarmGlyphsPerFrame = 3;

  // `fonts`: font files in order of preference (render::FontDesc::paths); empty: through fontconfig.
  explicit HostText(const std::vector<std::string>& fonts = {});
  HostText(const HostText&) = delete;
  HostText& operator=(const HostText&) = delete;

  // What is read from the next frame on: the title's HUD context (its `head` is filled at draw)
  // and the host's screens with their frame (null: none, as in a replay). `engine`: the engine's
  // table the screens read, warmed like the title's (null: none).
  void set(const render::HudContext& context, SessionScreens* screens, const ScreenFrame& screen,
           const core::StringTable* engine = nullptr);
  // The HUD and the screens for `state`, hung from `head`, into scene.ui.
  void draw(const core::StateFrame& state, const render::Pose& head, render::Presenter& presenter, render::Scene& scene);

  const render::HudContext& context() const { return hud_; }
  const render::ui::PanelLayer& panels() const { return *panels_; }
  const render::FontSet& fonts() const { return *fonts_; }
  // Glyphs queued to be rasterised ahead of their first use.
  size_t warming() const { return warm_.size() - warmed_; }

 private:
  void queue(const core::StringTable& table, core::Lang lang);

  std::optional<render::FontSet> fonts_;
  std::optional<render::GlyphAtlas> atlas_;
  std::optional<render::ui::PanelLayer> panels_;
  render::HudContext hud_;
  SessionScreens* screens_ = nullptr;
  ScreenFrame screen_;
  // Tables already queued for warming (with their language), and the glyphs queued.
  std::vector<std::pair<const core::StringTable*, core::Lang>> warmedTables_;
  std::vector<std::pair<uint16_t, uint32_t>> warm_;
  size_t warmed_ = 0;
  std::vector<render::ShapedGlyph> shaped_;
};

}  // namespace pav::tools
