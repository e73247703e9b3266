// The dashboard's HTTP layer over loopback: a real Dashboard, a real key file, httplib::Client.
// The director is replaced by a small in-memory floor (TestFloor) that launches and stops for
// real in its own table, so the pass-through can be checked end to end; the real director is
// tested through the browser (tests/web).
#include <gtest/gtest.h>

#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <regex>
#include <string>
#include <thread>

#include <httplib.h>

#include "dashboard.h"
#include "pav/core/error.h"
#include "tls.h"

namespace pav::dashboard {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

constexpr const char* kPassword = "operator-pass-1";

// ---- A small floor that behaves like the director's --------------------------------------------

class TestFloor : public FloorHandler {
 public:
  TestFloor() {
    floor_ = {{"titles", {"cycling", "driving", "hockey"}}, {"stations", json::array()}, {"sessions", json::array()}};
    for (int i = 1; i <= 2; ++i) {
      floor_["stations"].push_back({{"name", "station-" + std::to_string(i)}, {"number", i}, {"online", true},
                                    {"state", "idle"}, {"title", ""}, {"session", ""}, {"remaining", 0.0},
                                    {"seat", 0}, {"health", {{"fps", 60.0}, {"missedFrames", 0}, {"rttMs", 1},
                                                             {"loss", 0.0}, {"uptime", 5.0}, {"headset", false}}},
                                    {"lastSeen", 0.1}});
    }
  }

  json floor() override {
    std::lock_guard lock(mutex_);
    if (throwing_) throw std::runtime_error("the floor is on fire");
    return floor_;
  }
  uint64_t floorVersion() override {
    std::lock_guard lock(mutex_);
    return version_;
  }
  json launch(const json& request) override {
    std::lock_guard lock(mutex_);
    lastLaunch_ = request;
    const std::string title = request.value("title", "");
    if (title != "hockey" && title != "cycling" && title != "driving")
      return {{"ok", false}, {"error", "unknown title '" + title + "'"}};
    if (!request.contains("stations") || !request["stations"].is_array() || request["stations"].empty())
      return {{"ok", false}, {"error", "no stations"}};
    const std::string id = "s" + std::to_string(++sessions_);
    for (const auto& name : request["stations"]) {
      json* s = station(name.is_string() ? name.get<std::string>() : "");
      if (!s) return {{"ok", false}, {"error", "no station " + name.dump()}};
      if ((*s)["state"] != "idle") return {{"ok", false}, {"error", name.get<std::string>() + " is busy"}};
    }
    for (const auto& name : request["stations"]) {
      json& s = *station(name.get<std::string>());
      s["state"] = "playing";
      s["title"] = title;
      s["session"] = id;
    }
    floor_["sessions"].push_back({{"id", id}, {"title", title}, {"stations", request["stations"]},
                                  {"state", "playing"}, {"seconds", 60}, {"remaining", 60.0},
                                  {"difficulty", request.value("difficulty", "medium")}});
    ++version_;
    return {{"ok", true}, {"session", id}};
  }
  json stop(const json& request) override {
    std::lock_guard lock(mutex_);
    const std::string target = request.value("target", "");
    bool found = false;
    for (auto& s : floor_["stations"]) {
      if (s["name"] == target || s["session"] == target) {
        s["state"] = "idle";
        s["session"] = "";
        found = true;
      }
    }
    if (!found) return {{"ok", false}, {"error", "nothing called '" + target + "'"}};
    floor_["sessions"] = json::array();
    ++version_;
    return {{"ok", true}};
  }
  json logs(const std::string& name) override {
    std::lock_guard lock(mutex_);
    if (!station(name)) return {{"ok", false}, {"error", "no station '" + name + "'"}};
    return {{"ok", true}, {"lines", {"hello from " + name, "bad utf-8: \xff\xfe"}}};
  }

  // Keeps what the real director would: an ended session ("s7" here), once, under a plain name.
  json keep(const json& request) override {
    std::lock_guard lock(mutex_);
    lastKeep_ = request;
    const std::string id = request.value("session", "");
    const std::string name = request.value("name", id);
    if (id != "s7") return {{"ok", false}, {"error", "unknown session '" + id + "'"}};
    if (name.empty() || name.find('/') != std::string::npos) return {{"ok", false}, {"error", "bad name '" + name + "'"}};
    if (!kept_.empty()) return {{"ok", false}, {"error", "session s7 is already kept as '" + kept_ + "'"}};
    kept_ = name;
    floor_["recent"] = json::array({{{"id", "s7"}, {"kept", name}, {"keptPath", "/state/kept/" + name + ".replay"}}});
    ++version_;
    return {{"ok", true}, {"session", id}, {"name", name}, {"path", "/state/kept/" + name + ".replay"}};
  }

  json lastKeep() {
    std::lock_guard lock(mutex_);
    return lastKeep_;
  }
  void setState(const std::string& name, const std::string& state) {
    std::lock_guard lock(mutex_);
    (*station(name))["state"] = state;
    ++version_;
  }
  void setThrowing(bool on) {
    std::lock_guard lock(mutex_);
    throwing_ = on;
  }
  json lastLaunch() {
    std::lock_guard lock(mutex_);
    return lastLaunch_;
  }

 private:
  json* station(const std::string& name) {
    for (auto& s : floor_["stations"])
      if (s["name"] == name) return &s;
    return nullptr;
  }
  std::mutex mutex_;
  json floor_;
  json lastLaunch_, lastKeep_;
  std::string kept_;
  uint64_t version_ = 1;
  int sessions_ = 0;
  bool throwing_ = false;
};

// ---- Fixture: a key file in a fresh folder, a dashboard, a client -------------------------------

class DashboardTest : public ::testing::Test {
 protected:
  // One key file for the suite: hashing the password (argon2) takes a while.
  static void SetUpTestSuite() {
    char pattern[] = "/tmp/pav-dashboard-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    key_ = new net::ControlKey(net::ControlKey::create((dir_ / "pavilion.key").string(), kPassword));
  }
  static void TearDownTestSuite() {
    delete key_;
    key_ = nullptr;
    fs::remove_all(dir_);
  }
  void SetUp() override {
    ASSERT_NE(key_, nullptr);
    dashboard_ = std::make_unique<Dashboard>(floor_, *key_, DashboardDesc{});
    ASSERT_NE(dashboard_->port(), 0);
  }
  void TearDown() override { dashboard_.reset(); }

  httplib::Client client() {
    httplib::Client c("127.0.0.1", dashboard_->port());
    c.set_read_timeout(5, 0);
    c.set_connection_timeout(2, 0);
    return c;
  }
  static httplib::Headers withCookie(const std::string& cookie) { return {{"Cookie", cookie}}; }

  httplib::Result postJson(const std::string& path, const std::string& body, const std::string& cookie = "") {
    auto c = client();
    return c.Post(path.c_str(), cookie.empty() ? httplib::Headers{} : withCookie(cookie), body, "application/json");
  }
  httplib::Result get(const std::string& path, const std::string& cookie = "") {
    auto c = client();
    return c.Get(path.c_str(), cookie.empty() ? httplib::Headers{} : withCookie(cookie));
  }
  // Logs in and returns "pav_session=<token>" for the Cookie header.
  std::string login() {
    auto res = postJson("/api/login", json{{"password", kPassword}}.dump());
    EXPECT_TRUE(res);
    if (!res) return "";
    EXPECT_EQ(res->status, 200) << res->body;
    const std::string setCookie = res->get_header_value("Set-Cookie");
    std::smatch m;
    EXPECT_TRUE(std::regex_search(setCookie, m, std::regex("^(pav_session=[0-9a-f]{64});"))) << setCookie;
    return m.empty() ? "" : m[1].str();
  }
  static json body(const httplib::Result& res) { return json::parse(res->body); }

  static inline fs::path dir_;
  static inline net::ControlKey* key_ = nullptr;
  TestFloor floor_;
  std::unique_ptr<Dashboard> dashboard_;
};

// Reads an event stream on its own thread, keeping everything received.
class StreamReader {
 public:
  StreamReader(uint16_t port, const std::string& cookie) : client_("127.0.0.1", port) {
    client_.set_read_timeout(10, 0);
    thread_ = std::thread([this, cookie] {
      auto res = client_.Get("/api/events", httplib::Headers{{"Cookie", cookie}},
                       [this](const httplib::Response& r) {
                         std::lock_guard lock(mutex_);
                         status_ = r.status;
                         contentType_ = r.get_header_value("Content-Type");
                         return true;
                       },
                       [this](const char* data, size_t n) {
                         std::lock_guard lock(mutex_);
                         text_.append(data, n);
                         return !cancel_;
                       });
      finished_ = true;
    });
  }
  ~StreamReader() {
    cancel_ = true;
    client_.stop();  // the stream may be quiet for 15 s: cut it
    thread_.join();
  }
  // Waits until the stream holds `count` floor events (or the time is up).
  bool waitForEvents(int count, std::chrono::milliseconds within = 5s) {
    const auto end = std::chrono::steady_clock::now() + within;
    while (std::chrono::steady_clock::now() < end) {
      if (events() >= count) return true;
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }
  int events() {
    std::lock_guard lock(mutex_);
    int n = 0;
    for (size_t pos = 0; (pos = text_.find("event: floor\ndata: ", pos)) != std::string::npos; ++pos) ++n;
    return n;
  }
  std::string text() {
    std::lock_guard lock(mutex_);
    return text_;
  }
  int status() {
    std::lock_guard lock(mutex_);
    return status_;
  }
  std::string contentType() {
    std::lock_guard lock(mutex_);
    return contentType_;
  }
  bool finished() const { return finished_; }

 private:
  std::mutex mutex_;
  std::string text_, contentType_;
  int status_ = 0;
  std::atomic<bool> cancel_{false}, finished_{false};
  httplib::Client client_;
  std::thread thread_;
};

// ---- The page ------------------------------------------------------------------------------------

TEST_F(DashboardTest, ServesThePageAndAssetsWithTheirTypes) {
  auto page = get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(page->body.find("<title>Pavilion floor</title>"), std::string::npos);
  EXPECT_NE(page->get_header_value("Content-Security-Policy").find("default-src 'self'"), std::string::npos);
  EXPECT_EQ(page->get_header_value("X-Content-Type-Options"), "nosniff");

  auto css = get("/style.css");
  ASSERT_TRUE(css);
  EXPECT_EQ(css->status, 200);
  EXPECT_EQ(css->get_header_value("Content-Type"), "text/css; charset=utf-8");
  EXPECT_NE(css->body.find(":root"), std::string::npos);

  auto js = get("/app.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->status, 200);
  EXPECT_EQ(js->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_NE(js->body.find("EventSource"), std::string::npos);
  EXPECT_EQ(js->body.find("innerHTML"), std::string::npos) << "the page must build the DOM with textContent";

  auto missing = get("/no-such-file.js");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  auto missingApi = get("/api/no-such-thing", login());
  ASSERT_TRUE(missingApi);
  EXPECT_EQ(missingApi->status, 404);
  EXPECT_EQ(body(missingApi)["ok"], false);
}

// ---- Login ---------------------------------------------------------------------------------------

TEST_F(DashboardTest, WrongPasswordIsRefusedAndCountedRightOneGetsACookie) {
  auto wrong = postJson("/api/login", R"({"password":"guess"})");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  EXPECT_EQ(body(wrong), (json{{"ok", false}, {"error", "wrong password"}}));
  EXPECT_FALSE(wrong->has_header("Set-Cookie"));
  EXPECT_EQ(dashboard_->refusedLogins(), 1u);

  auto right = postJson("/api/login", json{{"password", kPassword}}.dump());
  ASSERT_TRUE(right);
  EXPECT_EQ(right->status, 200);
  EXPECT_EQ(body(right), (json{{"ok", true}}));
  const std::string cookie = right->get_header_value("Set-Cookie");
  EXPECT_TRUE(std::regex_match(cookie, std::regex("pav_session=[0-9a-f]{64}; HttpOnly; SameSite=Strict; Path=/")))
      << cookie;
  EXPECT_EQ(dashboard_->refusedLogins(), 1u);

  // Two logins, two different tokens.
  EXPECT_NE(login(), login());
}

TEST_F(DashboardTest, TooManyWrongPasswordsAreSlowedDown) {
  for (int i = 0; i < 5; ++i) {
    auto res = postJson("/api/login", R"({"password":"guess"})");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401) << "try " << i;
  }
  // Now even the right password waits.
  auto res = postJson("/api/login", json{{"password", kPassword}}.dump());
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 429);
  EXPECT_NE(body(res)["error"].get<std::string>().find("too many wrong passwords"), std::string::npos);
  const int retry = std::stoi(res->get_header_value("Retry-After"));
  EXPECT_GE(retry, 1);
  EXPECT_LE(retry, 60);
  EXPECT_EQ(dashboard_->refusedLogins(), 6u);
}

TEST_F(DashboardTest, LogoutEndsTheSession) {
  const std::string cookie = login();
  ASSERT_EQ(get("/api/floor", cookie)->status, 200);
  auto out = postJson("/api/logout", "{}", cookie);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, 200);
  EXPECT_NE(out->get_header_value("Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(get("/api/floor", cookie)->status, 401);
}

// ---- The API needs a session ---------------------------------------------------------------------

TEST_F(DashboardTest, EveryApiRouteNeedsTheSessionCookie) {
  const std::string bogus = "pav_session=" + std::string(64, 'a');
  for (const std::string& cookie : {std::string(), bogus, std::string("other=1")}) {
    for (const char* path : {"/api/floor", "/api/events", "/api/logs?station=station-1", "/api/whatever"}) {
      auto res = get(path, cookie);
      ASSERT_TRUE(res) << path;
      EXPECT_EQ(res->status, 401) << path << " with '" << cookie << "'";
      EXPECT_EQ(body(res), (json{{"ok", false}, {"error", "not logged in"}})) << path;
    }
    for (const char* path : {"/api/launch", "/api/stop", "/api/keep"}) {
      auto res = postJson(path, R"({"title":"hockey","stations":["station-1"],"target":"station-1","session":"s7"})", cookie);
      ASSERT_TRUE(res) << path;
      EXPECT_EQ(res->status, 401) << path;
    }
  }
  EXPECT_EQ(floor_.lastLaunch(), json()) << "a refused request reached the director";
  EXPECT_EQ(floor_.lastKeep(), json()) << "a refused keep reached the director";

  const std::string cookie = login();
  auto res = get("/api/floor", "theme=dark; " + cookie + "; lang=en");  // among other cookies
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(body(res), floor_.floor());
}

// ---- Pass-through to the director ------------------------------------------------------------------

TEST_F(DashboardTest, LaunchStopAndLogsReachTheDirector) {
  const std::string cookie = login();
  const json request = {{"title", "hockey"}, {"stations", {"station-1"}}, {"minutes", 1}, {"difficulty", "easy"}};
  auto launched = postJson("/api/launch", request.dump(), cookie);
  ASSERT_TRUE(launched);
  EXPECT_EQ(launched->status, 200);
  EXPECT_EQ(body(launched), (json{{"ok", true}, {"session", "s1"}}));
  EXPECT_EQ(floor_.lastLaunch(), request);
  EXPECT_EQ(body(get("/api/floor", cookie))["stations"][0]["state"], "playing");

  // The director's refusal comes back as it is.
  auto busy = postJson("/api/launch", request.dump(), cookie);
  ASSERT_TRUE(busy);
  EXPECT_EQ(body(busy), (json{{"ok", false}, {"error", "station-1 is busy"}}));

  auto stopped = postJson("/api/stop", R"({"target":"s1"})", cookie);
  ASSERT_TRUE(stopped);
  EXPECT_EQ(stopped->status, 200);
  EXPECT_EQ(body(stopped), (json{{"ok", true}}));
  EXPECT_EQ(body(get("/api/floor", cookie))["stations"][0]["state"], "idle");
  EXPECT_EQ(body(postJson("/api/stop", R"({"target":"s9"})", cookie))["ok"], false);

  auto logs = get("/api/logs?station=station-2", cookie);
  ASSERT_TRUE(logs);
  EXPECT_EQ(logs->status, 200);
  const json lines = body(logs);
  EXPECT_EQ(lines["ok"], true);
  EXPECT_EQ(lines["lines"][0], "hello from station-2");
  EXPECT_EQ(lines["lines"][1], "bad utf-8: \xEF\xBF\xBD\xEF\xBF\xBD") << "invalid UTF-8 is replaced, not fatal";
  EXPECT_EQ(body(get("/api/logs?station=nobody", cookie))["error"], "no station 'nobody'");
  auto noStation = get("/api/logs", cookie);
  ASSERT_TRUE(noStation);
  EXPECT_EQ(noStation->status, 400);
}

TEST_F(DashboardTest, KeepReachesTheDirectorAndBringsBackItsAnswer) {
  const std::string cookie = login();
  StreamReader stream(dashboard_->port(), cookie);
  ASSERT_TRUE(stream.waitForEvents(1));

  // The director's refusal comes back as it is, with 200 (like launch and stop).
  auto unknown = postJson("/api/keep", R"({"session":"s99"})", cookie);
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 200);
  EXPECT_EQ(body(unknown), (json{{"ok", false}, {"error", "unknown session 's99'"}}));

  const json request = {{"session", "s7"}, {"name", "final"}};
  auto kept = postJson("/api/keep", request.dump(), cookie);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->status, 200);
  EXPECT_EQ(kept->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(body(kept), (json{{"ok", true}, {"session", "s7"}, {"name", "final"}, {"path", "/state/kept/final.replay"}}));
  EXPECT_EQ(floor_.lastKeep(), request) << "the body reaches the director unchanged";
  // The floor says so, on the event stream too.
  EXPECT_EQ(body(get("/api/floor", cookie))["recent"][0]["kept"], "final");
  ASSERT_TRUE(stream.waitForEvents(2));
  EXPECT_NE(stream.text().find(R"("keptPath":"/state/kept/final.replay")"), std::string::npos);

  // Twice: the director says it is already kept.
  auto twice = postJson("/api/keep", R"({"session":"s7"})", cookie);
  ASSERT_TRUE(twice);
  EXPECT_EQ(body(twice), (json{{"ok", false}, {"error", "session s7 is already kept as 'final'"}}));
  EXPECT_EQ(floor_.lastKeep(), (json{{"session", "s7"}})) << "the name is optional";
}

TEST_F(DashboardTest, ABadKeepIs400AndNeverReachesTheDirector) {
  const std::string cookie = login();
  for (const char* bad : {"", "{", "not json", "[\"s7\"]", "\"s7\"", "{}", R"({"session":""})", R"({"session":7})",
                          R"({"session":null})", R"({"session":["s7"]})", R"({"session":"s7","name":7})",
                          R"({"session":"s7","name":null})", R"({"name":"final"})"}) {
    auto res = postJson("/api/keep", bad, cookie);
    ASSERT_TRUE(res) << bad;
    EXPECT_EQ(res->status, 400) << "'" << bad << "'";
    const json reply = body(res);
    EXPECT_EQ(reply["ok"], false) << bad;
    EXPECT_FALSE(reply.value("error", std::string()).empty()) << bad;
  }
  EXPECT_EQ(floor_.lastKeep(), json()) << "a malformed keep reached the director";
  auto c = client();
  auto form = c.Post("/api/keep", withCookie(cookie), "session=s7", "application/x-www-form-urlencoded");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->status, 415);
  auto huge = postJson("/api/keep", R"({"session":"s7","name":")" + std::string(200 * 1024, 'x') + "\"}", cookie);
  ASSERT_TRUE(huge);
  EXPECT_EQ(huge->status, 413);
  EXPECT_EQ(floor_.lastKeep(), json());
}

TEST_F(DashboardTest, ADirectorThatThrowsGives500) {
  const std::string cookie = login();
  floor_.setThrowing(true);
  auto res = get("/api/floor", cookie);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 500);
  EXPECT_EQ(body(res)["error"], "the director failed: the floor is on fire");
  floor_.setThrowing(false);
  EXPECT_EQ(get("/api/floor", cookie)->status, 200);
}

// ---- Malformed requests ---------------------------------------------------------------------------

TEST_F(DashboardTest, BadJsonIs400AndNeverACrash) {
  const std::string cookie = login();
  for (const char* path : {"/api/launch", "/api/stop", "/api/login"}) {
    for (const char* bad : {"", "{", "{\"title\":", "not json", "\xff\xfe", "[1,2", "{\"a\":1}}"}) {
      auto res = postJson(path, bad, cookie);
      ASSERT_TRUE(res) << path << " " << bad;
      EXPECT_EQ(res->status, 400) << path << " '" << bad << "'";
      const json reply = body(res);
      EXPECT_EQ(reply["ok"], false);
      EXPECT_NE(reply["error"].get<std::string>().find("not valid JSON"), std::string::npos) << reply.dump();
    }
    for (const char* notObject : {"[]", "42", "\"hockey\"", "null"}) {
      auto res = postJson(path, notObject, cookie);
      ASSERT_TRUE(res);
      EXPECT_EQ(res->status, 400) << path << " " << notObject;
      EXPECT_EQ(body(res)["error"], "the request body must be a JSON object");
    }
  }
  auto noPassword = postJson("/api/login", R"({"pass":"x"})");
  ASSERT_TRUE(noPassword);
  EXPECT_EQ(noPassword->status, 400);
  auto numberPassword = postJson("/api/login", R"({"password":7})");
  ASSERT_TRUE(numberPassword);
  EXPECT_EQ(numberPassword->status, 400);
  EXPECT_EQ(dashboard_->refusedLogins(), 0u) << "a malformed login is not a wrong password";
  EXPECT_EQ(floor_.lastLaunch(), json());

  auto huge = postJson("/api/launch", "{\"x\":\"" + std::string(200 * 1024, 'x') + "\"}", cookie);
  ASSERT_TRUE(huge);
  EXPECT_EQ(huge->status, 413);
  EXPECT_EQ(get("/api/floor", cookie)->status, 200) << "the server still answers";
}

TEST_F(DashboardTest, PostsMustBeJson) {
  const std::string cookie = login();
  auto c = client();
  const std::string launch = R"({"title":"hockey","stations":["station-1"],"minutes":1})";
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                           "application/jsonp"}) {
    auto res = c.Post("/api/launch", withCookie(cookie), launch, type);
    ASSERT_TRUE(res) << type;
    EXPECT_EQ(res->status, 415) << type;
    EXPECT_NE(body(res)["error"].get<std::string>().find("application/json"), std::string::npos);
    auto loginRes = c.Post("/api/login", json{{"password", kPassword}}.dump(), type);
    ASSERT_TRUE(loginRes) << type;
    EXPECT_EQ(loginRes->status, 415) << type;
    EXPECT_FALSE(loginRes->has_header("Set-Cookie"));
  }
  EXPECT_EQ(floor_.lastLaunch(), json());
  auto ok = c.Post("/api/launch", withCookie(cookie), launch, "application/json; charset=utf-8");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(body(ok)["ok"], true);
}

// ---- Server-Sent Events ---------------------------------------------------------------------------

TEST_F(DashboardTest, EventsArriveOnConnectAndWhenTheFloorChanges) {
  const std::string cookie = login();
  StreamReader stream(dashboard_->port(), cookie);
  ASSERT_TRUE(stream.waitForEvents(1)) << stream.text();
  EXPECT_EQ(stream.status(), 200);
  EXPECT_EQ(stream.contentType(), "text/event-stream");
  const std::string first = stream.text();
  EXPECT_NE(first.find("event: floor\ndata: {"), std::string::npos) << first;
  EXPECT_EQ(first.find("playing"), std::string::npos);

  // No change, no new event.
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(stream.events(), 1);

  floor_.setState("station-2", "playing");
  ASSERT_TRUE(stream.waitForEvents(2, 2s)) << stream.text();
  const std::string text = stream.text();
  const std::string second = text.substr(text.rfind("data: ") + 6);
  const json floor = json::parse(second.substr(0, second.find("\n\n")));
  EXPECT_EQ(floor["stations"][1]["state"], "playing");
}

TEST_F(DashboardTest, SeveralStreamsAtOnceLeaveRoomForRequests) {
  const std::string cookie = login();
  std::vector<std::unique_ptr<StreamReader>> streams;
  for (int i = 0; i < 12; ++i) streams.push_back(std::make_unique<StreamReader>(dashboard_->port(), cookie));
  for (auto& s : streams) ASSERT_TRUE(s->waitForEvents(1));
  auto res = get("/api/floor", cookie);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  floor_.setState("station-1", "warning");
  for (auto& s : streams) EXPECT_TRUE(s->waitForEvents(2));
}

TEST_F(DashboardTest, LogoutEndsTheEventStream) {
  const std::string cookie = login();
  StreamReader stream(dashboard_->port(), cookie);
  ASSERT_TRUE(stream.waitForEvents(1));
  ASSERT_EQ(postJson("/api/logout", "{}", cookie)->status, 200);
  const auto end = std::chrono::steady_clock::now() + 2s;
  while (!stream.finished() && std::chrono::steady_clock::now() < end) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(stream.finished());
}

TEST_F(DashboardTest, DestructorReturnsPromptlyWithAStreamOpen) {
  const std::string cookie = login();
  StreamReader stream(dashboard_->port(), cookie);
  ASSERT_TRUE(stream.waitForEvents(1));
  // An idle keep-alive connection too, as a browser leaves one.
  auto c = client();
  c.set_keep_alive(true);
  ASSERT_EQ(c.Get("/api/floor", withCookie(cookie))->status, 200);

  const auto start = std::chrono::steady_clock::now();
  dashboard_.reset();
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_LT(took, 2s) << std::chrono::duration<double>(took).count() << " s";
  std::printf("the destructor took %.3f s\n", std::chrono::duration<double>(took).count());
  const auto end = std::chrono::steady_clock::now() + 2s;
  while (!stream.finished() && std::chrono::steady_clock::now() < end) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(stream.finished()) << "the stream ended with the server";
}

// ---- Start-up -------------------------------------------------------------------------------------

TEST_F(DashboardTest, ABusyPortIsAClearError) {
  DashboardDesc desc;
  desc.port = dashboard_->port();
  try {
    Dashboard second(floor_, *key_, desc);
    FAIL() << "a second dashboard listened on the same port";
  } catch (const pav::Error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot listen on 127.0.0.1:" + std::to_string(desc.port)),
              std::string::npos)
        << e.what();
  }
  DashboardDesc nowhere;
  nowhere.bind = "203.0.113.7";  // TEST-NET-3: not this machine's (and beyond loopback: HTTPS)
  const CertificateFiles files = makeCertificate(dir_.string());
  nowhere.certificate = files.certificate;
  nowhere.privateKey = files.privateKey;
  try {
    Dashboard web(floor_, *key_, nowhere);
    FAIL() << "listened on an address this machine does not have";
  } catch (const pav::Error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot listen on 203.0.113.7"), std::string::npos) << e.what();
  }
}

TEST_F(DashboardTest, StartsAndStopsQuickly) {
  for (int i = 0; i < 5; ++i) {
    const auto start = std::chrono::steady_clock::now();
    { Dashboard d(floor_, *key_, DashboardDesc{}); }
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  }
}

}  // namespace
}  // namespace pav::dashboard
