// The session's link as a station's visitor and the floor's operators hear of it: one enum,
// its names on the wire (the station agent's health report, the dashboard) and their parser.
// SessionStation::linkState() says which holds; the HUD's notice and the dashboard show it.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>

namespace pav::net {

// The link as the visitor should hear of it (the HUD and the dashboard say so):
//   Ok            snapshots flowing, or a gap shorter than kLinkNoticeSeconds (a handover is
//                 ridden out without the visitor noticing: nothing to say)
//   Interrupted   playing, no snapshot for kLinkNoticeSeconds or more, or reconnecting
//   BotPlays      no snapshot for longer than the title's away limit (TitleInfo::awaySeconds):
//                 the server has handed the seat to the title's bot until the link returns
// Only while the play runs (after the start, before the end); the lobby sends no snapshots.
enum class LinkState : uint8_t { Ok, Interrupted, BotPlays };
// "ok", "interrupted", "bot" (inline: the director's fuzz target reads them without the station).
inline const char* linkName(LinkState s) {
  switch (s) {
    case LinkState::Ok: return "ok";
    case LinkState::Interrupted: return "interrupted";
    case LinkState::BotPlays: return "bot";
  }
  return "?";
}
// The name back; false for any other text.
inline bool parseLinkState(std::string_view name, LinkState& out) {
  for (const LinkState s : {LinkState::Ok, LinkState::Interrupted, LinkState::BotPlays}) {
    if (name != linkName(s)) continue;
    out = s;
    return true;
  }
  return false;
}
constexpr double kLinkNoticeSeconds = 0.5;

}  // namespace pav::net
