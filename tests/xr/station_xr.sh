#!/usr/bin/env bash
# `pavilion station` in the simulated headset: a hockey server for 3 s and one station whose
# visitor plays in the headset (XR_RUNTIME_JSON is set by the test), with the validation
# layer on. The station must say it is in the headset, end with the session's results, write
# both eyes of its last frame, count the missed frames the runtime counted (all but the last,
# which no later frame can show late), and the runtime must count no refused call.
# Usage: station_xr.sh PAVILION OUTDIR   (XR_RUNTIME_JSON and PAV_XR_SIM_* in the environment)
set -uo pipefail
bin="$1"
out="$2"
rm -rf "$out" && mkdir -p "$out"
fail() { echo "station_xr: $*"; for f in "$out"/*.txt "$out"/*.json; do [ -f "$f" ] && { echo "== $f"; cat "$f"; }; done; exit 1; }

port_of() {  # waits up to 30 s (a loaded machine starts programs slowly)
  for _ in $(seq 300); do
    local p
    p=$(sed -n 's/.*"event":"listening".*"port":\([0-9]*\).*/\1/p' "$1" | head -1)
    [ -n "$p" ] && { echo "$p"; return 0; }
    sleep 0.1
  done
  return 1
}

# An 8 s lobby: the server's clock runs from its start, and the station's first frames (the
# headset, Vulkan with validation, under a sanitizer beside other tests) took 6 s once, so that
# it joined in the play and never saw the lobby or the start.
"$bin" server --title hockey --lobby 8 --port 0 --seconds 3 --json >"$out/server.txt" 2>"$out/server-err.txt" &
server=$!
port=$(port_of "$out/server.txt") || fail "the server did not say its port"
# Seat 0's connect token, from the server's listening line.
token=$(sed -n 's/.*"tokens":\["\([0-9a-f]*\)".*/\1/p' "$out/server.txt" | head -1)
[ -n "$token" ] || fail "the server printed no token"

PAV_XR_SIM_STATS="$out/xr-sim-stats.json" "$bin" station --connect "127.0.0.1:$port" --token "$token" --validation --png "$out" \
  --lang en --seconds 45 >"$out/station.txt" 2>"$out/station-err.txt"
code=$?
wait $server || fail "the server exited $?"
[ $code -eq 0 ] || fail "the station exited $code"

grep -q 'visitor in the headset' "$out/station-err.txt" || fail "the station did not say it plays in the headset"
# The session's timeline in the headset, in order: the lobby (8 s), the 3-2-1 start, the play
# (a 3 s session is all time-up warning), the results screen; in English.
stages=$(sed -n 's/^pavilion station: \(lobby\|start\|playing\|warning\|results\) (\([a-z]*\);.*/\1 \2/p' "$out/station-err.txt" | tr '\n' ',')
[ "$stages" = "lobby en,start en,warning en,results en," ] || fail "the station's stages were: $stages"
grep -q '"title":"hockey","score":\[[0-7],[0-7]\]' "$out/station.txt" || fail "the station has no results"
[ -s "$out/station-0-left.png" ] && [ -s "$out/station-0-right.png" ] || fail "no eye pictures"
grep -q '"total": 0' "$out/xr-sim-stats.json" || fail "the runtime refused calls"
# The frames the station says it missed (steps of the predicted display time longer than one
# period) include every frame the runtime saw missed (ended after its display time), but the
# last: a frame ended late makes the runtime's next xrWaitFrame skip at least one refresh,
# which is the step the station counts, and the station's last frame has no next frame. (On a
# loaded machine that last frame, ended while the station shuts down, is often late: 21
# counted against the runtime's 22 was the flake.) So one uncounted frame is allowed, no more.
station_missed=$(sed -n 's/^pavilion station: \([0-9]*\) frame(s) missed (the headset.s display times)$/\1/p' "$out/station-err.txt")
sim_missed=$(tr -d ' \n' <"$out/xr-sim-stats.json" | sed -n 's/.*"frames":{[^}]*"missed":\([0-9]*\).*/\1/p')
[ -n "$station_missed" ] && [ -n "$sim_missed" ] || fail "no missed-frame counts (station '$station_missed', runtime '$sim_missed')"
[ $((station_missed + 1)) -ge "$sim_missed" ] ||
  fail "the station counted $station_missed missed frames, the runtime $sim_missed (more than the last frame apart)"
echo "missed frames: station $station_missed, runtime $sim_missed"
echo "station_xr: ok"
