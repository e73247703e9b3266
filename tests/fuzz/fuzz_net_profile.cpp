// Fuzz target: parseNetProfile, the --net-profile text a person types.
//
// Input: the text. Properties:
//   - it never throws;
//   - refused: a non-empty message that quotes the accepted forms, and the profile untouched;
//   - accepted: no message, every value finite, latency and jitter 0..10000 ms, loss, dup and
//     reorder 0..1; the same text parses to the same profile again; and the profile written
//     back as key=value pairs parses to the same values.
#include <cinttypes>
#include <cstring>
#include <string>
#include <string_view>

#include "fuzz_common.h"
#include "pav/net/conditioner.h"

using namespace pav::net;

namespace {

bool sameProfile(const NetProfile& a, const NetProfile& b) {
  return a.latencyMs == b.latencyMs && a.jitterMs == b.jitterMs && a.loss == b.loss && a.duplicate == b.duplicate &&
         a.reorder == b.reorder && a.downKbps == b.downKbps && a.upKbps == b.upKbps && a.queueMs == b.queueMs &&
         a.burstEnter == b.burstEnter && a.burstLeave == b.burstLeave && a.burstLoss == b.burstLoss &&
         a.outageMs == b.outageMs && a.outagePeriodMs == b.outagePeriodMs;
}

bool near(double a, double b) { return std::fabs(a - b) <= 1e-9 * std::fmax(1.0, std::fabs(a)); }

bool nearProfile(const NetProfile& a, const NetProfile& b) {
  return near(a.latencyMs, b.latencyMs) && near(a.jitterMs, b.jitterMs) && near(a.loss, b.loss) &&
         near(a.duplicate, b.duplicate) && near(a.reorder, b.reorder) && near(a.downKbps, b.downKbps) &&
         near(a.upKbps, b.upKbps) && near(a.queueMs, b.queueMs) && near(a.burstEnter, b.burstEnter) &&
         near(a.burstLeave, b.burstLeave) && near(a.burstLoss, b.burstLoss) && near(a.outageMs, b.outageMs) &&
         near(a.outagePeriodMs, b.outagePeriodMs);
}

void checkIn(double v, double hi, const char* what, std::string_view text) {
  FUZZ_CHECK(std::isfinite(v) && v >= 0 && v <= hi, "%s = %.17g outside [0, %g] from \"%.*s\"", what, v, hi,
             int(text.size()), text.data());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const NetProfile sentinel{1.5, 2.5, 0.125, 0.25, 0.375};
  NetProfile p = sentinel;
  std::string error = "stale";
  bool ok = false;
  try {
    ok = parseNetProfile(text, p, error);
  } catch (...) {
    FUZZ_CHECK(false, "parseNetProfile threw");
  }
  if (!ok) {
    FUZZ_CHECK(!error.empty() && error != "stale" && error.find("accepted:") != std::string::npos,
               "refused with the message \"%s\"", error.c_str());
    FUZZ_CHECK(sameProfile(p, sentinel), "a refused text changed the profile");
    return 0;
  }
  FUZZ_CHECK(error.empty(), "accepted, yet the message says \"%s\"", error.c_str());
  checkIn(p.latencyMs, 10000, "latency", text);
  checkIn(p.jitterMs, 10000, "jitter", text);
  checkIn(p.loss, 1, "loss", text);
  checkIn(p.duplicate, 1, "dup", text);
  checkIn(p.reorder, 1, "reorder", text);
  checkIn(p.downKbps, 1e7, "down", text);
  checkIn(p.upKbps, 1e7, "up", text);
  checkIn(p.queueMs, 10000, "queue", text);
  checkIn(p.burstEnter, 1, "burst_enter", text);
  checkIn(p.burstLeave, 1, "burst_leave", text);
  checkIn(p.burstLoss, 1, "burst_loss", text);
  checkIn(p.outageMs, 60000, "outage", text);
  checkIn(p.outagePeriodMs, 3.6e6, "period", text);
  FUZZ_CHECK(p.outageMs == 0 ? p.outagePeriodMs == 0 : p.outagePeriodMs > p.outageMs, "an impossible outage from \"%.*s\"",
             int(text.size()), text.data());
  FUZZ_CHECK(p.burstEnter == 0 || p.burstLeave > 0, "bursts never left from \"%.*s\"", int(text.size()), text.data());

  // The model it makes never lets a datagram leave before it arrived, nor queue past the limit.
  LinkModel link = makeLinkModel(p, true, 1);
  for (int i = 0; i < 64; ++i) {
    const double now = i * 0.5;
    const LinkFate f = link.admit(now, 1200);
    FUZZ_CHECK(f.kind != LinkFate::Kind::Sent || (f.departMs >= now && f.departMs - now <= p.queueMs + 1e-6),
               "departs at %.17g, arrived at %.17g", f.departMs, now);
  }

  NetProfile again;
  std::string error2;
  FUZZ_CHECK(parseNetProfile(text, again, error2) && sameProfile(p, again), "the same text parsed differently");

  // Written back in the custom form (percentages capped: v * 0.01 * 100 may round past 100).
  const auto pct = [](double fraction) { return std::fmin(fraction * 100, 100.0); };
  char written[768];
  std::snprintf(written, sizeof written,
                "latency=%.17g,jitter=%.17gms,loss=%.17g%%,dup=%.17g,reorder=%.17g,down=%.17gkbps,up=%.17g,"
                "queue=%.17g,burst_enter=%.17g,burst_leave=%.17g,burst_loss=%.17g,outage=%.17g,period=%.17g",
                p.latencyMs, p.jitterMs, pct(p.loss), pct(p.duplicate), pct(p.reorder), p.downKbps, p.upKbps,
                p.queueMs, pct(p.burstEnter), pct(p.burstLeave), pct(p.burstLoss), p.outageMs, p.outagePeriodMs);
  NetProfile back;
  std::string error3;
  FUZZ_CHECK(parseNetProfile(written, back, error3), "the profile written back as \"%s\" is refused: %s", written,
             error3.c_str());
  FUZZ_CHECK(nearProfile(p, back), "\"%s\" parses to other values than \"%.*s\"", written, int(text.size()),
             text.data());
  return 0;
}
