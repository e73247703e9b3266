// Drawing a title for the pavilion program: a window where there is a display, PNG pictures
// on request, through the title's own presenter, from the title's networked state (`play`
// captures the title it steps; `station` hands over its view of the session); in a window
// with RenderOptions::hotReload, edited shaders swap in between frames (render::ShaderWatcher).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "commands.h"
#include "pav/core/title.h"
#include "pav/platform/platform.h"
#include "pav/render/presenter.h"
#include "pav/render/render.h"
#include "host_text.h"

namespace pav::tools {

bool haveDisplay();

// Owns the Vulkan objects in creation order (destroyed in reverse).
class Viewer {
 public:
  // `video`: SDL's video subsystem that a longer-lived owner keeps (a station agent opens
  // windows one after another, and SDL's X11 back end may fail to start video again in a
  // process that shut it down); null: the Viewer starts its own when it has a window.
  Viewer(const core::Title& title, const RenderOptions& options, bool window, bool pictures, int seat = -1,
         platform::Video* video = nullptr);
  ~Viewer();
  Viewer(const Viewer&) = delete;
  Viewer& operator=(const Viewer&) = delete;

  // Shows `state` in the window; false when the visitor closed it. `events`, when given,
  // receives the pointer and keys for desktop play.
  bool show(const core::StateFrame& state, platform::WindowEvents* events = nullptr);
  void shoot(const std::string& path, const core::StateFrame& state);
  // What the visitor reads over the title (the title's HUD, the session screens): set it
  // before each frame (HostText::set).
  HostText& text() { return *text_; }

  int shots() const { return shots_; }
  uint32_t validationMessages() const { return context_->validationMessages(); }
  std::string device() const { return context_->deviceInfo().describe(); }

 private:
  // Fills scene_ for `state` and sets `view`, with the HUD and the session screens (panels hung
  // from the head hang from the camera).
  void compose(const core::StateFrame& state, render::View& view, float aspect);

  std::unique_ptr<render::Presenter> presenter_;
  std::optional<platform::Video> ownVideo_;
  std::optional<platform::Window> window_;
  std::optional<render::Context> context_;
  std::optional<render::Renderer> renderer_;
  std::unique_ptr<render::ShaderWatcher> shaderWatch_;  // a window with options.hotReload
  std::optional<render::WindowTarget> windowTarget_;
  std::optional<render::OffscreenTarget> pictureTarget_;
  render::Scene scene_;
  std::optional<HostText> text_;  // the HUD and the session screens
  int shots_ = 0;
};

}  // namespace pav::tools
