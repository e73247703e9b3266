// xr-sim: XR_EXT_user_presence with a scripted wearer. PAV_XR_SIM_PRESENCE_FILE names a file
// whose first word says whether the visitor wears the headset: "off" (taken off) or anything
// else, or no file (on). A test writes "off" and later "on"; the runtime reads the file at
// xrBeginSession and every 8th ended frame, and queues XrEventDataUserPresenceChangedEXT on a
// change (and once at xrBeginSession, as the extension asks), for an instance that enabled it.
#include <cstdio>
#include <fstream>
#include <string>

#include "xr_sim_local.h"

namespace pav::xrsim {

void updatePresence(Session& s, bool begin) {
  Instance& inst = *s.instance;
  if (!inst.extPresence) return;
  bool present = true;
  if (!inst.config.presenceFile.empty()) {
    std::ifstream in(inst.config.presenceFile);
    std::string word;
    if (in >> word) present = word != "off";
  }
  const int now = present ? 1 : 0;
  if (!begin && now == s.present) return;
  s.present = now;
  UserPresenceChangedEXT ev{kTypeUserPresenceChanged, nullptr, toHandle<XrSession>(s), present ? XR_TRUE : XR_FALSE};
  pushEvent(inst, ev);
  if (inst.config.logLevel >= 2) std::fprintf(stderr, "pav_xr_sim: the wearer is %s\n", present ? "present" : "away");
}

}  // namespace pav::xrsim
