#!/usr/bin/env bash
# The operator's desk with a station in the simulated headset (issue 20): live views, alerts,
# headset presence, all through `pavilion ctl` against a real director and station agent.
#   - `ctl view 1 --out F.jpg` saves the station's live view (a JPEG of at most 20 kB, 320x180)
#     between sessions and while playing; nobody watching, the director turns the views off;
#   - the visitor holds both grips 2 s (the simulated headset's script): a `call` alert, listed
#     by `ctl alerts` and acknowledged by `ctl ack ID`; bad ids and stations get clear refusals;
#   - the headset is taken off (XR_EXT_user_presence, PAV_XR_SIM_PRESENCE_FILE): the title's bot
#     plays the seat, the director raises a `headset` alert and shows the station not worn;
#     after --headset-off-seconds (6 here; 30 by default) the station leaves for its lobby.
# Usage: station_desk_xr.sh PAVILION OUTDIR   (XR_RUNTIME_JSON and PAV_XR_SIM_* in the environment)
set -uo pipefail
bin="$1"
out="$2"
rm -rf "$out" && mkdir -p "$out"
log="$out/station-1.txt"
test_name="station_desk_xr"
. "$(dirname "$0")/../tools/floor_lib.sh"

unset DISPLAY
is_jpeg() { [ "$(head -c 2 "$1" | od -An -tx1 | tr -d ' ')" = "ffd8" ] && [ "$(stat -c %s "$1")" -le 20480 ]; }
"$bin" director --init --key "$key" --password operator-pass-1 >"$out/init.txt" 2>&1 || fail "--init failed"
start_director 0
dlog=$(ls "$out"/director-*.txt | grep -v json | head -1)

# Both grips held from 3 s to 6.5 s of each headset session's script: a call for staff.
cat >"$out/grips.txt" <<'SCRIPT'
at 0
squeeze left 0
squeeze right 0
at 3
squeeze left 1
squeeze right 1
at 6.5
squeeze left 1
squeeze right 1
at 6.6
squeeze left 0
squeeze right 0
SCRIPT
echo on >"$out/presence"
PAV_XR_SIM_SCRIPT="$out/grips.txt" PAV_XR_SIM_PRESENCE_FILE="$out/presence" \
  "$bin" station --director "127.0.0.1:$port" --name station-1 --key "$station_key" --headset-off-seconds 6 \
  --seconds 300 >"$out/station-1.out" 2>"$log" &
station=$!
pids+=("$station")
wait_log 'attract scene: .* in the headset' 60 || fail "no attract scene in the headset"
for _ in $(seq 40); do ctl stations --json 2>/dev/null | grep -q '"online":true' && break; sleep 0.25; done

# A live view between sessions.
ctl view 1 --out "$out/idle.jpg" --wait 30 >"$out/view-idle.txt" 2>&1 || fail "ctl view failed: $(cat "$out/view-idle.txt")"
grep -Eq '^station-1: 320x180, [0-9]+ bytes, .* saved to ' "$out/view-idle.txt" || fail "ctl view said: $(cat "$out/view-idle.txt")"
is_jpeg "$out/idle.jpg" || fail "idle.jpg is not a JPEG of at most 20 kB"
wait_log 'live view on \(someone watches\)' 10 || fail "the station was not told someone watches"

# Bad input: clear refusals, exit 1.
ctl view 9 --out "$out/nine.jpg" >"$out/view-9.txt" 2>&1 && fail "a view of station 9 succeeded"
grep -q "unknown station '9'" "$out/view-9.txt" || fail "view 9 said: $(cat "$out/view-9.txt")"
ctl ack 999 >"$out/ack-999.txt" 2>&1 && fail "ack 999 succeeded"
grep -q 'no alert 999 (open: none)' "$out/ack-999.txt" || fail "ack 999 said: $(cat "$out/ack-999.txt")"
ctl ack x1 >"$out/ack-x1.txt" 2>&1 && fail "ack x1 succeeded"
grep -q 'bad alert id "x1"' "$out/ack-x1.txt" || fail "ack x1 said: $(cat "$out/ack-x1.txt")"

# Nobody watches: the director stops the views.
for _ in $(seq 80); do grep -q 'station-1: live view off (nobody watches)' "$dlog" && break; sleep 0.25; done
grep -q 'station-1: live view off (nobody watches)' "$dlog" || fail "the director did not stop the views"
wait_log 'live view off \(nobody watches\)' 10 || fail "the station was not told nobody watches"

# A session: the visitor calls for staff, the operator sees and acknowledges it.
ctl launch hockey --lobby 0 --stations 1 --minutes 2 >"$out/launch.txt" 2>&1 || fail "launch failed: $(cat "$out/launch.txt")"
wait_log 'session s1: hockey for' 30 || fail "the station did not take the session"
for _ in $(seq 120); do ctl alerts >"$out/alerts.txt" 2>&1; grep -q ' call ' "$out/alerts.txt" && break; sleep 0.25; done
grep -Eq '^ +[0-9]+  station-1 +call +.* the visitor calls for staff \(both grips or a wheel button held 2 s\)$' "$out/alerts.txt" || fail "no call alert: $(cat "$out/alerts.txt")"
id=$(awk '$3 == "call" { print $1; exit }' "$out/alerts.txt")
ctl view 1 --out "$out/playing.jpg" --wait 30 >"$out/view-playing.txt" 2>&1 || fail "ctl view while playing failed: $(cat "$out/view-playing.txt")"
is_jpeg "$out/playing.jpg" || fail "playing.jpg is not a JPEG of at most 20 kB"
ctl ack "$id" >"$out/ack.txt" 2>&1 || fail "ack $id failed: $(cat "$out/ack.txt")"
grep -q "acknowledged alert $id" "$out/ack.txt" || fail "ack said: $(cat "$out/ack.txt")"
ctl ack "$id" >"$out/ack-again.txt" 2>&1 && fail "a second ack of $id succeeded"
grep -q "alert $id was acknowledged already" "$out/ack-again.txt" || fail "the second ack said: $(cat "$out/ack-again.txt")"
ctl alerts >"$out/alerts-after.txt" 2>&1
grep -q ' call ' "$out/alerts-after.txt" && fail "the acknowledged call is still open: $(cat "$out/alerts-after.txt")"

# The headset comes off: the bot plays, the operators are told, and 6 s later the station leaves.
wait_log 'session s1: .*playing|stage: play' 5 || true
echo off >"$out/presence"
wait_log 'the headset was taken off: the title.s bot plays the seat' 20 || fail "the station did not see the headset off"
for _ in $(seq 40); do ctl alerts >"$out/alerts-off.txt" 2>&1; grep -q ' headset ' "$out/alerts-off.txt" && break; sleep 0.25; done
grep -q 'station-1 +headset +.* the headset was taken off' <(sed 's/  */ /g' "$out/alerts-off.txt") ||
  grep -Eq 'station-1 +headset ' "$out/alerts-off.txt" || fail "no headset alert: $(cat "$out/alerts-off.txt")"
ctl stations --json >"$out/stations-off.json" 2>&1
grep -q '"present":false' "$out/stations-off.json" || fail "the station is not shown off: $(cat "$out/stations-off.json")"
wait_log 'session s1 \(hockey\) left: the headset was off for 6 s' 30 || fail "the station did not leave after 6 s off"
wait_log 'the headset was off for 6 s: back to the lobby' 1 || fail "no line about the lobby"
start=$(line_of 'session s1 \(hockey\) left' 1)
for _ in $(seq 80); do [ -n "$(line_of 'attract scene: .* in the headset' "$start")" ] && break; sleep 0.25; done
[ -n "$(line_of 'attract scene: .* in the headset' "$start")" ] || fail "no attract scene (the lobby) after leaving"
for _ in $(seq 40); do ctl stations --json 2>/dev/null | grep -q '"state":"idle"' && break; sleep 0.25; done
ctl stations --json | grep -q '"state":"idle"' || fail "the station is not idle after leaving"

in_order 'live view on \(someone watches\)' 'live view off \(nobody watches\)' 'session s1: hockey for' \
  'the visitor calls for staff' 'the headset was taken off' 'left: the headset was off for 6 s'
kill -TERM "$station"
wait "$station"
code=$?
[ $code -eq 0 ] || fail "the station exited $code"
grep -q 'validation layer reported' "$log" && fail "the validation layer reported messages"
echo "station_desk_xr: ok"
