// The window target under a real X server (ctest runs this program under xvfb-run): 120
// presented frames, a resize to a new size and back with the swapchain following, minimise
// and restore, a capture that matches the offscreen picture of the same scene, and a clean
// shutdown, all with the validation layer on and silent.
#include <SDL2/SDL.h>
#include <gtest/gtest.h>

#include "demo_scene.h"
#include "pav/core/log.h"
#include "pav/platform/platform.h"
#include "pav/render/render.h"

namespace pav::test {
namespace {

// One SDL video subsystem for the whole program: SDL 2.26's X11 back end sometimes fails to
// start again in a process that has already shut it down ("x11 not available").
platform::Video& sharedVideo() {
  static platform::Video video;
  return video;
}

struct WindowWorld {
  platform::Window window{sharedVideo(), {"pavilion window test", 320, 240, true, false}};
  render::Context context{[&] {
    render::ContextDesc d;
    d.validation = render::Toggle::On;
    d.syncValidation = true;
    d.presentation = true;
    d.instanceExtensions = window.vulkanInstanceExtensions();
    return d;
  }()};
  render::Renderer renderer{context, {0, PAV_TEST_SHADER_DIR}};
  render::WindowTarget target{context, window.sdl()};
  demo::DemoMeshes meshes = demo::loadDemoMeshes(renderer);
  render::Scene scene;
  float seconds = 0;

  // Pumps events and draws one animated frame; returns whether it was presented.
  bool frame() {
    platform::WindowEvents events;
    window.pump(events);
    if (events.resized) target.markResized();
    seconds += 1.0f / 60.0f;
    demo::buildDemoScene(meshes, seconds, scene);
    const VkExtent2D e = target.extent();
    const render::View view = demo::demoMonoView(e.height ? float(e.width) / float(e.height) : 1.0f);
    return renderer.drawFrame(target, scene, {&view, 1});
  }

  // Draws until the swapchain has the window's new drawable size (or gives up).
  bool settleAt(int w, int h) {
    for (int i = 0; i < 200; ++i) {
      frame();
      const VkExtent2D e = target.extent();
      if (int(e.width) == w && int(e.height) == h) return true;
      SDL_Delay(5);
    }
    return false;
  }
};

TEST(Window, PresentsResizesAndShutsDownCleanly) {
  auto world = std::make_unique<WindowWorld>();
  ASSERT_TRUE(world->context.validationEnabled());

  int presented = 0;
  for (int i = 0; i < 600 && presented < 120; ++i) presented += world->frame() ? 1 : 0;
  EXPECT_EQ(presented, 120);
  const uint32_t rebuildsBefore = world->target.rebuildCount();

  world->window.setSize(480, 360);
  ASSERT_TRUE(world->settleAt(480, 360)) << "the swapchain never followed the resize";
  EXPECT_GT(world->target.rebuildCount(), rebuildsBefore);
  for (int i = 0; i < 10; ++i) world->frame();

  world->window.setSize(320, 240);
  ASSERT_TRUE(world->settleAt(320, 240)) << "the swapchain never followed the resize back";

  // Minimise and restore: frames may be skipped meanwhile, never an error. (Without a window
  // manager the X server may ignore the request; then frames simply continue.)
  world->window.minimize();
  for (int i = 0; i < 10; ++i) world->frame();
  world->window.restore();
  int after = 0;
  for (int i = 0; i < 200 && after < 10; ++i) after += world->frame() ? 1 : 0;
  EXPECT_EQ(after, 10);

  const uint64_t drawn = world->renderer.stats().framesDrawn;
  EXPECT_GE(drawn, 150u);
  world->renderer.waitIdle();
  EXPECT_EQ(world->context.validationMessages(), 0u);
  world.reset();  // reverse-order teardown: meshes, target, renderer, context, window, SDL
}

TEST(Window, CaptureMatchesTheOffscreenPicture) {
  auto world = std::make_unique<WindowWorld>();
  world->settleAt(320, 240);
  demo::buildDemoScene(world->meshes, 0.0f, world->scene);
  const VkExtent2D e = world->target.extent();
  const render::View view = demo::demoMonoView(float(e.width) / float(e.height));
  const auto fromWindow = world->renderer.capture(world->target, world->scene, {&view, 1});
  ASSERT_EQ(fromWindow.size(), 1u);
  render::OffscreenTarget offscreen(world->context, {e.width, e.height, 1});
  const auto fromOffscreen = world->renderer.capture(offscreen, world->scene, {&view, 1});
  const render::PictureDiff d = render::comparePictures(fromWindow[0], fromOffscreen.at(0), 2);
  EXPECT_TRUE(d.sameSize);
  EXPECT_EQ(d.mismatched, 0u) << "the window (format " << int(world->target.format().color)
                              << ") and offscreen pictures differ";
  world->renderer.waitIdle();
  EXPECT_EQ(world->context.validationMessages(), 0u);
}

}  // namespace
}  // namespace pav::test
