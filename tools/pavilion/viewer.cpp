// The pavilion program's viewer (see viewer.h).
#include "viewer.h"

#include <cstdlib>
#include <vector>

#include "pav/core/error.h"
#include "pav/core/log.h"
#include "pav/titles.h"

namespace pav::tools {

bool haveDisplay() { return std::getenv("DISPLAY") || std::getenv("WAYLAND_DISPLAY"); }

render::ContextDesc contextDesc(const RenderOptions& o) {
  render::ContextDesc d;
  if (o.validation) d.validation = render::Toggle::On;
  d.preferDevice = o.device;
  return d;
}

Viewer::Viewer(const core::Title& title, const RenderOptions& options, bool window, bool pictures, int seat,
               platform::Video* video) {
  presenter_ = titles::makePresenter(title, seat);  // the one pav_add_title registered
  PAV_CHECK(presenter_, "no presenter for %.*s", static_cast<int>(title.info().id.size()), title.info().id.data());
  text_.emplace(options.fonts);  // first: a missing font stops start-up here, naming its package, before any window
  render::ContextDesc desc = contextDesc(options);
  if (window) {
    if (!video) video = &ownVideo_.emplace();
    window_.emplace(*video, platform::WindowDesc{std::string("Pavilion: ") + std::string(title.info().name), 1280, 720, true, false});
    desc.presentation = true;
    desc.instanceExtensions = window_->vulkanInstanceExtensions();
  }
  context_.emplace(desc);
  renderer_.emplace(*context_, render::RendererDesc{0, options.shaderDir});
  if (window && options.hotReload) {
    try {
      shaderWatch_ = std::make_unique<render::ShaderWatcher>(render::ShaderWatchDesc{.sourceDir = options.shaderSource});
      PAV_INFO("shaders: hot reload on: a saved edit under %s shows in the window (--no-hot-reload: off)",
               shaderWatch_->sourceDir().c_str());
    } catch (const Error& e) {
      PAV_WARN("shaders: no hot reload: %s", e.what());
    }
  }
  if (window) windowTarget_.emplace(*context_, window_->sdl(), render::WindowTargetDesc{.samples = options.msaa});
  if (pictures)
    pictureTarget_.emplace(*context_, render::OffscreenDesc{.width = 960, .height = 540, .viewCount = 1, .samples = options.msaa});
  std::vector<render::MeshId> ids;
  for (const render::MeshData& data : presenter_->meshes()) ids.push_back(renderer_->loadMesh(data));
  presenter_->setMeshes(ids);
  scene_.draws.reserve(128);
  scene_.ui.reserve(4096);
}
Viewer::~Viewer() {
  if (renderer_) renderer_->waitIdle();
}

bool Viewer::show(const core::StateFrame& state, platform::WindowEvents* out) {
  platform::WindowEvents events;
  window_->pump(events);
  if (out) *out = events;
  if (events.quit || events.escape) return false;
  if (events.resized) windowTarget_->markResized();
  if (shaderWatch_) shaderWatch_->apply(*renderer_);  // a glslc error keeps the shaders in use
  const VkExtent2D e = windowTarget_->extent();
  render::View view;
  compose(state, view, e.height ? float(e.width) / float(e.height) : 16.0f / 9.0f);
  renderer_->drawFrame(*windowTarget_, scene_, {&view, 1});
  return true;
}

void Viewer::shoot(const std::string& path, const core::StateFrame& state) {
  render::View view;
  compose(state, view, 960.0f / 540.0f);
  const auto pictures = renderer_->capture(*pictureTarget_, scene_, {&view, 1});
  if (!pictures.empty()) render::writePng(path, pictures[0]);
  ++shots_;
}

void Viewer::compose(const core::StateFrame& state, render::View& view, float aspect) {
  presenter_->present(state, scene_, view, aspect);
  // On a flat screen depth does not show, only what stands in front: the panel goes closer
  // than anything a spectator camera has near it, a little larger than in a headset (a
  // window covers less of the eye than a headset).
  text_->draw(state, view.pose, *presenter_, scene_);
}

}  // namespace pav::tools
