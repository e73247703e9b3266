// A private D-Bus with the fake bluetoothd on it, for the trainer link's tests: dbus-daemon
// with a config of the test's own (a socket in a fresh folder), its address put in
// DBUS_SYSTEM_BUS_ADDRESS for this process (so the link under test, on its "system bus", talks
// to it), and tests/trainer/fake_bluetoothd as org.bluez. Both processes end with the object.
//
//   PrivateBus bus;                        // dbus-daemon up
//   bus.startFake({"--rider-watts", "180"});  // org.bluez owned when it returns
//   bus.fake("Drop");                      // the fake's test handle (org.pavilion.FakeTrainer1)
//
// Waits are bounded generously (a loaded machine) and end as soon as their condition holds.
#pragma once

#include <gtest/gtest.h>
#include <sdbus-c++/sdbus-c++.h>
#include <signal.h>
#include <spawn.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace pav::test {

// True once `condition` holds, polled every 20 ms for at most `seconds`.
inline bool eventually(const std::function<bool()>& condition, double seconds = 30) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < end) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

// A child process, ended (SIGTERM, then waited for) with the object.
class Child {
 public:
  Child() = default;
  Child(const std::vector<std::string>& argv, int stdoutFd) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (stdoutFd >= 0) posix_spawn_file_actions_adddup2(&actions, stdoutFd, STDOUT_FILENO);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    if (posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
  }
  Child(Child&& o) noexcept : pid_(o.pid_) { o.pid_ = -1; }
  Child& operator=(Child&& o) noexcept {
    std::swap(pid_, o.pid_);
    return *this;
  }
  ~Child() { end(); }
  void end() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  bool running() const { return pid_ > 0 && ::waitpid(pid_, nullptr, WNOHANG) == 0; }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
};

class PrivateBus {
 public:
  PrivateBus() {
    char tmpl[] = "/tmp/pav-bus-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    const std::string config = dir_ + "/bus.conf";
    std::ofstream(config) << "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
                             " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
                             "<busconfig>\n  <type>custom</type>\n"
                          << "  <listen>unix:path=" << dir_ << "/bus</listen>\n"
                          << "  <auth>EXTERNAL</auth>\n"
                             "  <policy context=\"default\">\n"
                             "    <allow user=\"*\"/>\n    <allow own=\"*\"/>\n"
                             "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n    <allow eavesdrop=\"true\"/>\n"
                             "  </policy>\n</busconfig>\n";
    int out[2];
    if (::pipe(out) != 0) throw std::runtime_error("pipe");
    daemon_ = Child({"/usr/bin/dbus-daemon", "--config-file=" + config, "--print-address", "--nofork"}, out[1]);
    ::close(out[1]);
    std::string line;
    char c;
    while (::read(out[0], &c, 1) == 1 && c != '\n') line += c;
    ::close(out[0]);
    address_ = line;
    ::setenv("DBUS_SYSTEM_BUS_ADDRESS", address_.c_str(), 1);
  }
  ~PrivateBus() {
    fake_.end();
    daemon_.end();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  PrivateBus(const PrivateBus&) = delete;
  PrivateBus& operator=(const PrivateBus&) = delete;

  const std::string& address() const { return address_; }
  const std::string& dir() const { return dir_; }
  bool up() const { return !address_.empty(); }

  // The fake bluetoothd (its stdout in dir()/fake.log); true once it owns org.bluez.
  bool startFake(std::vector<std::string> args = {}) {
    args.insert(args.begin(), PAV_FAKE_BLUETOOTHD);
    const int log = ::open((dir_ + "/fake.log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    fake_ = Child(args, log);
    ::close(log);
    if (!client_) client_ = sdbus::createSystemBusConnection();
    auto dbus = sdbus::createProxy(*client_, "org.freedesktop.DBus", "/org/freedesktop/DBus");
    return eventually([&] {
      bool owned = false;
      dbus->callMethod("NameHasOwner").onInterface("org.freedesktop.DBus").withArguments("org.bluez").storeResultsTo(owned);
      return owned;
    });
  }
  void stopFake() { fake_.end(); }
  std::string fakeLog() const {
    std::ifstream in(dir_ + "/fake.log");
    return {std::istreambuf_iterator<char>(in), {}};
  }

  // A call on the fake's test handle.
  std::unique_ptr<sdbus::IProxy> handle() {
    if (!client_) client_ = sdbus::createSystemBusConnection();
    return sdbus::createProxy(*client_, "org.bluez", "/org/pavilion/fake");
  }
  std::vector<std::string> requests() {
    std::vector<std::string> r;
    handle()->callMethod("Requests").onInterface("org.pavilion.FakeTrainer1").storeResultsTo(r);
    return r;
  }
  std::vector<double> grades() {
    std::vector<double> g;
    handle()->callMethod("Grades").onInterface("org.pavilion.FakeTrainer1").storeResultsTo(g);
    return g;
  }
  // connected, ERG target, the power reported last, the grade now
  sdbus::Struct<bool, double, double, double> status() {
    sdbus::Struct<bool, double, double, double> s;
    handle()->callMethod("Status").onInterface("org.pavilion.FakeTrainer1").storeResultsTo(s);
    return s;
  }

 private:
  std::string dir_, address_;
  Child daemon_, fake_;
  std::unique_ptr<sdbus::IConnection> client_;
};

}  // namespace pav::test
