// A station's session loop: input, network update, the view, the pictures at the end.
#include "station_run.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "pav/core/error.h"
#include "pav/titles.h"

namespace pav::tools {
namespace {

// Outside a headset a station draws (or, headless, updates) at least this often; a longer gap
// between two steps missed the frames in between.
constexpr double kFrameRateHz = 60.0;

}  // namespace

StationRun::StationRun(const StationOptions& options, const net::StationDesc& desc, std::unique_ptr<xr::Runtime> headset,
                       bool window, platform::Video* video)
    : options_(options), window_(window), video_(video), station_(desc), headset_(std::move(headset)) {}

StationRun::~StationRun() {
  if (xrView_ && !closed_) xrView_->close();
}

bool StationRun::step(double now) {
  const net::StationState s = station_.state();
  if (s == net::StationState::Ended || s == net::StationState::Refused || !open_) return false;
  const bool bot = options_.bot;
  // The station's own copy of the title (the one it predicts with) is set up at the Welcome:
  // its static data and controls are what the view and the input need; the pictures come
  // from the session's state.
  const core::Title* title = station_.title();
  if (title && !viewsOpen_) openViews(*title);
  // The same view seam as the host's loop (host::View), with the session as the clock: the
  // view starts a frame (a headset waits for its display) and reads the visitor, the station
  // sends the input and takes the server's state, the view shows it.
  bool framed = false;
  if (view_) {
    double seconds = 0;
    framed = view_->begin(0.0, seconds, bot ? nullptr : &input_);
    if (!view_->open()) return false;
  }
  station_.update(now, bot ? nullptr : &input_, (window_ || xrView_) ? 0 : 1);
  if (framed) view_->end(station_.hasView() ? station_.view() : empty_);
  if (view_) open_ = view_->open();
  ++frames_;
  if (lastStep_ >= 0) {
    const double frames = (now - lastStep_) * kFrameRateHz;
    if (frames > 1.5) missed_ += static_cast<uint64_t>(frames + 0.5) - 1;
  }
  lastStep_ = now;
  if (fpsFrom_ < 0) fpsFrom_ = now;
  if (now - fpsFrom_ >= 1.0) {
    fps_ = frames_ / (now - fpsFrom_);
    frames_ = 0;
    fpsFrom_ = now;
  }
  return open_;
}

void StationRun::openViews(const core::Title& title) {
  viewsOpen_ = true;
  // The devices the title asks for (a wheel drives once touched), for a visitor, not a bot.
  if (!options_.bot) devices_.emplace(title, station_.seat(), "pavilion station");
  VisitorDevices* devices = devices_ ? &*devices_ : nullptr;
  if (headset_) {
    xrView_ = std::make_unique<XrViewer>(std::move(headset_), title, options_.render, window_, station_.seat());
    view_ = std::make_unique<HeadsetView>(*xrView_, devices);
  } else if (window_ || !options_.pngDir.empty()) {
    viewer_ = std::make_unique<Viewer>(title, options_.render, window_, !options_.pngDir.empty(), station_.seat(), video_);
    if (window_) view_ = std::make_unique<WindowView>(*viewer_, title, station_.seat(), devices);
    else view_ = std::make_unique<PictureView>(viewer_.get());
  }
  setNotice(notice_);
  std::fprintf(stderr, "pavilion station: seat %d, resume token %llu (--resume %llu with its --token takes this seat back)\n",
               station_.seat(), static_cast<unsigned long long>(station_.token()), static_cast<unsigned long long>(station_.token()));
}

std::string StationRun::finish() {
  // The final picture (both eyes in a headset): one more frame of the last server frame, the
  // session's end state when it ended.
  std::string picture;
  if (view_ && !options_.pngDir.empty() && station_.hasView() && view_->open()) {
    std::filesystem::create_directories(options_.pngDir);
    const std::string stem =
        (std::filesystem::path(options_.pngDir) / ("station-" + std::to_string(station_.seat()))).string();
    const int before = view_->shots();
    view_->shootNext(stem);
    double seconds = 0;
    for (int i = 0; i < 200 && view_->shots() == before && view_->open(); ++i)
      if (view_->begin(0.0, seconds, nullptr)) view_->end(station_.serverFrame());
    if (view_->shots() > before) picture = stem + (xrView_ ? "-left.png" : ".png");
  }
  if (xrView_) xrView_->close();
  closed_ = true;
  return picture;
}

void StationRun::setNotice(double secondsLeft) {
  notice_ = secondsLeft;
  if (viewer_) viewer_->setCountdown(secondsLeft);
  if (xrView_) xrView_->setCountdown(secondsLeft);
}

uint32_t StationRun::validationMessages() const {
  if (xrView_) return xrView_->validationMessages();
  return viewer_ ? viewer_->validationMessages() : 0;
}

uint64_t StationRun::missedFrames() const { return xrView_ ? xrView_->missedFrames() : missed_; }

double StationRun::sessionSeconds() const {
  const core::Title* t = station_.title();
  if (!t) return 0;
  return static_cast<double>(station_.stats().serverTick) / t->info().tickRateHz;
}

// ---- The attract scene ------------------------------------------------------------------------

namespace {

// The title a station shows between sessions: the first that says its bots make a good show
// (TitleInfo::showcase), else the first with two seats or more for its bots to play.
std::unique_ptr<core::Title> showcaseTitle() {
  titles::registerAll();
  std::unique_ptr<core::Title> fallback;
  for (const std::string& id : core::titleIds()) {
    std::unique_ptr<core::Title> t = core::createTitle(id);
    if (t->info().showcase) return t;
    if (!fallback && t->info().maxPlayers >= 2) fallback = std::move(t);
  }
  PAV_CHECK(fallback, "no title for the attract scene: none seats two bots");
  return fallback;
}

const char* countWord(int n) {
  static const char* const kWords[] = {"no", "one", "two", "three", "four"};
  return n >= 0 && n < 5 ? kWords[n] : "many";
}

}  // namespace

AttractScene::AttractScene(const RenderOptions& render, platform::Video& video)
    : title_(showcaseTitle()),
      setup_{.players = std::min(title_->info().maxPlayers, 2), .seed = 1, .skill = 2},
      loop_({.tickRateHz = title_->info().tickRateHz}),
      inputs_(static_cast<size_t>(setup_.players)) {
  title_->setup(setup_);
  frame_ = core::captureNew(*title_);
  viewer_ = std::make_unique<Viewer>(*title_, render, true, false, -1, &video);
  view_ = std::make_unique<WindowView>(*viewer_, *title_, -1, nullptr);
}

std::string AttractScene::describe() const {
  return std::string(title_->info().id) + " played by its " + countWord(setup_.players) + " bots";
}

bool AttractScene::step(double) {
  // The host's loop in the window's real time: the bots' ticks, then the match shown.
  loop_.frame(
      *view_, nullptr,
      [&](uint64_t) {
        if (title_->finished()) {
          ++setup_.seed;  // the next match plays differently
          title_->setup(setup_);
        }
        for (int p = 0; p < setup_.players; ++p) title_->botInput(p, inputs_[static_cast<size_t>(p)]);
        title_->step(inputs_);
      },
      [&]() -> const core::StateFrame& {
        title_->capture(frame_);
        return frame_;
      });
  ++frames_;
  return view_->open();
}

}  // namespace pav::tools
