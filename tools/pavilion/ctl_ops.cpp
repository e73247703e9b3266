// `pavilion ctl` for the operator's desk (issue 20; the director's side is
// tools/director/director_live.cpp):
//   view STATION --out FILE.jpg [--wait S] [--fast]   the station's live view, saved as a JPEG
//   alerts [--all]                                    the open alerts (--all: acknowledged too)
//   ack ID                                            acknowledge an alert
// Asking for a view watches the station: it starts sending pictures (one every 2 s, --fast 1 s)
// and stops a few seconds after the last ask, so `view` asks again every half second until a
// picture taken since it began watching has come, or --wait runs out.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <thread>

#include "agent.h"
#include "commands.h"
#include "pav/net/control.h"

namespace pav::tools {

using nlohmann::json;

void addCtlOpsCommands(CLI::App& c, CtlOptions& o) {
  CLI::App* view = c.add_subcommand("view", "Save a station's live view (its visitor's left eye) as a JPEG");
  view->add_option("station", o.target, "The station (number or name)")->required();
  view->add_option("--out", o.viewOut, "The JPEG file to write")->required();
  view->add_option("--wait", o.viewWait, "Seconds to wait for a fresh picture (default 15)")->check(CLI::Range(0.5, 120.0));
  view->add_flag("--fast", o.viewFast, "Watch at a picture a second (the dashboard's enlarged view)");
  CLI::App* alerts = c.add_subcommand("alerts", "The open alerts: calls for staff, stalls, lost devices, headsets off");
  alerts->add_flag("--all", o.alertsAll, "The acknowledged ones too");
  CLI::App* ack = c.add_subcommand("ack", "Acknowledge an alert (its number, from `ctl alerts`)");
  ack->add_option("id", o.target, "The alert's number")->required();
}

bool isCtlOpsCommand(const std::string& command) { return command == "view" || command == "alerts" || command == "ack"; }

namespace {

int refused(const std::string& command, const json& reply) {
  std::fprintf(stderr, "pavilion ctl: %s: %s\n", command.c_str(), reply.value("error", std::string("refused")).c_str());
  return 1;
}

int view(const CtlOptions& o, const std::string& host, uint16_t port, const net::ControlKey& key) {
  const json request = {{"command", "view"}, {"station", o.target}, {"fast", o.viewFast}};
  const auto start = std::chrono::steady_clock::now();
  const auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  json reply = director::askDirector(host, port, key, request);
  if (!reply.value("ok", false)) return o.json ? (std::printf("%s\n", reply.dump().c_str()), 1) : refused("view", reply);
  // A picture from before this watch began is stale: wait for one newer than it.
  const json& first = reply["picture"];
  const uint64_t stale = first.is_object() && first.value("age", 1e9) > 3.0 ? first.value("serial", uint64_t(0)) : 0;
  while (!(reply["picture"].is_object() && reply["picture"].value("serial", uint64_t(0)) != stale)) {
    if (!reply.value("online", false)) return refused("view", {{"error", reply.value("station", o.target) + " is offline"}});
    if (elapsed() >= o.viewWait) {
      return refused("view", {{"error", reply.value("station", o.target) + " sent no picture in " +
                                            std::to_string(int(std::lround(o.viewWait))) +
                                            " s (only a station in a headset has a live view)"}});
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    reply = director::askDirector(host, port, key, request);
    if (!reply.value("ok", false)) return refused("view", reply);
  }
  const json& p = reply["picture"];
  std::string bytes;
  if (!p.value("jpeg", json()).is_string() ||
      !net::base64Decode(p["jpeg"].get<std::string>(), net::kMaxViewJpegBytes, bytes))
    return refused("view", {{"error", "the director's picture is not base64 of a JPEG"}});
  std::ofstream out(o.viewOut, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), std::streamsize(bytes.size()));
  out.close();
  if (!out) {
    std::fprintf(stderr, "pavilion ctl: view: cannot write %s\n", o.viewOut.c_str());
    return 1;
  }
  if (o.json) {
    json summary = p;
    summary.erase("jpeg");
    summary["ok"] = true;
    summary["station"] = reply["station"];
    summary["file"] = o.viewOut;
    std::printf("%s\n", summary.dump().c_str());
  } else {
    std::printf("%s: %dx%d, %zu bytes, %.1f s old, saved to %s\n", reply.value("station", o.target).c_str(),
                p.value("width", 0), p.value("height", 0), bytes.size(), p.value("age", 0.0), o.viewOut.c_str());
  }
  return 0;
}

std::string ago(double raised) {
  const double now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  const double s = std::max(0.0, now - raised);
  char text[32];
  if (s < 90) std::snprintf(text, sizeof text, "%.0f s ago", s);
  else std::snprintf(text, sizeof text, "%.0f min ago", s / 60);
  return text;
}

}  // namespace

int runCtlOps(const CtlOptions& o, const std::string& command, const std::string& host, uint16_t port,
              const net::ControlKey& key) {
  if (command == "view") return view(o, host, port, key);
  json request = {{"command", command}};
  if (command == "alerts") request["all"] = o.alertsAll;
  if (command == "ack") request["id"] = o.target;
  const json reply = director::askDirector(host, port, key, request);
  const bool ok = reply.value("ok", false);
  if (o.json) {
    std::printf("%s\n", reply.dump().c_str());
    return ok ? 0 : 1;
  }
  if (!ok) return refused(command, reply);
  if (command == "ack") {
    std::printf("acknowledged alert %llu\n", static_cast<unsigned long long>(reply.value("id", uint64_t(0))));
    return 0;
  }
  const json& list = reply["alerts"];
  if (list.empty()) std::printf("no %salerts\n", o.alertsAll ? "" : "open ");
  for (const json& a : list)
    std::printf("%4llu  %-12s %-8s %-12s %s%s\n", static_cast<unsigned long long>(a.value("id", uint64_t(0))),
                a.value("station", std::string()).c_str(), a.value("kind", std::string()).c_str(),
                ago(a.value("raised", 0.0)).c_str(), a.value("detail", std::string()).c_str(),
                a.value("acked", false) ? "  (acknowledged)" : "");
  return 0;
}

}  // namespace pav::tools
