// The station agent's connection to the director, and the operator's one-shot request.
#include "agent.h"

#include <chrono>
#include <cstdio>

#include "pav/core/error.h"

namespace pav::director {

using nlohmann::json;

StationAgent::StationAgent(const AgentDesc& desc, const net::ControlKey& key)
    : desc_(desc), key_(key), host_(net::Host::client()) {}

StationAgent::~StationAgent() {
  if (peer_) {
    host_.disconnect(peer_);
    host_.flush();
  }
}

void StationAgent::update(double now, uint32_t waitMs) {
  if (started_ < 0) started_ = now;
  status_.health.uptime = now - started_;
  if (!peer_ && now >= nextAttempt_) {
    nextAttempt_ = now + desc_.reconnectSeconds;
    try {
      peer_ = host_.connect(desc_.host, desc_.port);
      net::Host::setTimeouts(peer_, kPeerTimeoutMs, kPeerPingMs);
    } catch (const Error& e) {
      std::fprintf(stderr, "pavilion station: director %s:%u: %s\n", desc_.host.c_str(), unsigned(desc_.port), e.what());
    }
  }
  host_.poll(waitMs, [&](const net::HostEvent& e) {
    switch (e.kind) {
      case net::HostEvent::Kind::Connected: {
        link_.emplace(key_, net::Role::Station);
        const std::vector<uint8_t> greeting = link_->greeting();
        host_.send(peer_, net::kChannelReliable, greeting, true);
        break;
      }
      case net::HostEvent::Kind::Received: onReceive(e.data); break;
      case net::HostEvent::Kind::Disconnected:
        if (registered_) std::fprintf(stderr, "pavilion station: lost the director; playing on, retrying every %.0f s\n", desc_.reconnectSeconds);
        peer_ = nullptr;
        link_.reset();
        registered_ = false;
        nextAttempt_ = now + desc_.reconnectSeconds;
        break;
    }
  });
  if (registered_ && (statusChanged_ || now >= nextHealth_)) {
    nextHealth_ = now + desc_.healthSeconds;
    statusChanged_ = false;
    sendSealed(net::ControlType::Health, report());
  }
  if (registered_ && !logLines_.empty()) {
    json lines = json::array();
    while (!logLines_.empty() && lines.size() < 50) {
      lines.push_back(logLines_.front());
      logLines_.pop_front();
    }
    sendSealed(net::ControlType::Log, {{"lines", lines}});
  }
  host_.flush();
}

void StationAgent::onReceive(std::span<const uint8_t> data) {
  if (!link_) return;
  if (!link_->greeted()) {
    std::string error;
    if (!link_->acceptGreeting(data, error)) {
      ++refused_;
      std::fprintf(stderr, "pavilion station: refused the director's greeting: %s\n", error.c_str());
      return;
    }
    json hello = report();
    hello["name"] = desc_.name;
    hello["version"] = desc_.version;
    sendSealed(net::ControlType::Register, hello);
    registered_ = true;
    ++registrations_;
    std::fprintf(stderr, "pavilion station: registered with the director at %s:%u as %s\n", desc_.host.c_str(),
                 unsigned(desc_.port), desc_.name.c_str());
    return;
  }
  net::ControlLink::Opened m = link_->open(data);
  if (!m.ok) {
    ++refused_;
    std::fprintf(stderr, "pavilion station: refused a control message: %s\n", m.error.c_str());
    return;
  }
  if (m.type == net::ControlType::Launch) {
    LaunchOrder order;
    order.session = m.body.value("session", std::string());
    order.title = m.body.value("title", std::string());
    order.difficulty = m.body.value("difficulty", std::string());
    order.port = m.body.value("port", uint16_t(0));
    order.seconds = m.body.value("seconds", 0.0);
    // The seat's connect token for the session server (net/token.h), issued by the director.
    const auto token = m.body.find("token");
    net::ConnectToken t{};
    if (token != m.body.end() && token->is_string() && net::parseTokenHex(token->get<std::string>(), t)) order.token = t;
    if (order.session.empty() || order.title.empty() || order.port == 0 || !order.token) {
      ++refused_;
      std::fprintf(stderr, "pavilion station: refused a launch without session, title, port or connect token: %s\n",
                   m.body.dump().c_str());
      return;
    }
    launches_.push_back(order);
  } else if (m.type == net::ControlType::Stop) {
    stops_.push_back(m.body.value("session", std::string()));
  } else {
    ++refused_;
    std::fprintf(stderr, "pavilion station: refused a %s message from the director\n", net::messageName(m.type));
  }
}

json StationAgent::report() const {
  return {{"state", toString(status_.state)},
          {"title", status_.title},
          {"session", status_.session},
          {"remaining", status_.remaining},
          {"seat", status_.seat},
          {"fps", status_.health.fps},
          {"missedFrames", status_.health.missedFrames},
          {"rttMs", status_.health.rttMs},
          {"loss", status_.health.loss},
          {"uptime", status_.health.uptime},
          {"headset", status_.health.headset}};
}

void StationAgent::sendSealed(net::ControlType type, const json& body) {
  if (!peer_ || !link_ || !link_->greeted()) return;
  const std::vector<uint8_t> bytes = link_->seal(type, body);
  host_.send(peer_, net::kChannelReliable, bytes, true);
}

void StationAgent::setStatus(const StationStatus& status) {
  if (status.state != status_.state || status.session != status_.session) statusChanged_ = true;
  const double uptime = status_.health.uptime;
  status_ = status;
  status_.health.uptime = uptime;
}

void StationAgent::log(const std::string& line) {
  logLines_.push_back(line);
  if (logLines_.size() > StationRecord::kMaxLogLines) logLines_.pop_front();
}

std::optional<LaunchOrder> StationAgent::takeLaunch() {
  if (launches_.empty()) return std::nullopt;
  LaunchOrder order = launches_.front();
  launches_.pop_front();
  return order;
}

std::optional<std::string> StationAgent::takeStop() {
  if (stops_.empty()) return std::nullopt;
  std::string session = stops_.front();
  stops_.pop_front();
  return session;
}

// ---- The operator's request --------------------------------------------------------------------

json askDirector(const std::string& host, uint16_t port, const net::ControlKey& key, const json& request,
                 uint32_t timeoutMs) {
  net::EnetLibrary enet;
  net::Host client = net::Host::client();
  _ENetPeer* peer = client.connect(host, port);
  net::ControlLink link(key, net::Role::Operator);
  const auto start = std::chrono::steady_clock::now();
  const auto elapsedMs = [&] {
    return static_cast<uint32_t>(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count());
  };
  bool connected = false, sent = false, gone = false;
  std::optional<json> reply;
  std::string refusal;
  while (!reply && !gone && refusal.empty() && elapsedMs() < timeoutMs) {
    client.poll(50, [&](const net::HostEvent& e) {
      if (e.kind == net::HostEvent::Kind::Connected) {
        connected = true;
        const std::vector<uint8_t> greeting = link.greeting();
        client.send(peer, net::kChannelReliable, greeting, true);
      } else if (e.kind == net::HostEvent::Kind::Disconnected) {
        gone = true;
      } else if (!link.greeted()) {
        std::string error;
        if (!link.acceptGreeting(e.data, error)) refusal = "the director's greeting: " + error;
      } else {
        net::ControlLink::Opened m = link.open(e.data);
        if (!m.ok) refusal = "the director's reply: " + m.error + " (is this the pavilion's key?)";
        else if (m.type == net::ControlType::Reply) reply = m.body;
      }
    });
    if (link.greeted() && !sent) {
      const std::vector<uint8_t> bytes = link.seal(net::ControlType::Request, request);
      client.send(peer, net::kChannelReliable, bytes, true);
      client.flush();
      sent = true;
    }
  }
  if (connected) {
    client.disconnect(peer);
    client.poll(50, [](const net::HostEvent&) {});
  }
  const std::string where = host + ":" + std::to_string(port);
  if (reply) return *reply;
  if (!refusal.empty()) throw Error("director " + where + ": " + refusal);
  if (!connected) throw Error("no director answers at " + where + " (is `pavilion director` running there?)");
  if (sent) throw Error("director " + where + " refused or ignored the request: its key is not the one in " + key.path() +
                        " (copy the pavilion's key file here)");
  throw Error("director " + where + " closed the connection before answering");
}

}  // namespace pav::director
