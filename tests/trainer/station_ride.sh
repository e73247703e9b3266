#!/usr/bin/env bash
# A station's visitor on the fake trainer: a private dbus-daemon with fake-bluetoothd as
# org.bluez, `pavilion server --title cycling` (the other seat a bot), and
# `pavilion station --connect ... --token ... --headless --trainer auto`. Once the play is on
# and SECONDS have been ridden, the fake drops the radio link: the station says "trainer lost",
# the rider coasts, the link reconnects and the ride goes on for SECONDS more; then the station
# is stopped (SIGTERM: its summary). Checks the control sequence (twice: before and after the
# drop), the grades sent within the expo cap, and the station's trainer line at the end. No
# step depends on how fast the machine is: each waits (60 s at most) for the line it needs.
#
#   station_ride.sh PAVILION FAKE_BLUETOOTHD OUT_DIR [SECONDS]    prints "station_ride: ok"
# OUT_DIR/ride.log holds the station's, the server's and the fake's lines.
set -euo pipefail
pavilion="$1" fake="$2" out="$3" seconds="${4:-1}"
rm -rf "$out" && mkdir -p "$out"
. "$(dirname "$0")/private_bus.sh"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
fail() {
  for f in station.log server.log fake.log; do echo "== $f"; cat "$out/$f" 2>/dev/null || true; done
  echo "station_ride: FAILED: $1"; exit 1
}
wait_for() {  # wait_for FILE REGEX: up to 60 s, ends as soon as the line is there
  for _ in $(seq 1 600); do grep -qE "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done; return 1
}
start_private_bus
[ -n "$DBUS_SYSTEM_BUS_ADDRESS" ] || fail "dbus-daemon gave no address"
"$fake" --rider-watts 220 >"$out/fake.log" 2>&1 &
pids+=($!)
wait_for "$out/fake.log" "org.bluez on" || fail "the fake did not start"

"$pavilion" server --title cycling --players 2 --port 0 --lobby 1 --seconds 600 --json >"$out/server.json" 2>"$out/server.log" &
pids+=($!)
wait_for "$out/server.json" '"event":"listening"' || fail "no server"
port=$(grep -o '"port":[0-9]*' "$out/server.json" | head -n1 | cut -d: -f2)
token=$(grep -o '"tokens":\["[0-9a-f]*' "$out/server.json" | head -n1 | sed 's/.*\["//')
"$pavilion" station --connect "127.0.0.1:$port" --token "$token" --headless --trainer auto >"$out/results.txt" 2>"$out/station.log" &
station=$!
wait_for "$out/station.log" "trainer: riding on" || fail "the station never rode the trainer"
wait_for "$out/fake.log" "grade" || fail "no simulation sent"
wait_for "$out/station.log" "pavilion station: (playing|warning) \\(" || fail "the play never started"
sleep "$seconds"
dbus-send --system --print-reply --dest=org.bluez /org/pavilion/fake org.pavilion.FakeTrainer1.Drop >/dev/null
wait_for "$out/station.log" "trainer lost" || fail "the station did not say trainer lost"
for _ in $(seq 1 600); do [ "$(grep -c 'trainer: riding on' "$out/station.log")" -ge 2 ] && break; sleep 0.1; done
sleep "$seconds"
kill -TERM $station
wait $station || fail "the station failed"
{ echo "# pavilion station --connect 127.0.0.1:$port --token ... --headless --trainer auto (cycling, seat 0; a bot in seat 1)"
  cat "$out/station.log"; echo "# fake-bluetoothd (the trainer's side)"; cat "$out/fake.log"; } >"$out/ride.log"

[ "$(grep -c 'control point <- \[00\] -> success' "$out/fake.log")" -ge 2 ] || fail "Request Control not sent again after the drop"
grep -q "trainer: riding on Pavilion Fake Trainer" "$out/station.log" || fail "never riding"
[ "$(grep -c 'trainer: riding on' "$out/station.log")" -ge 2 ] || fail "did not ride again after the drop"
awk '/grade [-0-9.]+ %/ { for (i = 1; i <= NF; ++i) if ($i == "grade") { g = $(i + 1) + 0; if (g > 8 || g < -8) bad = 1; n++ } }
     END { exit (bad || n < 1) }' "$out/station.log" || fail "a grade outside the expo cap, or none"
grep -qE "pavilion station: trainer: .*connected [2-9] time\(s\), lost [1-9] time\(s\)" "$out/station.log" || fail "no trainer line at the end"
echo "station_ride: ok"
