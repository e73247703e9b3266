// `pavilion demo`: renders the demo scene headless, mono and in multiview stereo, writes the
// pictures as PNG and says where they are and which Vulkan device drew them. With --window it
// also shows the scene, animated, in an SDL2 window for --seconds.
#include <CLI/CLI.hpp>
#include <SDL2/SDL.h>

#include <cstdio>
#include <filesystem>

#include "commands.h"
#include "demo_scene.h"
#include "pav/core/fixed_step.h"
#include "pav/core/log.h"
#include "pav/platform/platform.h"
#include "pav/render/render.h"

namespace pav::tools {

void addRenderOptions(CLI::App& command, RenderOptions& o) {
  command.add_flag("--validation", o.validation,
                   "Turn on the Khronos validation layer (also: PAV_VALIDATION=1)");
  command.add_option("--shader-dir", o.shaderDir, "Folder with the compiled shaders (*.spv)");
  command.add_option("--device", o.device, "Prefer the Vulkan device whose name contains this");
  command.add_option("--msaa", o.msaa, "Multisampling: samples per pixel, 1 (off), 2, 4 or 8 (the device's largest if fewer)")
      ->check(CLI::IsMember({1u, 2u, 4u, 8u}))
      ->capture_default_str();
  command.add_option("--font", o.fonts,
                     "Draw the visitor's text in this font file (.ttf/.otf/.ttc, FILE#INDEX for a face of a collection); "
                     "repeat for fallbacks, in order (default: Noto Sans CJK SC, then DejaVu Sans, through fontconfig)");
}

void addDemoCommand(CLI::App& app, DemoOptions& o) {
  CLI::App* demo = app.add_subcommand("demo", "Render the demo scene to PNG (mono and stereo)");
  demo->add_option("--out", o.out, "Folder for the pictures")->capture_default_str();
  demo->add_option("--width", o.width, "Mono picture width")->check(CLI::Range(16u, 8192u))->capture_default_str();
  demo->add_option("--height", o.height, "Mono picture height")->check(CLI::Range(16u, 8192u))->capture_default_str();
  demo->add_option("--eye-size", o.eyeSize, "Stereo picture size per eye")->check(CLI::Range(16u, 8192u))->capture_default_str();
  demo->add_flag("--window", o.window, "Also show the scene in a window (needs a display)");
  demo->add_option("--seconds", o.seconds, "How long the window stays up")->check(CLI::Range(0.0, 3600.0))->capture_default_str();
  demo->add_option("--pavilion-seconds", o.pavilionSeconds,
                   "Then the local pavilion: a hockey server and two bot stations over loopback for this long (0: skip)")
      ->check(CLI::Range(0.0, 3600.0))
      ->capture_default_str();
  addRenderOptions(*demo, o.render);
}

namespace {

// Shows the demo scene in a window, the puck and mallets moving, until time is up or the
// window is closed. Frames are paced by the swapchain (FIFO); simulation time advances in
// fixed ticks.
// Returns the validation messages its own context counted.
uint32_t showWindow(const DemoOptions& o) {
  platform::Video video;
  platform::Window window(video, {"Pavilion demo", 1280, 720, true, false});
  render::ContextDesc desc = contextDesc(o.render);
  desc.presentation = true;
  desc.instanceExtensions = window.vulkanInstanceExtensions();
  render::Context context(desc);
  render::Renderer renderer(context, {0, o.render.shaderDir});
  render::WindowTarget target(context, window.sdl(), {.samples = o.render.msaa});
  const demo::DemoMeshes meshes = demo::loadDemoMeshes(renderer);
  render::Scene scene;
  core::FixedStep clock({60.0, 0});
  core::Stopwatch stopwatch;
  double simSeconds = 0;
  while (simSeconds < o.seconds) {
    platform::WindowEvents events;
    window.pump(events);
    if (events.quit || events.escape) break;
    if (events.resized) target.markResized();
    clock.advance(stopwatch.lap(), [&](uint64_t, double dt) { simSeconds += dt; });
    demo::buildDemoScene(meshes, static_cast<float>(simSeconds), scene);
    const VkExtent2D e = target.extent();
    const float aspect = e.height ? float(e.width) / float(e.height) : 16.0f / 9.0f;
    const render::View view = demo::demoMonoView(aspect);
    if (!renderer.drawFrame(target, scene, {&view, 1})) SDL_Delay(10);
  }
  renderer.waitIdle();
  std::printf("  window  %llu frames shown on %s\n",
              static_cast<unsigned long long>(renderer.stats().framesDrawn),
              context.deviceInfo().describe().c_str());
  return context.validationMessages();
}

}  // namespace

int drawPictures(const DemoOptions& o);

int runDemo(const DemoOptions& o) {
  const int pictures = drawPictures(o);
  if (pictures != 0 || o.pavilionSeconds <= 0) return pictures;
  return runLocalPavilion(std::filesystem::read_symlink("/proc/self/exe").string(), o.out, o.pavilionSeconds);
}

int drawPictures(const DemoOptions& o) {
  namespace fs = std::filesystem;
  render::Context context(contextDesc(o.render));
  render::Renderer renderer(context, {0, o.render.shaderDir});
  const demo::DemoMeshes meshes = demo::loadDemoMeshes(renderer);
  render::Scene scene;
  demo::buildDemoScene(meshes, 0.0f, scene);

  render::OffscreenTarget mono(context, {.width = o.width, .height = o.height, .viewCount = 1, .samples = o.render.msaa});
  const render::View monoView = demo::demoMonoView(float(o.width) / float(o.height));
  const auto monoPictures = renderer.capture(mono, scene, {&monoView, 1});

  render::OffscreenTarget stereo(context, {.width = o.eyeSize, .height = o.eyeSize, .viewCount = 2, .samples = o.render.msaa});
  const auto eyes = demo::demoStereoViews();
  const auto stereoPictures = renderer.capture(stereo, scene, eyes);

  const fs::path out(o.out);
  const std::string monoPath = (out / "mono.png").string();
  const std::string leftPath = (out / "stereo-left.png").string();
  const std::string rightPath = (out / "stereo-right.png").string();
  render::writePng(monoPath, monoPictures.at(0));
  render::writePng(leftPath, stereoPictures.at(0));
  render::writePng(rightPath, stereoPictures.at(1));

  std::printf("pavilion demo: drew the demo scene on %s\n", context.deviceInfo().describe().c_str());
  std::printf("  mono    %s (%ux%u)\n", fs::absolute(monoPath).c_str(), o.width, o.height);
  std::printf("  stereo  %s\n          %s (%ux%u per eye, both eyes in one multiview pass)\n",
              fs::absolute(leftPath).c_str(), fs::absolute(rightPath).c_str(), o.eyeSize, o.eyeSize);
  const uint32_t windowMessages = o.window ? showWindow(o) : 0;
  renderer.waitIdle();
  const uint32_t messages = context.validationMessages() + windowMessages;
  if (context.validationEnabled()) {
    std::printf("  validation layer on: %u message(s)\n", messages);
    if (messages) return 3;
  }
  return 0;
}

}  // namespace pav::tools
