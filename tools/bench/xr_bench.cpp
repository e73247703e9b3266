// pavilion-xr-bench: the XR frame loop's timing figures (issue 5). A title runs in the
// simulated headset (tools/xr-sim at 90 Hz by default) on this machine's Vulkan device
// (lavapipe without a GPU) at a reduced per-eye size, through the product's own loop
// (host::Loop over a HeadsetView over XrViewer, as `pavilion play --xr` runs): xrWaitFrame,
// the controllers through the title's mapping, the title's ticks for the frame's display time,
// its presenter's scene, seat and haptics, locating the views, recording and submitting both
// eyes, xrEndFrame.
//
//   pavilion-xr-bench [--frames 900] [--scale 0.25] [--hz 90] [--title hockey] [--validation]
//
// Figures, p50 and p99 over the frames:
//   engine CPU / frame   this thread's CPU time from xrWaitFrame's return to xrEndFrame's
//                        return: everything the engine does for a frame, without lavapipe's
//                        rasterisation (its own threads) and without time spent blocked
//   frame wall time      the same span in wall-clock time (includes waiting for a frame slot)
//   locate -> end        from locating the views to xrEndFrame's return: the part of
//                        motion-to-photon the application owns
//   missed frames        frames ended after their predicted display time (xr-sim counts them)
// Budgets: 11.1 ms a frame at 90 Hz; 20 ms motion-to-photon for comfort.
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <glm/gtc/matrix_transform.hpp>
#include <nlohmann/json.hpp>

#include "pav/core/log.h"
#include "pav/host/host.h"
#include "pav/titles.h"
#include "pav/xr/xr.h"
#include "views.h"
#include "xr_viewer.h"

namespace {

using namespace pav;

struct Options {
  int frames = 900;
  double scale = 0.25;
  int hz = 90;
  std::string title = "hockey";
  bool validation = false;
};

bool parse(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto value = [&](const char* name) -> const char* {
      if (a != name || i + 1 >= argc) return nullptr;
      return argv[++i];
    };
    if (const char* v = value("--frames")) {
      o.frames = std::atoi(v);
    } else if (const char* v2 = value("--scale")) {
      o.scale = std::atof(v2);
    } else if (const char* v3 = value("--hz")) {
      o.hz = std::atoi(v3);
    } else if (const char* v4 = value("--title")) {
      o.title = v4;
    } else if (a == "--validation") {
      o.validation = true;
    } else {
      std::fprintf(stderr, "usage: pavilion-xr-bench [--frames N] [--scale S] [--hz 72|90|120] [--title ID] "
                           "[--validation]\n");
      return false;
    }
  }
  return o.frames > 0 && o.scale > 0 && o.scale <= 2 && !o.title.empty();
}

double threadCpuMs() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) * 1e3 + double(t.tv_nsec) * 1e-6;
}

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(q * double(v.size() - 1) + 0.5))];
}

void row(const char* name, const std::vector<double>& v, double budget, const char* budgetName) {
  const double p50 = percentile(v, 0.5), p99 = percentile(v, 0.99);
  std::printf("%-22s %8.2f ms %8.2f ms", name, p50, p99);
  if (budget > 0) std::printf("   %5.1f ms %-28s %s", budget, budgetName, p99 <= budget ? "within" : "OVER (p99)");
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse(argc, argv, o)) return 2;
  log::initFromEnvironment();
  // The simulated headset unless the caller chose a runtime.
  if (!std::getenv("XR_RUNTIME_JSON")) setenv("XR_RUNTIME_JSON", PAV_XR_SIM_MANIFEST, 1);
  const std::string statsPath =
      (std::filesystem::temp_directory_path() / ("pavilion-xr-bench-" + std::to_string(getpid()) + ".json")).string();
  setenv("PAV_XR_SIM_SCALE", std::to_string(o.scale).c_str(), 1);
  setenv("PAV_XR_SIM_HZ", std::to_string(o.hz).c_str(), 1);
  setenv("PAV_XR_SIM_STATS", statsPath.c_str(), 1);

  try {
    auto opened = xr::Runtime::open({.appName = "pavilion-xr-bench"});
    if (!opened) {
      std::fprintf(stderr, "pavilion-xr-bench: %s\n", opened.reason.c_str());
      return 1;
    }
    std::vector<double> cpu, wall, locateToEnd;
    std::string device;
    {
      // The product's own headset loop: XrViewer (the title's presenter, seat and haptics, the
      // title's headset mapping) behind a HeadsetView, stepped by host::Loop.
      titles::registerAll();
      std::unique_ptr<core::Title> title = core::createTitle(o.title);
      if (!title) {
        std::fprintf(stderr, "pavilion-xr-bench: unknown title '%s'\n", o.title.c_str());
        return 2;
      }
      const int players = title->info().maxPlayers;
      title->setup({.players = players, .seed = 1, .skill = 1, .durationSeconds = 1e6});
      tools::RenderOptions render;
      render.validation = o.validation;
      tools::XrViewer xr(std::move(opened.runtime), *title, render, false, 0);
      device = xr.describe();
      tools::HeadsetView view(xr, nullptr);
      host::Loop loop({.tickRateHz = title->info().tickRateHz});
      std::vector<core::InputFrame> inputs(static_cast<size_t>(players));
      core::InputFrame visitor;
      core::StateFrame frame = core::captureNew(*title);
      int begun = 0;
      while (view.open() && begun < o.frames + 3) {
        const double cpu0 = threadCpuMs();
        const int ticks = loop.frame(
            view, &visitor,
            [&](uint64_t) {
              inputs[0] = visitor;
              for (int p = 1; p < players; ++p) title->botInput(p, inputs[static_cast<size_t>(p)]);
              title->step(inputs);
            },
            [&]() -> const core::StateFrame& {
              title->capture(frame);
              return frame;
            });
        if (ticks < 0) continue;  // no frame now (not yet visible, stopping)
        const xr::Frame& f = xr.frame();
        ++begun;
        if (begun == o.frames) xr.requestExit();
        // The first frames (before VISIBLE) draw nothing: only frames with a picture count.
        if (f.viewsLocated && begun > 3) {
          cpu.push_back(threadCpuMs() - cpu0);
          wall.push_back(double(f.endNs - f.waitReturnNs) * 1e-6);
          locateToEnd.push_back(double(f.endNs - f.locateNs) * 1e-6);
        }
      }
      xr.close();
      if (xr.validationMessages() > 0)
        std::fprintf(stderr, "pavilion-xr-bench: the validation layer reported %u message(s)\n", xr.validationMessages());
    }

    nlohmann::json stats;
    if (std::ifstream in(statsPath); in) stats = nlohmann::json::parse(in);
    std::filesystem::remove(statsPath);
    const uint64_t ended = stats.value("/frames/ended"_json_pointer, uint64_t(0));
    const uint64_t missed = stats.value("/frames/missed"_json_pointer, uint64_t(0));
    const uint64_t violations = stats.value("/violations/total"_json_pointer, uint64_t(0));

    std::printf("pavilion-xr-bench: %s in %s at %d Hz, %zu frames drawn%s\n", o.title.c_str(), device.c_str(), o.hz,
                cpu.size(), o.validation ? " [validation on]" : "");
    std::printf("%-22s %11s %11s   %s\n", "", "p50", "p99", "budget");
    const double frameBudget = 1000.0 / o.hz;
    row("engine CPU / frame", cpu, frameBudget, "(a frame at the display rate)");
    row("frame wall time", wall, frameBudget, "(a frame at the display rate)");
    row("locate -> xrEndFrame", locateToEnd, 20.0, "(motion-to-photon comfort)");
    std::printf("%-22s %llu of %llu frames (%.1f %%), runtime refusals %llu\n", "missed frames",
                static_cast<unsigned long long>(missed), static_cast<unsigned long long>(ended),
                ended ? 100.0 * double(missed) / double(ended) : 0.0, static_cast<unsigned long long>(violations));
    return violations == 0 ? 0 : 3;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pavilion-xr-bench: error: %s\n", e.what());
    return 1;
  }
}
