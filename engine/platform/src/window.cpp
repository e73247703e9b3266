// SDL2 video and windows. SDL is initialised once per Video object; windows are created with
// SDL_WINDOW_VULKAN so a render::WindowTarget can make a surface for them.
#include <SDL2/SDL.h>
#include <SDL2/SDL_vulkan.h>

#include "pav/core/error.h"
#include "pav/core/log.h"
#include "pav/platform/platform.h"

namespace pav::platform {

Video::Video() {
  if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0)
    fail("cannot start SDL video: %s (no display? run under xvfb-run, or use headless mode)",
         SDL_GetError());
  PAV_DEBUG("SDL video driver: %s", SDL_GetCurrentVideoDriver());
}

Video::~Video() { SDL_QuitSubSystem(SDL_INIT_VIDEO); }

std::string Video::driver() const {
  const char* d = SDL_GetCurrentVideoDriver();
  return d ? d : "";
}

Window::Window(Video&, const WindowDesc& desc) {
  Uint32 flags = SDL_WINDOW_VULKAN | SDL_WINDOW_ALLOW_HIGHDPI;
  if (desc.resizable) flags |= SDL_WINDOW_RESIZABLE;
  if (desc.hidden) flags |= SDL_WINDOW_HIDDEN;
  const int w = desc.width > 0 ? desc.width : 1280;
  const int h = desc.height > 0 ? desc.height : 720;
  window_ = SDL_CreateWindow(desc.title.c_str(), SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                             w, h, flags);
  if (!window_) fail("cannot create a %dx%d window: %s", w, h, SDL_GetError());
  id_ = SDL_GetWindowID(window_);
}

Window::~Window() {
  if (window_) SDL_DestroyWindow(window_);
}

std::vector<const char*> Window::vulkanInstanceExtensions() const {
  unsigned int n = 0;
  if (!SDL_Vulkan_GetInstanceExtensions(window_, &n, nullptr))
    fail("SDL cannot list Vulkan instance extensions: %s", SDL_GetError());
  std::vector<const char*> names(n);
  SDL_Vulkan_GetInstanceExtensions(window_, &n, names.data());
  return names;
}

void Window::drawableSize(int& width, int& height) const {
  SDL_Vulkan_GetDrawableSize(window_, &width, &height);
}

void Window::setSize(int width, int height) { SDL_SetWindowSize(window_, width, height); }
void Window::minimize() { SDL_MinimizeWindow(window_); }
void Window::restore() { SDL_RestoreWindow(window_); }

void Window::pump(WindowEvents& events) {
  SDL_Event e;
  while (SDL_PollEvent(&e)) {
    switch (e.type) {
      case SDL_QUIT: events.quit = true; break;
      case SDL_KEYDOWN:
        if (e.key.keysym.sym == SDLK_ESCAPE) events.escape = true;
        break;
      case SDL_WINDOWEVENT:
        if (e.window.windowID != id_) break;
        switch (e.window.event) {
          case SDL_WINDOWEVENT_CLOSE: events.quit = true; break;
          case SDL_WINDOWEVENT_SIZE_CHANGED:
          case SDL_WINDOWEVENT_RESIZED: events.resized = true; break;
          case SDL_WINDOWEVENT_MINIMIZED: events.minimized = true; break;
          case SDL_WINDOWEVENT_RESTORED:
          case SDL_WINDOWEVENT_MAXIMIZED:
            events.minimized = false;
            events.resized = true;
            break;
          default: break;
        }
        break;
      default: break;
    }
  }
  int x = 0, y = 0, w = 1, h = 1;
  const uint32_t buttons = SDL_GetMouseState(&x, &y);
  SDL_GetWindowSize(window_, &w, &h);
  events.pointerX = w > 0 ? float(x) / float(w) : 0.5f;
  events.pointerY = h > 0 ? float(y) / float(h) : 0.5f;
  events.pointerDown = (buttons & SDL_BUTTON(SDL_BUTTON_LEFT)) != 0;
  const uint8_t* keys = SDL_GetKeyboardState(nullptr);
  events.left = keys[SDL_SCANCODE_LEFT] || keys[SDL_SCANCODE_A];
  events.right = keys[SDL_SCANCODE_RIGHT] || keys[SDL_SCANCODE_D];
  events.up = keys[SDL_SCANCODE_UP] || keys[SDL_SCANCODE_W];
  events.down = keys[SDL_SCANCODE_DOWN] || keys[SDL_SCANCODE_S];
  events.space = keys[SDL_SCANCODE_SPACE];
}

}  // namespace pav::platform
