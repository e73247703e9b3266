#!/usr/bin/env bash
# A station agent with a window shows the attract scene between sessions (issue 6): a director,
# one windowed bot station (`pavilion station --director ... --bot --validation`, under the X
# server that tests/render/with_xvfb.sh starts) and one short hockey session launched through
# `pavilion ctl`. The station must show the attract scene before the session, put it away when
# the session starts, play the session to its end, show the attract scene again after it, and
# stop cleanly (SIGTERM) with no validation message and exit 0.
# Usage: attract_cli.sh PAVILION OUTDIR   (DISPLAY set)
set -uo pipefail
bin="$1"
out="$2"
rm -rf "$out" && mkdir -p "$out"
log="$out/station-1.txt"
test_name="attract_cli"
. "$(dirname "$0")/floor_lib.sh"

[ -n "${DISPLAY:-}" ] || fail "no DISPLAY: run under xvfb-run (tests/render/with_xvfb.sh)"
"$bin" director --init --key "$key" --password operator-pass-1 >"$out/init.txt" 2>&1 || fail "--init failed"
start_director 0

# --seconds is only a backstop: the test ends the station with SIGTERM once it has seen enough.
"$bin" station --director "127.0.0.1:$port" --name station-1 --key "$station_key" --bot --validation --seconds 120 \
  >"$out/station-1.out" 2>"$log" &
station=$!
pids+=("$station")
wait_log 'in a window' 60 || fail "the station does not say it plays in a window"
wait_log 'attract scene: hockey played by its two bots' 90 || fail "no attract scene before the session"
for _ in $(seq 40); do ctl stations --json 2>/dev/null | grep -q '"name":"station-1","number":1,"online":true' && break; sleep 0.25; done
sleep 2  # the attract scene plays a while
ctl launch hockey --lobby 0 --stations 1 --minutes 0.2 >"$out/launch.txt" 2>&1 || fail "launch failed: $(cat "$out/launch.txt")"
# The order carries the time left when it was sent: a slow machine (asan, or a loaded one)
# starts the server later, so less than the 12 s may be left.
wait_log 'session s1: hockey for ([1-9]|1[0-2]) s' 60 || fail "the station did not take the session"
wait_log 'session s1 \(hockey\) ended: \{"title":"hockey"' 120 || fail "the session did not end"
start=$(line_of 'session s1 \(hockey\) ended' 1)
wait_log "attract scene: hockey played by its two bots" 60 || fail "no attract scene after the session"
for _ in $(seq 40); do
  [ -n "$(line_of 'attract scene: hockey played by its two bots' "$start")" ] && break
  sleep 0.25
done
[ -n "$(line_of 'attract scene: hockey played by its two bots' "$start")" ] || fail "no attract scene after the session"
sleep 2
kill -TERM "$station"
wait "$station"
code=$?
[ $code -eq 0 ] || fail "the station exited $code"

# In order: attract, put away for the session, the session, its end, attract again, put away.
in_order 'attract scene: hockey played by its two bots' \
    'attract scene stopped after [1-9][0-9]* frame\(s\) \(a session starts\)' \
    'session s1: hockey for ([1-9]|1[0-2]) s' \
    'session s1 \(hockey\) ended: \{"title":"hockey","score":\[[0-9],[0-9]\],"goals":[0-9]*,"seconds":12\.0[,}]' \
    'attract scene: hockey played by its two bots' \
    'attract scene stopped after [1-9][0-9]* frame\(s\) \(the station stops\)'
grep -q 'validation layer reported' "$log" && fail "the validation layer reported messages"
ctl logs station-1 >"$out/logs.txt" 2>&1 || fail "logs failed"
grep -Eq 'session s1: time-up warning, [0-9]+ s left' "$out/logs.txt" || fail "no time-up warning in the station's log"
echo "attract_cli: ok"
