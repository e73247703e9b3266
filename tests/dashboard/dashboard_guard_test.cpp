// The dashboard against hostile clients, over loopback with a real Dashboard and a real key:
// a flood of concurrent password guesses, slow clients that try to hold every worker, and
// HTTPS with the certificate `pavilion director --init` makes (checked by a verifying client
// and by the fingerprint of what the server really presents).
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

#include "dashboard.h"
#include "pav/core/error.h"
#include "tls.h"

namespace pav::dashboard {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

constexpr const char* kPassword = "operator-pass-1";
constexpr int kWorkers = 48;  // the dashboard's worker threads (dashboard.cpp)

// A floor with something to show; these tests are about the door, not the floor.
class QuietFloor : public FloorHandler {
 public:
  json floor() override { return {{"titles", json::array()}, {"stations", json::array()}, {"sessions", json::array()}}; }
  uint64_t floorVersion() override { return version.load(); }
  json launch(const json&) override { return {{"ok", false}, {"error", "no"}}; }
  json stop(const json&) override { return {{"ok", false}, {"error", "no"}}; }
  json logs(const std::string&) override { return {{"ok", true}, {"lines", json::array()}}; }
  json keep(const json&) override { return {{"ok", false}, {"error", "no"}}; }
  std::atomic<uint64_t> version{1};
};

class GuardTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char pattern[] = "/tmp/pav-dashboard-guard-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    key_ = new net::ControlKey(net::ControlKey::create((dir_ / "pavilion.key").string(), kPassword));
  }
  static void TearDownTestSuite() {
    delete key_;
    key_ = nullptr;
    fs::remove_all(dir_);
  }

  static httplib::Result login(uint16_t port, const std::string& password, const std::string& from = "") {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(30, 0);
    if (!from.empty()) c.set_interface(from);  // another loopback address: another client
    return c.Post("/api/login", json{{"password", password}}.dump(), "application/json");
  }

  static inline fs::path dir_;
  static inline net::ControlKey* key_ = nullptr;
  QuietFloor floor_;
};

// ---- A flood of guesses ---------------------------------------------------------------------------

TEST_F(GuardTest, AFloodOfGuessesChecksFewPasswordsAndNeverMoreThanTwoAtOnce) {
  std::atomic<int64_t> offset{0};  // the throttle's clock, moved by the test
  DashboardDesc desc;
  desc.clock = [&offset] { return Clock::now() + std::chrono::seconds(offset.load()); };
  Dashboard web(floor_, *key_, desc);

  constexpr int kGuesses = 50;
  std::mutex mutex;
  std::condition_variable go;
  bool started = false;
  std::vector<int> statuses(kGuesses, 0);
  std::vector<std::string> errors(kGuesses);
  std::vector<std::thread> threads;
  for (int i = 0; i < kGuesses; ++i) {
    threads.emplace_back([&, i] {
      {
        std::unique_lock lock(mutex);
        go.wait(lock, [&] { return started; });
      }
      auto res = login(web.port(), "guess-" + std::to_string(i));
      statuses[i] = res ? res->status : -1;
      if (!res) errors[i] = httplib::to_string(res.error());
    });
  }
  {
    std::lock_guard lock(mutex);
    started = true;
  }
  go.notify_all();
  for (auto& t : threads) t.join();

  int wrong = 0, tooMany = 0, busy = 0;
  for (int i = 0; i < kGuesses; ++i) {
    const int s = statuses[i];
    wrong += s == 401;
    tooMany += s == 429;
    busy += s == 503;
    EXPECT_TRUE(s == 401 || s == 429 || s == 503) << "status " << s << " " << errors[i];
  }
  std::printf("50 guesses at once: %d checked (401), %d too many (429), %d busy (503); %llu argon2 checks, "
              "at most %d at once\n",
              wrong, tooMany, busy, static_cast<unsigned long long>(web.passwordChecks()), web.peakConcurrentChecks());
  EXPECT_GE(web.passwordChecks(), 1u);
  EXPECT_LE(web.passwordChecks(), 5u) << "every try is counted before its check: at most 5 a minute from one address";
  EXPECT_EQ(web.passwordChecks(), static_cast<uint64_t>(wrong));
  EXPECT_GE(web.peakConcurrentChecks(), 1);
  EXPECT_LE(web.peakConcurrentChecks(), 2);
  EXPECT_EQ(web.refusedLogins(), static_cast<uint64_t>(kGuesses));

  // Use up what is left of this address's minute, one guess at a time.
  for (int i = 0; i < 5 && web.passwordChecks() < 5; ++i) {
    auto res = login(web.port(), "one-more-guess");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401);
  }
  EXPECT_EQ(web.passwordChecks(), 5u);
  auto locked = login(web.port(), kPassword);
  ASSERT_TRUE(locked);
  EXPECT_EQ(locked->status, 429) << "the guessing address waits, even with the right password";
  EXPECT_EQ(web.passwordChecks(), 5u) << "and its password is not even checked";

  // Another address is not locked out by the flood.
  auto other = login(web.port(), kPassword, "127.0.0.2");
  ASSERT_TRUE(other) << "cannot send from 127.0.0.2: " << httplib::to_string(other.error());
  EXPECT_EQ(other->status, 200) << other->body;

  // A minute later the guessing address may log in again.
  offset = 61;
  auto later = login(web.port(), kPassword);
  ASSERT_TRUE(later);
  EXPECT_EQ(later->status, 200) << later->body;
  EXPECT_LE(web.peakConcurrentChecks(), 2);
}

TEST_F(GuardTest, GuessesFromManyAddressesNeverRunMoreThanTwoChecksAtOnce) {
  Dashboard web(floor_, *key_, DashboardDesc{});
  constexpr int kAddresses = 30;  // 127.0.0.10 .. 127.0.0.39: one guess each, so no address is throttled
  std::atomic<bool> go{false};
  std::vector<int> statuses(kAddresses, 0);
  std::vector<std::thread> threads;
  for (int i = 0; i < kAddresses; ++i) {
    threads.emplace_back([&, i] {
      while (!go) std::this_thread::yield();
      auto res = login(web.port(), "guess", "127.0.0." + std::to_string(10 + i));
      statuses[i] = res ? res->status : -1;
    });
  }
  go = true;
  for (auto& t : threads) t.join();
  int wrong = 0;
  for (int s : statuses) {
    wrong += s == 401;
    EXPECT_TRUE(s == 401 || s == 503) << "status " << s;
  }
  std::printf("%d addresses at once: %d checked, %d told to retry (503); at most %d checks at once\n", kAddresses,
              wrong, kAddresses - wrong, web.peakConcurrentChecks());
  EXPECT_EQ(web.passwordChecks(), static_cast<uint64_t>(wrong));
  EXPECT_GE(web.peakConcurrentChecks(), 1);
  EXPECT_LE(web.peakConcurrentChecks(), 2) << "each check holds 64 MiB: the flood's memory is bounded";
  auto right = login(web.port(), kPassword, "127.0.0.10");  // a 503 did not count against its address
  ASSERT_TRUE(right);
  EXPECT_EQ(right->status, 200) << right->body;
}

// ---- Slow clients ---------------------------------------------------------------------------------

// A connection to the dashboard that sends the start of a request, then one more byte ('a', in
// a header's value or the body) each time it is told to.
class SlowClient {
 public:
  SlowClient(uint16_t port, const std::string& start) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = fd_ >= 0 && ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
                 ::send(fd_, start.data(), start.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(start.size());
  }
  ~SlowClient() {
    if (fd_ >= 0) ::close(fd_);
  }
  SlowClient(const SlowClient&) = delete;
  SlowClient& operator=(const SlowClient&) = delete;

  bool connected() const { return connected_; }
  // Sends the next byte; false once the server has closed the connection.
  bool dribble() {
    if (!open_) return false;
    if (::send(fd_, "a", 1, MSG_NOSIGNAL) != 1) open_ = false;
    char buf[256];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) open_ = false;
    return open_;
  }
  bool open() const { return open_; }

 private:
  int fd_ = -1;
  bool connected_ = false, open_ = true;
};

TEST_F(GuardTest, SlowClientsOnEveryWorkerLeaveTheDashboardServing) {
  DashboardDesc desc;
  desc.requestSeconds = 2;
  Dashboard web(floor_, *key_, desc);

  // A logged-in event stream, open before the attack: it is meant to last past the deadline.
  auto session = login(web.port(), kPassword);
  ASSERT_TRUE(session);
  ASSERT_EQ(session->status, 200);
  const std::string cookie = session->get_header_value("Set-Cookie").substr(0, 76);
  std::atomic<int> events{0};
  std::atomic<bool> stopStream{false};
  httplib::Client streamClient("127.0.0.1", web.port());
  streamClient.set_read_timeout(60, 0);
  std::thread stream([&] {
    streamClient.Get("/api/events", httplib::Headers{{"Cookie", cookie}}, [&](const char* data, size_t n) {
      for (std::string_view text(data, n); text.find("event: floor") != std::string_view::npos;
           text = text.substr(text.find("event: floor") + 1))
        events++;
      return !stopStream;
    });
  });

  // Headers that never end, and a body that never arrives: more slow clients than workers.
  std::vector<std::unique_ptr<SlowClient>> slow;
  for (int i = 0; i < kWorkers + 8; ++i) {
    slow.push_back(std::make_unique<SlowClient>(
        web.port(), i % 2 ? "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: "
                          : "POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                            "Content-Length: 60000\r\n\r\n{\"password\":\""));
    ASSERT_TRUE(slow.back()->connected());
  }
  // Every worker is taken: the event stream's and the slow clients'.
  const auto busyUntil = Clock::now() + 30s;
  while (web.connectionsServed() < static_cast<size_t>(kWorkers) && Clock::now() < busyUntil)
    std::this_thread::sleep_for(20ms);
  ASSERT_EQ(web.connectionsServed(), static_cast<size_t>(kWorkers)) << "the slow clients did not take every worker";
  std::atomic<bool> stopDribbling{false};
  std::thread dribbler([&] {  // a byte every 200 ms each: well inside httplib's 5 s read timeout
    while (!stopDribbling) {
      for (auto& c : slow) c->dribble();
      std::this_thread::sleep_for(200ms);
    }
  });

  // A normal request, queued behind all of them, is served once their deadline has cut them.
  const auto start = Clock::now();
  httplib::Client c("127.0.0.1", web.port());
  c.set_read_timeout(40, 0);
  auto page = c.Get("/style.css");
  const double took = std::chrono::duration<double>(Clock::now() - start).count();
  ASSERT_TRUE(page) << httplib::to_string(page.error()) << " after " << took << " s";
  EXPECT_EQ(page->status, 200);
  EXPECT_LT(took, 40.0);
  std::printf("a normal request behind %d slow clients was served after %.2f s; %llu connections cut\n",
              kWorkers + 8, took, static_cast<unsigned long long>(web.cutConnections()));
  EXPECT_GE(web.cutConnections(), 1u);

  // The slow clients were closed on, not left hanging; the stream lives on and still hears changes.
  const auto until = Clock::now() + 30s;
  int open = 0;
  do {
    std::this_thread::sleep_for(200ms);
    open = 0;
    for (auto& s : slow) open += s->open();
  } while (open > 0 && Clock::now() < until);
  EXPECT_EQ(open, 0) << "slow clients still connected";
  EXPECT_GE(web.cutConnections(), slow.size()) << "each slow client was cut at its deadline";
  stopDribbling = true;
  dribbler.join();

  const int before = events;
  floor_.version++;
  const auto eventUntil = Clock::now() + 10s;
  while (events <= before && Clock::now() < eventUntil) std::this_thread::sleep_for(20ms);
  EXPECT_GT(events.load(), before) << "the event stream was cut with the slow clients";
  stopStream = true;
  streamClient.stop();
  stream.join();
}

// ---- HTTPS ------------------------------------------------------------------------------------------

// The SHA-256 fingerprint of the certificate the server at 127.0.0.1:port presents.
std::string presentedFingerprint(uint16_t port) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL* ssl = SSL_new(ctx);
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string out;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 && SSL_set_fd(ssl, fd) == 1 &&
      SSL_connect(ssl) == 1) {
    if (X509* cert = SSL_get1_peer_certificate(ssl)) {
      unsigned char md[EVP_MAX_MD_SIZE];
      unsigned int n = 0;
      X509_digest(cert, EVP_sha256(), md, &n);
      char byte[4];
      for (unsigned int i = 0; i < n; ++i) {
        std::snprintf(byte, sizeof byte, i ? ":%02X" : "%02X", md[i]);
        out += byte;
      }
      X509_free(cert);
    }
    SSL_shutdown(ssl);
  }
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  ::close(fd);
  return out;
}

TEST_F(GuardTest, HttpsAnswersAVerifyingClientWithTheMadeCertificate) {
  const fs::path folder = dir_ / "tls";
  fs::create_directories(folder);
  const CertificateFiles files = makeCertificate(folder.string());
  struct stat st {};
  ASSERT_EQ(::stat(files.privateKey.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u) << "the private key is the operator's alone";
  const std::string printed = fingerprint(files.certificate);
  EXPECT_TRUE(std::regex_match(printed, std::regex("([0-9A-F]{2}:){31}[0-9A-F]{2}"))) << printed;

  DashboardDesc desc;
  desc.https = true;  // on loopback only when asked
  desc.certificate = files.certificate;
  desc.privateKey = files.privateKey;
  Dashboard web(floor_, *key_, desc);
  EXPECT_TRUE(web.https());
  EXPECT_EQ(presentedFingerprint(web.port()), printed) << "the server presents the certificate that was printed";

  httplib::SSLClient c("127.0.0.1", web.port());
  c.set_ca_cert_path(files.certificate.c_str());
  c.enable_server_certificate_verification(true);  // and 127.0.0.1 must be in its subjectAltName
  c.set_read_timeout(30, 0);
  auto page = c.Get("/");
  ASSERT_TRUE(page) << httplib::to_string(page.error()) << " verify result " << c.get_openssl_verify_result();
  EXPECT_EQ(page->status, 200);
  auto in = c.Post("/api/login", json{{"password", kPassword}}.dump(), "application/json");
  ASSERT_TRUE(in);
  EXPECT_EQ(in->status, 200) << in->body;
  const std::string cookie = in->get_header_value("Set-Cookie").substr(0, 76);
  auto floor = c.Get("/api/floor", httplib::Headers{{"Cookie", cookie}});
  ASSERT_TRUE(floor);
  EXPECT_EQ(floor->status, 200) << floor->body;

  // A client that trusts another certificate refuses this server; plain HTTP gets nothing.
  fs::create_directories(dir_ / "other");
  const CertificateFiles other = makeCertificate((dir_ / "other").string());
  EXPECT_NE(fingerprint(other.certificate), printed);
  httplib::SSLClient wary("127.0.0.1", web.port());
  wary.set_ca_cert_path(other.certificate.c_str());
  wary.enable_server_certificate_verification(true);
  auto refused = wary.Get("/");
  EXPECT_FALSE(refused) << "a client trusting another certificate got status " << (refused ? refused->status : 0);
  EXPECT_NE(wary.get_openssl_verify_result(), X509_V_OK);
  httplib::Client plain("127.0.0.1", web.port());
  plain.set_read_timeout(5, 0);
  auto plainPage = plain.Get("/");
  EXPECT_FALSE(plainPage && plainPage->status == 200) << "plain HTTP was served on the HTTPS port";
}

TEST_F(GuardTest, SlowHandshakesOnEveryWorkerLeaveHttpsServing) {
  fs::create_directories(dir_ / "slow-tls");
  const CertificateFiles files = makeCertificate((dir_ / "slow-tls").string());
  DashboardDesc desc;
  desc.https = true;
  desc.certificate = files.certificate;
  desc.privateKey = files.privateKey;
  desc.requestSeconds = 2;
  Dashboard web(floor_, *key_, desc);

  // A TLS record header announcing a 512-byte ClientHello that arrives a byte at a time.
  std::vector<std::unique_ptr<SlowClient>> slow;
  for (int i = 0; i < kWorkers + 4; ++i) {
    slow.push_back(std::make_unique<SlowClient>(web.port(), std::string("\x16\x03\x01\x02\x00", 5)));
    ASSERT_TRUE(slow.back()->connected());
  }
  const auto busyUntil = Clock::now() + 30s;
  while (web.connectionsServed() < static_cast<size_t>(kWorkers) && Clock::now() < busyUntil)
    std::this_thread::sleep_for(20ms);
  ASSERT_EQ(web.connectionsServed(), static_cast<size_t>(kWorkers)) << "the slow handshakes did not take every worker";
  std::atomic<bool> stopDribbling{false};
  std::thread dribbler([&] {
    while (!stopDribbling) {
      for (auto& c : slow) c->dribble();
      std::this_thread::sleep_for(200ms);
    }
  });

  const auto start = Clock::now();
  httplib::SSLClient c("127.0.0.1", web.port());
  c.set_ca_cert_path(files.certificate.c_str());
  c.enable_server_certificate_verification(true);
  c.set_read_timeout(40, 0);
  c.set_connection_timeout(40, 0);
  auto page = c.Get("/");
  const double took = std::chrono::duration<double>(Clock::now() - start).count();
  stopDribbling = true;
  dribbler.join();
  ASSERT_TRUE(page) << httplib::to_string(page.error()) << " after " << took << " s";
  EXPECT_EQ(page->status, 200);
  std::printf("an HTTPS request behind %d slow handshakes was served after %.2f s\n", kWorkers + 4, took);
  const auto until = Clock::now() + 30s;
  while (web.cutConnections() < static_cast<uint64_t>(kWorkers) && Clock::now() < until)
    std::this_thread::sleep_for(50ms);
  EXPECT_GE(web.cutConnections(), static_cast<uint64_t>(kWorkers)) << "the slow handshakes were cut at their deadline";
}

TEST_F(GuardTest, PlainHttpBeyondLoopbackIsRefused) {
  DashboardDesc lan;
  lan.bind = "0.0.0.0";
  try {
    Dashboard web(floor_, *key_, lan);
    FAIL() << "served plain HTTP on 0.0.0.0";
  } catch (const pav::Error& e) {
    EXPECT_NE(std::string(e.what()).find("`pavilion director --init`"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("HTTPS"), std::string::npos) << e.what();
  }
  lan.certificate = (dir_ / "missing.crt").string();
  lan.privateKey = (dir_ / "missing.key").string();
  try {
    Dashboard web(floor_, *key_, lan);
    FAIL() << "served on 0.0.0.0 without its certificate file";
  } catch (const pav::Error& e) {
    EXPECT_NE(std::string(e.what()).find("missing.crt"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("`pavilion director --init`"), std::string::npos) << e.what();
  }

  // With the certificate it serves, over HTTPS only.
  fs::create_directories(dir_ / "lan");
  const CertificateFiles files = makeCertificate((dir_ / "lan").string());
  lan.certificate = files.certificate;
  lan.privateKey = files.privateKey;
  Dashboard web(floor_, *key_, lan);
  EXPECT_TRUE(web.https());
  httplib::SSLClient c("127.0.0.1", web.port());
  c.set_ca_cert_path(files.certificate.c_str());
  c.enable_server_certificate_verification(true);
  auto page = c.Get("/");
  ASSERT_TRUE(page) << httplib::to_string(page.error());
  EXPECT_EQ(page->status, 200);

  // Loopback alone stays plain HTTP.
  EXPECT_FALSE(Dashboard(floor_, *key_, DashboardDesc{}).https());
  EXPECT_TRUE(isLoopback("127.0.0.1"));
  EXPECT_TRUE(isLoopback("127.1.2.3"));
  EXPECT_TRUE(isLoopback("::1"));
  EXPECT_TRUE(isLoopback("localhost"));
  EXPECT_FALSE(isLoopback("0.0.0.0"));
  EXPECT_FALSE(isLoopback("192.168.1.10"));
  EXPECT_FALSE(isLoopback("::"));
  EXPECT_FALSE(isLoopback(""));
}

TEST_F(GuardTest, AFingerprintOfSomethingElseIsAClearError) {
  const fs::path junk = dir_ / "junk.crt";
  { std::FILE* f = std::fopen(junk.c_str(), "w"); std::fputs("not a certificate\n", f); std::fclose(f); }
  EXPECT_THROW(fingerprint(junk.string()), pav::Error);
  EXPECT_THROW(fingerprint((dir_ / "nothing-here.crt").string()), pav::Error);
  EXPECT_THROW(makeCertificate((dir_ / "no" / "such" / "folder").string()), pav::Error);
}

}  // namespace
}  // namespace pav::dashboard
