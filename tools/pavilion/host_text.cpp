// The visitor's text over the title, for both views (see host_text.h).
#include "host_text.h"

#include <algorithm>

namespace pav::tools {

HostText::HostText(const std::vector<std::string>& fonts) {
  // A missing font stops start-up here, naming the file or its Debian package, before any window opens.
  render::FontDesc desc;
  desc.paths = fonts;
  fonts_.emplace(desc);
  atlas_.emplace(*fonts_);
  panels_.emplace(*fonts_, *atlas_);
}

void HostText::set(const render::HudContext& context, SessionScreens* screens, const ScreenFrame& screen,
                   const core::StringTable* engine) {
  const render::Pose head = hud_.head;
  hud_ = context;
  hud_.head = head;
  screens_ = screens;
  screen_ = screen;
  if (hud_.strings) queue(*hud_.strings, hud_.lang);
  if (engine) queue(*engine, hud_.lang);
}

void HostText::queue(const core::StringTable& table, core::Lang lang) {
  const std::pair<const core::StringTable*, core::Lang> key{&table, lang};
  if (std::find(warmedTables_.begin(), warmedTables_.end(), key) != warmedTables_.end()) return;
  warmedTables_.push_back(key);
  // Not a per-frame path: once per table and language.
  table.forEach([&](std::string_view, core::Lang l, std::string_view text) {
    if (l != lang) return;
    fonts_->shape(text, shaped_);
    for (const render::ShapedGlyph& g : shaped_) {
      const std::pair<uint16_t, uint32_t> glyph{g.font, g.glyph};
      if (!atlas_->contains(g.font, g.glyph) &&
          std::find(warm_.begin() + static_cast<long>(warmed_), warm_.end(), glyph) == warm_.end())
        warm_.push_back(glyph);
    }
  });
  // What fills the placeholders: digits and the signs of times, gaps and units.
  fonts_->shape("0123456789:.-+%/ ", shaped_);
  for (const render::ShapedGlyph& g : shaped_)
    if (!atlas_->contains(g.font, g.glyph)) warm_.emplace_back(g.font, g.glyph);
}

void HostText::draw(const core::StateFrame& state, const render::Pose& head, render::Presenter& presenter,
                    render::Scene& scene) {
  for (int i = 0; i < kWarmGlyphsPerFrame && warmed_ < warm_.size(); ++i, ++warmed_)
    atlas_->get(warm_[warmed_].first, warm_[warmed_].second);
  if (warmed_ == warm_.size() && !warm_.empty()) {
    warm_.clear();  // keeps its capacity
    warmed_ = 0;
  }
  panels_->begin(head);
  hud_.head = head;
  presenter.hud(state, hud_, *panels_);
  if (screens_) screens_->draw(screen_, *panels_);
  panels_->emit(scene);
}

}  // namespace pav::tools
