// pav::platform: the desktop side of a station through SDL2: the video subsystem, windows
// that Vulkan can draw into, and the event pump (quit, resize, minimise, keys).
//
// How to use it:
//   platform::Video video;                       // SDL_Init(VIDEO); SDL_Quit on destruction
//   platform::Window window(video, {"Pavilion", 1280, 720});
//   render::Context ctx({.presentation = true,
//                        .instanceExtensions = window.vulkanInstanceExtensions()});
//   render::WindowTarget target(ctx, window.sdl());
//   while (!events.quit) { window.pump(events); if (events.resized) target.markResized(); ... }
// Gamepads, wheels and keyboard mapping to InputFrames join in the titles' issue.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

struct SDL_Window;

namespace pav::platform {

// SDL's video subsystem, initialised for the lifetime of this object. Throws pav::Error with
// SDL's reason (for example: no display; run under xvfb-run) when it cannot start.
class Video {
 public:
  Video();
  ~Video();
  Video(const Video&) = delete;
  Video& operator=(const Video&) = delete;
  std::string driver() const;  // "x11", "wayland", ...
};

struct WindowDesc {
  std::string title = "Pavilion";
  int width = 0, height = 0;  // 0 means 1280 x 720
  bool resizable = true;
  bool hidden = false;
};

// What happened since the last pump.
struct WindowEvents {
  bool quit = false;       // window closed or SDL_QUIT
  bool resized = false;    // the drawable size changed
  bool minimized = false;  // currently minimised
  bool escape = false;     // Escape pressed
  // Desktop play, read at each pump: the pointer over the window (0..1, y down), its left
  // button, and the keys a visitor without a headset plays with (arrows or WASD, Space).
  float pointerX = 0.5f, pointerY = 0.5f;
  bool pointerDown = false;
  bool left = false, right = false, up = false, down = false, space = false;
};

class Window {
 public:
  Window(Video& video, const WindowDesc& desc);
  ~Window();
  Window(const Window&) = delete;
  Window& operator=(const Window&) = delete;

  SDL_Window* sdl() const { return window_; }
  // Instance extensions Vulkan needs to present to this window (VK_KHR_surface + platform).
  std::vector<const char*> vulkanInstanceExtensions() const;
  void drawableSize(int& width, int& height) const;
  void setSize(int width, int height);
  void minimize();
  void restore();
  // Drains SDL's event queue into `events` (fields are OR-ed; call reset between frames).
  void pump(WindowEvents& events);

 private:
  SDL_Window* window_ = nullptr;
  uint32_t id_ = 0;
};

}  // namespace pav::platform
