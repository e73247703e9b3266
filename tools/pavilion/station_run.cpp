// A station's session loop: input, network update, the view, the pictures at the end.
#include "station_run.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "floor_states.h"
#include "pav/core/error.h"
#include "pav/titles.h"

namespace pav::tools {
namespace {

// Outside a headset a station draws (or, headless, updates) at least this often; a longer gap
// between two steps missed the frames in between.
constexpr double kFrameRateHz = 60.0;

}  // namespace

StationRun::StationRun(const StationOptions& options, const net::StationDesc& desc, std::unique_ptr<xr::Runtime> headset,
                       bool window, platform::Video* video, const VisitorText& text, core::Lang lang)
    : options_(options), text_(text), lang_(lang), screens_(text.engine), window_(window), video_(video), station_(desc),
      headset_(std::move(headset)) {}

StationRun::~StationRun() {
  if (xrView_ && !closed_) xrView_->close();
}

bool StationRun::step(double now) {
  const net::StationState s = station_.state();
  if (s == net::StationState::Refused || !open_) return false;
  if (s == net::StationState::Ended) return stepResults(now);
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
  // Without a window or a headset nothing reads the visitor but the devices (a trainer).
  if (!bot && devices_ && !window_ && !xrView_) {
    input_ = {};
    devices_->apply(input_);
  }
  // A headset taken off hands the seat to the title's bot (the station plays it) until it is
  // worn again; off for options_.headsetOffSeconds, the station leaves the session.
  if (!awayStep(now)) return false;
  station_.update(now, bot || offSince_ >= 0 ? nullptr : &input_, (window_ || xrView_) ? 0 : 1);
  // A motion seat follows the seat's own object as the station sees it, on the state's clock.
  if (motion_ && title && station_.hasView()) {
    const core::StateFrame& v = station_.view();
    const int own = title->ownObject(station_.seat());
    if (own >= 0 && size_t(own) < v.objects.size()) motion_->offer(v.objects[size_t(own)], double(v.tick) * title->dt());
  }
  if (startedAt_ < 0 && station_.secondsToStart(now) == 0) startedAt_ = now;
  if (title) logStage(now);
  // Before the server steps the title (the lobby, the start) its set-up state is what there is.
  if (framed) tellViews(now);
  if (framed) view_->end(station_.hasView() ? station_.view() : title ? lobbyFrame_ : empty_);
  if (title) hear(now, station_.hasView() ? station_.view() : lobbyFrame_);
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

bool StationRun::awayStep(double now) {
  const int present = this->present();
  if (present == 0 && offSince_ < 0) {
    offSince_ = now;
    std::fprintf(stderr, "pavilion station: the headset was taken off: the title's bot plays the seat (back to the "
                         "lobby after %.0f s off)\n", options_.headsetOffSeconds);
  } else if (present != 0 && offSince_ >= 0) {
    std::fprintf(stderr, "pavilion station: the headset is on again after %.1f s: the visitor plays\n", now - offSince_);
    offSince_ = -1;
  }
  if (offSince_ >= 0 && now - offSince_ >= options_.headsetOffSeconds) {
    char why[96];
    std::snprintf(why, sizeof why, "the headset was off for %.0f s", options_.headsetOffSeconds);
    leftWhy_ = why;
    std::fprintf(stderr, "pavilion station: %s: back to the lobby\n", why);
    return false;
  }
  return true;
}

bool StationRun::stepResults(double now) {
  // Where a visitor watches, the results screen for kResultsSeconds over the last state;
  // headless or pictures only, the session is simply over.
  const bool watched = view_ && (window_ || xrView_);
  if (endedAt_ < 0) {
    endedAt_ = now;
    if (!rankOf(station_.results(), station_.seat(), rank_, count_)) rank_ = count_ = 0;
    if (watched) logStage(now);
  }
  if (!watched || now - endedAt_ >= director::kResultsSeconds) return false;
  double seconds = 0;
  if (view_->begin(0.0, seconds, nullptr)) {
    tellViews(now);
    view_->end(station_.serverFrame());
    hear(now, station_.serverFrame());
  }
  open_ = view_->open();
  return open_;
}

void StationRun::tellViews(double now) {
  // The lobby's how-to lines follow the device found here (a wheel plugged in during the lobby).
  const core::Title* title = station_.title();
  if (title && devices_ && devices_->found() != foundDevices_) {
    foundDevices_ = devices_->found();
    screens_.setTitle(text_.title(title->info().id), title->info().id, visitorDevice(title->info().devices, foundDevices_));
  }
  HostText* text = xrView_ ? &xrView_->text() : viewer_ ? &viewer_->text() : nullptr;
  if (text) text->set(hudContext(now), &screens_, screenFrame(now), &text_.engine);
}

void StationRun::hear(double now, const core::StateFrame& shown) {
  if (!sound_ || shown.objects.size() != lobbyFrame_.objects.size()) return;
  render::Pose head;  // in a headset the listener follows the visitor's head
  sound_->frame(shown, heardAt_ < 0 ? 0.0 : now - heardAt_, stage(now), station_.secondsToStart(now),
                xrView_ && xrView_->head(head) ? &head : nullptr);
  heardAt_ = now;
}

void StationRun::logStage(double now) {
  const render::HudStage s = stage(now);
  if (int(s) == loggedStage_) return;
  loggedStage_ = int(s);
  const std::string_view name = toString(s);
  std::fprintf(stderr, "pavilion station: %.*s (%s; %.1f s to the start, %.1f s of play left)\n", int(name.size()),
               name.data(), std::string(core::toString(lang_)).c_str(), station_.secondsToStart(now), secondsLeft());
}

render::HudStage StationRun::stage(double now) const {
  return sessionStage({.secondsToStart = station_.secondsToStart(now), .secondsLeft = secondsLeft(),
                       .ended = station_.state() == net::StationState::Ended});
}

double StationRun::secondsLeft() const {
  if (notice_ >= 0) return notice_;
  const core::Title* t = station_.title();
  if (!t || station_.setup().durationSeconds <= 0) return -1;
  return std::max(0.0, station_.setup().durationSeconds - double(station_.serverFrame().tick) * t->dt());
}

render::HudContext StationRun::hudContext(double now) const {
  render::HudContext c;
  c.lang = lang_;
  c.strings = station_.title() ? text_.title(station_.title()->info().id) : nullptr;
  c.stage = stage(now);
  c.secondsLeft = secondsLeft();
  c.secondsToStart = station_.secondsToStart(now);
  c.vignette = float(options_.vignette) / 100.0f;
  return c;
}

ScreenFrame StationRun::screenFrame(double now) const {
  ScreenFrame f;
  f.stage = stage(now);
  f.lang = lang_;
  f.secondsToStart = station_.secondsToStart(now);
  f.secondsSinceStart = startedAt_ < 0 ? -1 : now - startedAt_;
  f.secondsLeft = secondsLeft();
  f.rank = rank_;
  f.count = count_;
  switch (station_.linkState(now)) {
    case net::LinkState::Ok: f.link = LinkNotice::None; break;
    case net::LinkState::Interrupted: f.link = LinkNotice::Interrupted; break;
    case net::LinkState::BotPlays: f.link = LinkNotice::BotPlays; break;
  }
  return f;
}

void StationRun::openViews(const core::Title& title) {
  viewsOpen_ = true;
  lobbyFrame_ = core::captureNew(title);
  // The lobby's how-to lines for the device here: the headset's controllers until a device the
  // title asked for is found (tellViews follows VisitorDevices::found).
  const core::StringTable* table = text_.title(title.info().id);
  screens_.setTitle(table, title.info().id, visitorDevice(title.info().devices, 0));
  // The devices the title asks for (a wheel drives once touched), for a visitor, not a bot.
  if (!options_.bot) devices_.emplace(title, station_.seat(), "pavilion station", options_.ffbStrength, options_.trainer);
  // A motion seat: the seat's motion as OutSim packets, whoever drives (a bot too).
  if (!options_.motionOut.empty()) {
    motion_ = std::make_unique<platform::MotionOut>(platform::parseMotionTarget(options_.motionOut));
    std::fprintf(stderr, "pavilion station: motion to %s (OutSim, %.0f Hz)\n", motion_->describe().c_str(), platform::kMotionHz);
  }
  VisitorDevices* devices = devices_ ? &*devices_ : nullptr;
  // What the visitor hears: where one watches (a window, a headset), or on the device named.
  if (window_ || headset_ || !options_.audio.device.empty())
    sound_ = std::make_unique<StationSound>(title, station_.seat(), options_.audio, headset_ != nullptr, "pavilion station");
  if (sound_) sound_->setVolume(volume_);
  if (headset_) {
    xrView_ = std::make_unique<XrViewer>(std::move(headset_), title, options_.render, window_, station_.seat());
    view_ = std::make_unique<HeadsetView>(*xrView_, devices);
  } else if (window_ || !options_.pngDir.empty()) {
    viewer_ = std::make_unique<Viewer>(title, options_.render, window_, !options_.pngDir.empty(), station_.seat(), video_);
    if (window_) view_ = std::make_unique<WindowView>(*viewer_, title, station_.seat(), devices);
    else view_ = std::make_unique<PictureView>(viewer_.get());
  }
  std::fprintf(stderr, "pavilion station: seat %d, resume token %llu (--resume %llu with its --token takes this seat back)\n",
               station_.seat(), static_cast<unsigned long long>(station_.token()), static_cast<unsigned long long>(station_.token()));
}

std::string StationRun::trainerLine() const { return devices_ ? devices_->trainerLine() : std::string(); }
bool StationRun::trainerState(std::string& state, double& watts, double& cadenceRpm) const {
  return devices_ && devices_->trainerState(state, watts, cadenceRpm);
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
      if (view_->begin(0.0, seconds, nullptr)) {
        tellViews(lastStep_);
        view_->end(station_.serverFrame());
      }
    if (view_->shots() > before) picture = stem + (xrView_ ? "-left.png" : ".png");
  }
  if (xrView_) xrView_->close();
  closed_ = true;
  return picture;
}

void StationRun::setNotice(double secondsLeft) { notice_ = secondsLeft; }

void StationRun::setVolume(float volume01) {
  volume_ = volume01;
  if (sound_) sound_->setVolume(volume01);
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

AttractScene::AttractScene(const RenderOptions&)
    : title_(showcaseTitle()),
      setup_{.players = std::min(title_->info().maxPlayers, 2), .seed = 1, .skill = 2},
      loop_({.tickRateHz = title_->info().tickRateHz}),
      inputs_(static_cast<size_t>(setup_.players)) {
  title_->setup(setup_);
  frame_ = core::captureNew(*title_);
}

AttractScene::AttractScene(const RenderOptions& render, platform::Video& video) : AttractScene(render) {
  viewer_ = std::make_unique<Viewer>(*title_, render, true, false, -1, &video);
  view_ = std::make_unique<WindowView>(*viewer_, *title_, -1, nullptr);
}

AttractScene::AttractScene(const RenderOptions& render, std::unique_ptr<xr::Runtime> headset, bool window)
    : AttractScene(render) {
  xr_ = std::make_unique<XrViewer>(std::move(headset), *title_, render, window, -1);
  view_ = std::make_unique<HeadsetView>(*xr_, nullptr);
}

AttractScene::~AttractScene() {
  view_.reset();
  if (xr_) xr_->close();  // the headset's session ended properly (bounded) before the session's opens
}

uint32_t AttractScene::validationMessages() const {
  return xr_ ? xr_->validationMessages() : viewer_->validationMessages();
}

std::string AttractScene::describe() const {
  return std::string(title_->info().id) + " played by its " + countWord(setup_.players) + " bots" +
         (xr_ ? ", in the headset" : "");
}

bool AttractScene::step(double) {
  // The host's loop in the view's real time: the bots' ticks, then the match shown.
  const int ticks = loop_.frame(
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
  if (ticks >= 0) ++frames_;
  return view_->open();
}

}  // namespace pav::tools
