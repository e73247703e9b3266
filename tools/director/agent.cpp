// The station agent's connection to the director, and the operator's one-shot request.
#include "agent.h"

#include <chrono>
#include <cmath>
#include <cstdio>

#include "pav/core/error.h"

namespace pav::director {

using nlohmann::json;

StationAgent::StationAgent(const AgentDesc& desc, const net::ControlKey& key)
    : desc_(desc), key_(key), host_(net::Host::client()) {
  host_.markDscp(net::kDscpControl);  // below the sessions' game traffic
}

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
        viewEvery_ = 0;  // a director back from a restart says again who watches
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
    // A field of the wrong type (a string for the seconds) is a refused launch, never an
    // exception out of update().
    try {
      onLaunch(m.body);
    } catch (const json::exception& e) {
      ++refused_;
      std::fprintf(stderr, "pavilion station: refused a malformed launch (%s): %s\n", e.what(), m.body.dump().c_str());
    }
  } else if (m.type == net::ControlType::Stop) {
    const auto session = m.body.find("session");
    stops_.push_back(session != m.body.end() && session->is_string() ? session->get<std::string>() : std::string());
  } else if (m.type == net::ControlType::Watch) {
    const json every = m.body.value("everySeconds", json());
    if (!every.is_number_integer() || every.get<int64_t>() < 0 || every.get<int64_t>() > 10) {
      ++refused_;
      std::fprintf(stderr, "pavilion station: refused a watch that is not 0..10 seconds: %s\n",
                   m.body.dump(-1, ' ', false, json::error_handler_t::replace).substr(0, 120).c_str());
    } else {
      const int was = viewEvery_;
      viewEvery_ = int(every.get<int64_t>());
      if ((was == 0) != (viewEvery_ == 0))
        std::fprintf(stderr, "pavilion station: live view %s\n", viewEvery_ ? "on (someone watches)" : "off (nobody watches)");
      nextView_ = 0;  // the first picture as soon as there is one
    }
  } else if (m.type == net::ControlType::Volume) {
    const json volume = m.body.value("volume", json()), muted = m.body.value("muted", json(false));
    if (!volume.is_number_integer() || volume.get<int64_t>() < 0 || volume.get<int64_t>() > 100 || !muted.is_boolean()) {
      ++refused_;
      std::fprintf(stderr, "pavilion station: refused a volume that is not 0..100 with muted true or false: %s\n",
                   m.body.dump(-1, ' ', false, json::error_handler_t::replace).substr(0, 120).c_str());
    } else {
      volume_ = Volume{int(volume.get<int64_t>()), muted.get<bool>()};
    }
  } else {
    ++refused_;
    std::fprintf(stderr, "pavilion station: refused a %s message from the director\n", net::messageName(m.type));
  }
}

void StationAgent::onLaunch(const json& body) {
  {
    LaunchOrder order;
    order.session = body.value("session", std::string());
    order.title = body.value("title", std::string());
    order.difficulty = body.value("difficulty", std::string());
    order.port = body.value("port", uint16_t(0));
    order.seconds = body.value("seconds", 0.0);
    order.startsIn = body.value("startsIn", 0.0);
    std::string langError;
    if (!std::isfinite(order.seconds) || !std::isfinite(order.startsIn) || order.startsIn < 0 ||
        order.startsIn > kMaxLobbySeconds + kStartSeconds) {
      ++refused_;
      std::fprintf(stderr, "pavilion station: refused a launch with bad seconds or startsIn: %s\n", body.dump().c_str());
      return;
    }
    if (!resolveLang(body, desc_.lang, order.lang, langError)) {
      ++refused_;
      std::fprintf(stderr, "pavilion station: refused a launch: %s\n", langError.c_str());
      return;
    }
    // The seat's connect token for the session server (net/token.h), issued by the director.
    const auto token = body.find("token");
    net::ConnectToken t{};
    if (token != body.end() && token->is_string() && net::parseTokenHex(token->get<std::string>(), t)) order.token = t;
    if (order.session.empty() || order.title.empty() || order.port == 0 || !order.token) {
      ++refused_;
      std::fprintf(stderr, "pavilion station: refused a launch without session, title, port or connect token: %s\n",
                   body.dump().c_str());
      return;
    }
    launches_.push_back(order);
  }
}

bool resolveLang(const json& launch, std::optional<core::Lang> station, core::Lang& out, std::string& error) {
  // A field given must be a language; "" and absent are "not given".
  const auto field = [&](const char* key, std::optional<core::Lang>& lang) {
    const auto it = launch.find(key);
    if (it == launch.end() || it->is_null() || (it->is_string() && it->get<std::string>().empty())) return true;
    if (it->is_string()) lang = core::parseLang(it->get<std::string>());
    if (!lang) error = std::string("bad language in \"") + key + "\": " + it->dump() + " (zh or en)";
    return lang.has_value();
  };
  std::optional<core::Lang> launched, fallback;
  if (!field("lang", launched) || !field("defaultLang", fallback)) return false;
  out = launched ? *launched : station ? *station : fallback ? *fallback : core::Lang::Zh;
  return true;
}

json StationAgent::report() const {
  json body = {{"state", toString(status_.state)},
          {"title", status_.title},
          {"session", status_.session},
          {"remaining", status_.remaining},
          {"seat", status_.seat},
          {"fps", status_.health.fps},
          {"missedFrames", status_.health.missedFrames},
          {"rttMs", status_.health.rttMs},
          {"loss", status_.health.loss},
          {"uptime", status_.health.uptime},
          {"headset", status_.health.headset},
          {"link", net::linkName(status_.health.link)},
          {"downKbps", status_.health.downKbps},
          {"outages", status_.health.outages},
          {"longestOutageMs", status_.health.longestOutageMs},
          {"correctionMm", status_.health.correctionMm},
          {"present", status_.health.present < 0 ? json() : json(status_.health.present == 1)}};
  if (!status_.health.trainer.empty())
    body["trainer"] = {{"state", status_.health.trainer},
                       {"watts", status_.health.trainerWatts},
                       {"cadenceRpm", status_.health.trainerCadenceRpm}};
  return body;
}

// ---- Live views and alerts (issue 20) ----

bool StationAgent::viewDue(double now) const { return registered_ && viewEvery_ > 0 && now >= nextView_; }

void StationAgent::sendView(std::span<const uint8_t> jpeg, int width, int height, double now) {
  if (!registered_ || viewEvery_ <= 0) return;
  nextView_ = now + viewEvery_;
  if (jpeg.empty() || jpeg.size() > net::kMaxViewJpegBytes) return;  // the director would refuse it
  sendSealed(net::ControlType::View, {{"jpeg", net::base64Encode(jpeg)}, {"width", width}, {"height", height}});
  ++viewsSent_;
}

void StationAgent::alert(const std::string& kind, const std::string& detail) {
  std::fprintf(stderr, "pavilion station: alert: %s (%s)\n", kind.c_str(), detail.c_str());
  if (registered_) sendSealed(net::ControlType::Alert, {{"kind", kind}, {"detail", detail}});
}

void StationAgent::sendSealed(net::ControlType type, const json& body) {
  if (!peer_ || !link_ || !link_->greeted()) return;
  const std::vector<uint8_t> bytes = link_->seal(type, body);
  host_.send(peer_, net::kChannelReliable, bytes, true);
}

void StationAgent::setStatus(const StationStatus& status) {
  if (status.state != status_.state || status.session != status_.session || status.health.link != status_.health.link)
    statusChanged_ = true;  // a link lost or back is said at once, not at the next health report
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
  client.markDscp(net::kDscpControl);
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
