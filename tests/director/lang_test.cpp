// The visitors' language and the session's start on the floor: the director's default, a
// station's own (station --lang) and a launch's (ctl launch --lang) reach each station's
// LaunchOrder by the rule (the launch's, else the station's, else the director's), over a real
// director and real agents on loopback; bad values are refused with their reasons. The launch's
// lobby reaches the orders and the floor's clock, and its link budget the session's server.
#include <gtest/gtest.h>

#include <fstream>

#include "director_fixture.h"

namespace pav::director {
namespace {

class LangTest : public DirectorTest {
 protected:
  StationAgent& addAgent(const std::string& name, std::optional<core::Lang> lang) {
    agents_.push_back(std::make_unique<StationAgent>(
        AgentDesc{.host = "127.0.0.1", .port = director_->port(), .name = name, .lang = lang}, stationKey_));
    return *agents_.back();
  }
  // Launches `request` on both stations and returns their orders (a, b).
  std::pair<LaunchOrder, LaunchOrder> launch(StationAgent& a, StationAgent& b, json request) {
    request.update({{"command", "launch"}, {"title", "hockey"}, {"stations", {"station-1", "station-2"}}, {"minutes", 1}});
    const json reply = ask(request);
    EXPECT_TRUE(reply.value("ok", false)) << reply.dump();
    std::optional<LaunchOrder> orderA, orderB;
    EXPECT_TRUE(pump(20, [&] {
      if (!orderA) orderA = a.takeLaunch();
      if (!orderB) orderB = b.takeLaunch();
      return orderA && orderB;
    })) << "no launch orders";
    if (!orderA || !orderB) return {};
    // Free the stations for the next launch.
    EXPECT_TRUE(ask({{"command", "stop"}, {"target", orderA->session}}).value("ok", false));
    return {*orderA, *orderB};
  }
};

TEST_F(LangTest, TheLaunchsLanguageElseTheStationsElseTheDirectorsDefault) {
  desc_.defaultLang = core::Lang::En;
  restartDirector();
  StationAgent& zhStation = addAgent("station-1", core::Lang::Zh);  // pavilion station --lang zh
  StationAgent& plain = addAgent("station-2", std::nullopt);
  ASSERT_TRUE(pump(5, [&] { return online() == 2; }));
  EXPECT_EQ(director_->floor()["defaultLang"], "en");
  // No language at launch: each station's own, else the director's default.
  auto [a, b] = launch(zhStation, plain, json::object());
  EXPECT_EQ(a.lang, core::Lang::Zh);
  EXPECT_EQ(b.lang, core::Lang::En);
  // The launch's language comes first, on both.
  std::tie(a, b) = launch(zhStation, plain, {{"lang", "en"}});
  EXPECT_EQ(a.lang, core::Lang::En);
  EXPECT_EQ(b.lang, core::Lang::En);
  std::tie(a, b) = launch(zhStation, plain, {{"lang", "zh-Hans"}});
  EXPECT_EQ(a.lang, core::Lang::Zh);
  EXPECT_EQ(b.lang, core::Lang::Zh);
}

TEST_F(LangTest, TheDirectorsDefaultIsChinese) {
  StationAgent& a = addAgent("station-1", std::nullopt);
  StationAgent& b = addAgent("station-2", core::Lang::En);
  ASSERT_TRUE(pump(5, [&] { return online() == 2; }));
  const auto [orderA, orderB] = launch(a, b, json::object());
  EXPECT_EQ(orderA.lang, core::Lang::Zh);
  EXPECT_EQ(orderB.lang, core::Lang::En);
}

TEST_F(LangTest, TheLobbyReachesTheOrdersAndTheFloorsClock) {
  StationAgent& a = addAgent("station-1", std::nullopt);
  StationAgent& b = addAgent("station-2", std::nullopt);
  ASSERT_TRUE(pump(5, [&] { return online() == 2; }));
  ASSERT_TRUE(ask({{"command", "launch"}, {"title", "hockey"}, {"stations", {"1", "2"}}, {"minutes", 1}, {"lobby", 20}})
                  .value("ok", false));
  std::optional<LaunchOrder> order;
  ASSERT_TRUE(pump(20, [&] { return (order = a.takeLaunch()).has_value(); }));
  // 20 s of lobby and the 3 s start from the launch (less the server's start-up), the whole
  // minute of play after it.
  EXPECT_GT(order->startsIn, 23.0 - kServerStartSeconds);
  EXPECT_LE(order->startsIn, 23.0);
  EXPECT_DOUBLE_EQ(order->seconds, 60.0);
  const json session = director_->floor()["sessions"][0];
  EXPECT_EQ(session["lobby"], 20);
  EXPECT_EQ(session["remaining"], 60) << "the clock runs from the start";
  EXPECT_GT(session["startsIn"].get<double>(), 5);
  EXPECT_EQ(session["state"], "loading");
  (void)b;
}

// An operator who knows the cell's capacity (a 5G slice) gives each station a budget: the session's
// server fits its snapshots to it, and says so in its figures (the director's session log).
TEST_F(LangTest, TheLaunchsBudgetReachesTheSessionsServer) {
  addAgent("station-1", std::nullopt);
  ASSERT_TRUE(pump(5, [&] { return online() == 1; }));
  const json reply = ask({{"command", "launch"}, {"title", "hockey"}, {"stations", {"1"}}, {"minutes", 1}, {"budget_kbps", 48}});
  ASSERT_TRUE(reply.value("ok", false)) << reply.dump();
  EXPECT_EQ(reply["budgetKbps"], 48);
  ASSERT_TRUE(pump(5, [&] { return !director_->floor()["sessions"].empty(); }));
  EXPECT_EQ(director_->floor()["sessions"][0]["budgetKbps"], 48);
  // The server says the budget it was given as it starts listening (in its log, the director's).
  const std::string log = desc_.stateDir + "/sessions/" + reply["session"].get<std::string>() + ".log";
  json listening;
  EXPECT_TRUE(pump(30, [&] {
    std::ifstream in(log);
    for (std::string line; std::getline(in, line);) {
      const json j = json::parse(line, nullptr, false);
      if (j.is_object() && j.value("event", "") == "listening") listening = j;
    }
    return listening.is_object();
  })) << "the server did not listen: " << log;
  EXPECT_EQ(listening.value("budgetKbps", 0.0), 48.0) << listening.dump();
  EXPECT_TRUE(ask({{"command", "stop"}, {"target", reply["session"]}}).value("ok", false));
}

TEST_F(LangTest, BadLanguagesAndLobbiesAreRefused) {
  addAgent("station-1", std::nullopt);
  ASSERT_TRUE(pump(5, [&] { return online() == 1; }));
  const auto error = [&](json extra) {
    extra.update({{"command", "launch"}, {"title", "hockey"}, {"stations", {"1"}}, {"minutes", 1}});
    const json reply = ask(extra);
    EXPECT_FALSE(reply.value("ok", true)) << reply.dump();
    return reply.value("error", std::string());
  };
  EXPECT_EQ(error({{"lang", "fr"}}), "bad language \"fr\" (zh or en; none: the station's, else the director's default)");
  EXPECT_NE(error({{"lang", 5}}).find("bad language 5"), std::string::npos);
  for (const json& lobby : {json(-1), json(601), json("ten"), json(nullptr)})
    EXPECT_NE(error({{"lobby", lobby}}).find("bad lobby"), std::string::npos) << lobby.dump();
  EXPECT_EQ(error({{"budget_kbps", 8}}), "bad budget 8: kbps per station, 16 to 1000000, or 0 (estimated from each link)");
  for (const json& budget : {json(-1), json(1e7), json("fast"), json(nullptr), json(std::nan(""))})
    EXPECT_NE(error({{"budget_kbps", budget}}).find("bad budget"), std::string::npos) << budget.dump();
  EXPECT_TRUE(director_->state().sessions.empty());
}

TEST(ResolveLang, EveryFieldGivenMustBeALanguage) {
  core::Lang lang = core::Lang::En;
  std::string error;
  EXPECT_TRUE(resolveLang(json::object(), std::nullopt, lang, error));
  EXPECT_EQ(lang, core::Lang::Zh) << "nothing said anywhere: zh (the expo is in Chongqing)";
  EXPECT_TRUE(resolveLang({{"defaultLang", "en"}}, std::nullopt, lang, error));
  EXPECT_EQ(lang, core::Lang::En);
  EXPECT_TRUE(resolveLang({{"defaultLang", "en"}, {"lang", ""}}, core::Lang::Zh, lang, error));
  EXPECT_EQ(lang, core::Lang::Zh);
  EXPECT_TRUE(resolveLang({{"defaultLang", "zh"}, {"lang", "en-GB"}}, core::Lang::Zh, lang, error));
  EXPECT_EQ(lang, core::Lang::En);
  EXPECT_FALSE(resolveLang({{"lang", "klingon"}}, std::nullopt, lang, error));
  EXPECT_EQ(error, "bad language in \"lang\": \"klingon\" (zh or en)");
  EXPECT_FALSE(resolveLang({{"defaultLang", 3}}, std::nullopt, lang, error));
  EXPECT_EQ(error, "bad language in \"defaultLang\": 3 (zh or en)");
  EXPECT_FALSE(resolveLang({{"lang", json::array({"en"})}}, std::nullopt, lang, error));
}

// A director of its own making (the station key, the director's role) sends the agent launches
// with wrong fields: each is refused whole and counted, none reaches the loop, the agent plays on.
TEST(AgentLaunch, ALaunchWithAWrongFieldIsRefusedNeverThrown) {
  std::array<uint8_t, net::ControlKey::kBytes> bytes;
  bytes.fill(8);
  const net::ControlKey stationKey = net::ControlKey::stationFromBytes(bytes);
  const net::ControlKey directorKey = net::ControlKey::fromBytes(keyBytes(7), bytes);
  net::EnetLibrary enet;
  net::Host director = net::Host::server(0, 2);
  net::ControlLink link(directorKey, net::Role::Director);
  StationAgent agent({.host = "127.0.0.1", .port = director.port(), .name = "station-1", .lang = core::Lang::En}, stationKey);
  _ENetPeer* peer = nullptr;
  bool registered = false;
  core::Stopwatch clock;
  const auto pump = [&](double seconds, auto done) {
    for (const double until = clock.elapsed() + seconds; clock.elapsed() < until;) {
      agent.update(clock.elapsed(), 1);
      director.poll(1, [&](const net::HostEvent& e) {
        if (e.kind == net::HostEvent::Kind::Connected) peer = e.peer;
        if (e.kind != net::HostEvent::Kind::Received) return;
        std::string error;
        if (!link.greeted()) {
          ASSERT_TRUE(link.acceptGreeting(e.data, error)) << error;
          const std::vector<uint8_t> greeting = link.greeting();
          director.send(e.peer, net::kChannelReliable, greeting, true);
        } else if (link.open(e.data).type == net::ControlType::Register) {
          registered = true;
        }
      });
      director.flush();
      if (done()) return true;
    }
    return false;
  };
  ASSERT_TRUE(pump(10, [&] { return registered; }));
  const std::string token(net::kConnectTokenBytes * 2, 'a');
  const json good = {{"session", "s1"}, {"title", "hockey"}, {"port", 7777}, {"seconds", 60}, {"startsIn", 13},
                     {"token", token},   {"lang", ""},         {"defaultLang", "zh"}};
  const auto launchWith = [&](const json& change) {
    json body = good;
    body.update(change);
    const std::vector<uint8_t> bytes = link.seal(net::ControlType::Launch, body);
    director.send(peer, net::kChannelReliable, bytes, true);
    director.flush();
  };
  for (const json& bad : {json{{"seconds", "soon"}}, json{{"startsIn", -1}}, json{{"startsIn", 1e9}}, json{{"lang", "fr"}},
                          json{{"defaultLang", json::array()}}, json{{"port", "x"}}, json{{"title", 7}}})
    launchWith(bad);
  const uint64_t expected = 7;
  ASSERT_TRUE(pump(10, [&] { return agent.refused() >= expected; })) << agent.refused();
  EXPECT_EQ(agent.refused(), expected);
  EXPECT_FALSE(agent.takeLaunch().has_value());
  // A good one still goes through, in the station's language (the launch gave none).
  launchWith(json::object());
  std::optional<LaunchOrder> order;
  ASSERT_TRUE(pump(10, [&] { return (order = agent.takeLaunch()).has_value(); }));
  EXPECT_EQ(order->lang, core::Lang::En);
  EXPECT_DOUBLE_EQ(order->startsIn, 13);
  EXPECT_TRUE(agent.registered());
}

}  // namespace
}  // namespace pav::director
