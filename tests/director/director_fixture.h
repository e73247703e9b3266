// The director tests' fixture: a real director on a fresh state folder, real station agents
// and a raw client (what anyone on the pavilion's network can send), all over loopback ENet.
#pragma once

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "agent.h"
#include "director.h"
#include "pav/core/fixed_step.h"

namespace pav::director {

namespace fs = std::filesystem;
using nlohmann::json;

inline std::array<uint8_t, net::ControlKey::kBytes> keyBytes(uint8_t fill) {
  std::array<uint8_t, net::ControlKey::kBytes> bytes;
  bytes.fill(fill);
  return bytes;
}
// One key for both roles (a key file from before the roles were split), e.g. a stranger's.
inline net::ControlKey testKey(uint8_t fill = 7) { return net::ControlKey::fromBytes(keyBytes(fill)); }

class DirectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("pav-director-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    desc_.port = 0;
    desc_.stateDir = (dir_ / "state").string();
    desc_.program = PAV_BIN;
    desc_.titles = {{"cycling", 8}, {"driving", 4}, {"hockey", 2}};
    // No lobby unless a test asks: these tests time their sessions from the launch.
    desc_.lobbySeconds = 0;
    director_ = std::make_unique<Director>(desc_, key_);
  }
  // A new director on the same state folder (a restart), before any agent is added.
  void restartDirector() {
    director_.reset();
    director_ = std::make_unique<Director>(desc_, key_);
  }
  void TearDown() override {
    // Stop any server a test left running.
    for (const Session& s : director_->state().sessions)
      if (s.state != SessionState::Ended) director_->handle({{"command", "stop"}, {"target", s.id}}, clock_.elapsed());
    agents_.clear();
    director_.reset();
    fs::remove_all(dir_);
  }
  StationAgent& addAgent(const std::string& name, const net::ControlKey& key) {
    agents_.push_back(std::make_unique<StationAgent>(AgentDesc{.host = "127.0.0.1", .port = director_->port(), .name = name}, key));
    return *agents_.back();
  }
  // Runs the director and every agent until `done` or `seconds` pass.
  template <typename F>
  bool pump(double seconds, F&& done, const std::vector<StationAgent*>& paused = {}) {
    const double until = clock_.elapsed() + seconds;
    while (clock_.elapsed() < until) {
      director_->update(clock_.elapsed(), 2);
      for (auto& a : agents_)
        if (std::find(paused.begin(), paused.end(), a.get()) == paused.end()) a->update(clock_.elapsed(), 0);
      if (done()) return true;
    }
    return false;
  }
  json ask(const json& request) { return director_->handle(request, clock_.elapsed()); }
  size_t online() const {
    size_t n = 0;
    for (const StationRecord& s : director_->state().stations) n += s.online;
    return n;
  }

  fs::path dir_;
  DirectorDesc desc_;
  // The pavilion's operator key file (operator key 7s, station key 8s) and a station's file.
  net::ControlKey key_ = net::ControlKey::fromBytes(keyBytes(7), keyBytes(8));
  net::ControlKey stationKey_ = net::ControlKey::stationFromBytes(keyBytes(8));
  core::Stopwatch clock_;
  std::unique_ptr<Director> director_;
  std::vector<std::unique_ptr<StationAgent>> agents_;
};

// A hand-driven connection to the director: what an attacker on the pavilion's network can do.
struct RawClient {
  net::EnetLibrary enet;
  net::Host host = net::Host::client();
  _ENetPeer* peer = nullptr;
  net::ControlLink link;
  std::vector<std::vector<uint8_t>> received;
  bool closed = false;

  RawClient(const net::ControlKey& key, net::Role role) : link(key, role) {}
  void poll() {
    host.poll(1, [&](const net::HostEvent& e) {
      if (e.kind == net::HostEvent::Kind::Received) received.emplace_back(e.data.begin(), e.data.end());
      if (e.kind == net::HostEvent::Kind::Disconnected) closed = true;
    });
  }
  void send(const std::vector<uint8_t>& bytes) {
    host.send(peer, net::kChannelReliable, bytes, true);
    host.flush();
  }
};

}  // namespace pav::director
