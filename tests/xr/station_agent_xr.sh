#!/usr/bin/env bash
# A station agent whose visitor plays in the simulated headset shows the attract scene in the
# headset between sessions (issue 14: welcome, 3-2-1, play, results, "then the attract scene"):
# a director, one station agent in the headset (XR_RUNTIME_JSON is set by the test; no display,
# so no mirror window), one short hockey session launched through `pavilion ctl`. In order the
# station must show the attract scene in the headset, put it away when the session starts,
# play the session in the headset to its end, show the attract scene in the headset again, and
# stop cleanly (SIGTERM) with no validation message, no call the runtime refused, and exit 0.
# Usage: station_agent_xr.sh PAVILION OUTDIR   (XR_RUNTIME_JSON and PAV_XR_SIM_* in the environment)
set -uo pipefail
bin="$1"
out="$2"
rm -rf "$out" && mkdir -p "$out"
log="$out/station-1.txt"
test_name="station_agent_xr"
. "$(dirname "$0")/../tools/floor_lib.sh"

unset DISPLAY
"$bin" director --init --key "$key" --password operator-pass-1 >"$out/init.txt" 2>&1 || fail "--init failed"
start_director 0

attract='attract scene: hockey played by its two bots, in the headset'
PAV_XR_SIM_STATS="$out/xr-sim-stats.json" "$bin" station --director "127.0.0.1:$port" --name station-1 \
  --key "$station_key" --bot --validation --seconds 150 >"$out/station-1.out" 2>"$log" &
station=$!
pids+=("$station")
wait_log "$attract" 60 || fail "no attract scene in the headset before the session"
for _ in $(seq 40); do ctl stations --json 2>/dev/null | grep -q '"name":"station-1","number":1,"online":true' && break; sleep 0.25; done
sleep 2  # the attract scene plays a while
ctl launch hockey --lobby 0 --stations 1 --minutes 0.2 >"$out/launch.txt" 2>&1 || fail "launch failed: $(cat "$out/launch.txt")"
wait_log 'session s1: hockey for ([1-9]|1[0-2]) s' 30 || fail "the station did not take the session"
wait_log 'session s1 \(hockey\) ended: \{"title":"hockey"' 90 || fail "the session did not end"
start=$(line_of 'session s1 \(hockey\) ended' 1)
for _ in $(seq 160); do  # the results screen (10 s) first
  [ -n "$(line_of "$attract" "$start")" ] && break
  sleep 0.25
done
[ -n "$(line_of "$attract" "$start")" ] || fail "no attract scene in the headset after the session"
sleep 2
kill -TERM "$station"
wait "$station"
code=$?
[ $code -eq 0 ] || fail "the station exited $code"

in_order "$attract" \
    'attract scene stopped after [1-9][0-9]* frame\(s\) \(a session starts\)' \
    'session s1: hockey for ([1-9]|1[0-2]) s' \
    'session s1 \(hockey\) ended: \{"title":"hockey","score":\[[0-9],[0-9]\]' \
    "$attract" \
    'attract scene stopped after [1-9][0-9]* frame\(s\) \(the station stops\)'
grep -q 'validation layer reported' "$log" && fail "the validation layer reported messages"
grep -q '"total": 0' "$out/xr-sim-stats.json" || fail "the runtime refused calls: $(cat "$out/xr-sim-stats.json")"
echo "station_agent_xr: ok"
