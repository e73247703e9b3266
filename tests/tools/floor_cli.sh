#!/usr/bin/env bash
# The pavilion floor as processes over loopback: `pavilion director`, station agents
# (`pavilion station --director`, headless bots) and `pavilion ctl`, as an operator runs them.
# Usage: floor_cli.sh PAVILION OUTDIR CASE, where CASE is one of
#   session          launch and stop round trips through ctl; a two-station hockey session plays
#                    and ends on time on both stations, with the results in both stations' logs
#   station_killed   a station stalled for a second reports the frames it missed; a station
#                    killed mid-session: the director marks it offline within ~3 s, the other
#                    station's session ends cleanly on time
#   director_killed  the director killed mid-session: play continues; a restarted director
#                    shows the floor (stations and the running session) again
#   bad_input        unknown station, unknown title, bad duration, no key, wrong key, no
#                    director: a clear message and a non-zero exit from ctl
set -uo pipefail
bin="$1"
out="$2"
case_name="$3"
rm -rf "$out" && mkdir -p "$out"
test_name="floor_cli $case_name"
. "$(dirname "$0")/floor_lib.sh"


"$bin" director --init --key "$key" --password operator-pass-1 >"$out/init.txt" 2>&1 || fail "--init failed"
[ "$(stat -c %a "$key")" = 600 ] || fail "the key file is not mode 0600"
[ "$(stat -c %a "$station_key")" = 600 ] || fail "the station key file is not mode 0600"
grep -q '^password' "$station_key" && fail "the station key file holds the dashboard password's hash"
grep -q '^key' "$station_key" && fail "the station key file holds the operator key"

case "$case_name" in
session)
  start_director 0
  start_station station-1
  start_station station-2
  wait_for '"name":"station-1","number":1,"online":true.*"name":"station-2","number":2,"online":true' 20 || fail "stations did not register"
  ctl launch hockey --lobby 0 --stations 1,2 --minutes 0.3 --difficulty hard >"$out/launch.txt" 2>&1 || fail "launch failed"
  grep -q '^launched s1: hockey for 0.3 min (hard) on station-1, station-2' "$out/launch.txt" || fail "launch said: $(cat "$out/launch.txt")"
  wait_for '"name":"station-1".*"state":"(playing|warning)".*"name":"station-2".*"state":"(playing|warning)"' 20 || fail "not playing on both"
  # A busy station is refused for a second session, with the reason.
  refused 1 busy.txt ctl launch cycling --stations 2 --minutes 1
  grep -q 'station-2 is busy with session s1' "$out/busy.txt" || fail "busy said: $(cat "$out/busy.txt")"
  ctl status >"$out/status.txt" || fail "status failed"
  grep -Eq 's1 +hockey +(playing|warning)' "$out/status.txt" || fail "status did not show the session"
  # 18 s session: both stations end it on time, with the results.
  sleep 17
  for s in station-1 station-2; do
    for _ in $(seq 40); do grep -q 'session s1 (hockey) ended: {"title":"hockey"' "$out/$s.txt" && break; sleep 0.25; done
    grep -q 'session s1 (hockey) ended: {"title":"hockey","score":\[[0-9],[0-9]\],"goals":[0-9]*,"seconds":18.0[,}]' "$out/$s.txt" ||
      fail "$s did not end the session on time"
  done
  wait_for '"name":"station-1".*"state":"(ended|idle)".*"name":"station-2".*"state":"(ended|idle)"' 20 || fail "not back to idle"
  ctl logs station-1 >"$out/logs.txt" || fail "logs failed"
  grep -q 'session s1 (hockey) ended' "$out/logs.txt" || fail "the director has no log of the end"
  # The operator's volume (issue 16): kept by the director, taken by the station.
  ctl volume station-1 40 >"$out/volume.txt" 2>&1 || fail "volume failed: $(cat "$out/volume.txt")"
  grep -q '^station-1: volume 40$' "$out/volume.txt" || fail "volume said: $(cat "$out/volume.txt")"
  ctl volume 1 --mute >"$out/mute.txt" 2>&1 || fail "mute failed: $(cat "$out/mute.txt")"
  wait_for '"muted":true,"name":"station-1",[^}]*"volume":40' 10 || fail "the floor does not show the volume"
  for _ in $(seq 40); do ctl logs station-1 | grep -q 'volume 40, muted' && break; sleep 0.25; done
  ctl logs station-1 | grep -q 'volume 40, muted' || fail "station-1 did not take the volume"
  # Launch and stop round trip: a session stopped by the operator ends at once.
  wait_for '"name":"station-1".*"state":"idle".*"name":"station-2".*"state":"idle"' 20 || fail "not idle"
  ctl launch cycling --lobby 0 --stations station-1 --minutes 2 >"$out/launch2.txt" 2>&1 || fail "second launch failed"
  wait_for '"name":"station-1".*"state":"playing"' 20 || fail "cycling not playing"
  ctl stop s2 >"$out/stop.txt" 2>&1 || fail "stop failed: $(cat "$out/stop.txt")"
  grep -q 'stopped s2' "$out/stop.txt" || fail "stop said: $(cat "$out/stop.txt")"
  wait_for '"name":"station-1".*"state":"(ended|idle)"' 10 || fail "the stopped station did not end"
  grep -q 'session s2 (cycling) stopped by the director' "$out/station-1.txt" || fail "station-1 did not see the stop"
  refused 1 stop2.txt ctl stop s2
  # The first match was a great one: keep its replay, which re-makes it exactly.
  ctl keep s1 --name final >"$out/keep.txt" 2>&1 || fail "keep failed: $(cat "$out/keep.txt")"
  grep -q "kept the replay of s1 in $state/kept/final.replay" "$out/keep.txt" || fail "keep said: $(cat "$out/keep.txt")"
  refused 1 keep2.txt ctl keep s1 --name final
  "$bin" replay "$state/kept/final.replay" >"$out/replay.txt" 2>&1 || fail "the kept replay did not re-make the match: $(cat "$out/replay.txt")"
  grep -q 'hockey, [0-9]* ticks (18.0 s), every state hash identical' "$out/replay.txt" || fail "replay said: $(cat "$out/replay.txt")"
  ;;
station_killed)
  start_director 0
  start_station station-1
  start_station station-2
  wait_for '"name":"station-2","number":2,"online":true' 20 || fail "stations did not register"
  ctl launch hockey --lobby 0 --stations 1,2 --minutes 0.35 >"$out/launch.txt" 2>&1 || fail "launch failed"
  wait_for '"name":"station-1".*"state":"(playing|warning)".*"name":"station-2".*"state":"(playing|warning)"' 20 || fail "not playing"
  # A station that stalls for a second (stopped) missed about a second of ticks, and says so.
  kill -STOP "$pid_station_1"
  sleep 1
  kill -CONT "$pid_station_1"
  missed='"health":\{[^}]*"missedFrames":([4-9][0-9]|[0-9]{3,})[^}]*\},"lastSeen":[^,]*,("muted":[a-z]*,)?"name":"station-1"'
  wait_for "$missed" 15 || fail "station-1's health does not count the missed frames: $(ctl stations --json)"
  kill -9 "$pid_station_2"
  killed=$SECONDS
  # The director's rule is 3 s of silence; the bound leaves room for a loaded machine, where
  # each look (a ctl process) takes a while and $SECONDS counts whole seconds.
  wait_for '"name":"station-2","number":2,"online":false' 12 || fail "station-2 was not marked offline"
  [ $((SECONDS - killed)) -le 8 ] || fail "offline only after $((SECONDS - killed)) s"
  ctl stations | grep -Eq '^2 +station-2 +offline' || fail "ctl stations does not say offline"
  for _ in $(seq 80); do grep -q 'session s1 (hockey) ended: {"title":"hockey"' "$out/station-1.txt" && break; sleep 0.25; done
  grep -q 'session s1 (hockey) ended: {"title":"hockey".*"seconds":21.0[,}]' "$out/station-1.txt" || fail "station-1 did not end cleanly"
  ;;
director_killed)
  start_director 0
  first=$port
  start_station station-1
  start_station station-2
  wait_for '"name":"station-2","number":2,"online":true' 20 || fail "stations did not register"
  ctl launch hockey --lobby 0 --stations 1,2 --minutes 0.4 >"$out/launch.txt" 2>&1 || fail "launch failed"
  wait_for '"name":"station-1".*"state":"(playing|warning)".*"name":"station-2".*"state":"(playing|warning)"' 20 || fail "not playing"
  kill -9 "$director"
  refused 1 nodirector.txt ctl status
  grep -q 'no director answers' "$out/nodirector.txt" || fail "no-director said: $(cat "$out/nodirector.txt")"
  # The station notices when the director's link times out (a few seconds).
  for _ in $(seq 60); do grep -q 'lost the director; playing on' "$out/station-1.txt" && break; sleep 0.25; done
  grep -q 'lost the director; playing on' "$out/station-1.txt" || fail "station-1 did not notice"
  start_director "$first"
  wait_for '"name":"station-1","number":1,"online":true,[^}]*"session":"s1","state":"(playing|warning)","title":"hockey"' 20 ||
    fail "the restarted director does not show station-1 playing"
  ctl status >"$out/status.txt" || fail "status failed"
  grep -Eq 's1 +hockey +(playing|warning)' "$out/status.txt" || fail "the restarted director does not show the session"
  for s in station-1 station-2; do
    for _ in $(seq 100); do grep -q 'session s1 (hockey) ended' "$out/$s.txt" && break; sleep 0.25; done
    grep -q 'session s1 (hockey) ended: {"title":"hockey".*"seconds":24.0[,}]' "$out/$s.txt" || fail "$s did not play to the end"
  done
  ;;
bad_input)
  start_director 0
  start_station station-1
  wait_for '"name":"station-1","number":1,"online":true' 20 || fail "station did not register"
  expect 1 "unknown station '7' (stations: 1 station-1)" ctl launch hockey --stations 7 --minutes 1
  expect 1 "unknown title 'curling' (titles: [a-z, ]*hockey)" ctl launch curling --stations 1 --minutes 1
  expect 2 "bad duration --minutes 0" ctl launch hockey --stations 1 --minutes 0
  expect 2 "bad duration --minutes 500" ctl launch hockey --stations 1 --minutes 500
  expect 2 "minutes" ctl launch hockey --stations 1 --minutes five
  expect 2 "bad difficulty 'insane'" ctl launch hockey --stations 1 --difficulty insane
  expect 1 "no session or station 'nobody'" ctl stop nobody
  expect 1 "station-1 is not running a session" ctl stop 1
  expect 1 "unknown station 'ghost'" ctl logs ghost
  expect 1 "unknown station '7'" ctl volume 7 50
  expect 2 "give a level from 0 to 100, or --mute or --unmute" ctl volume 1
  expect 2 "level" ctl volume 1 101
  expect 2 "level" ctl volume 1 loud
  expect 2 "excludes" ctl volume 1 --mute --unmute
  expect 1 "no pavilion key file" "$bin" ctl --director "127.0.0.1:$port" --key "$out/missing.key" stations
  expect 1 "pavilion director --init" "$bin" station --director "127.0.0.1:$port" --key "$out/missing.key" --bot --headless
  "$bin" director --init --key "$out/other.key" --password another-pass-2 >"$out/init-other.txt" 2>&1 ||
    fail "--init of a second key failed"
  expect 1 "refused or ignored the request" "$bin" ctl --director "127.0.0.1:$port" --key "$out/other.key" stations
  # A station's key file can neither launch nor stop: ctl says so, and the director refuses an
  # operator's request sealed with the station key (a copied station file used by hand).
  expect 1 "is a station's key file" "$bin" ctl --director "127.0.0.1:$port" --key "$station_key" launch hockey --stations 1 --minutes 1
  expect 1 "is a station's key file" "$bin" ctl --director "127.0.0.1:$port" --key "$station_key" stop 1
  expect 1 "is a station's key file" "$bin" director --key "$station_key" --port 0 --no-http --state-dir "$out/state2"
  expect 2 "is not HOST:PORT" "$bin" ctl --director nowhere stations
  expect 1 "no director answers at 127.0.0.1:1" "$bin" ctl --director 127.0.0.1:1 --key "$key" stations
  # Under load ctl may give up before the director has read (and logged) the sealed request.
  for _ in $(seq 40); do grep -q "refused a control message from 127.0.0.1" "$out"/director-*.txt && break; sleep 0.25; done
  grep -q "refused a control message from 127.0.0.1" "$out"/director-*.txt || fail "the director did not log the wrong key"
  ctl stations | grep -Eq '^1 +station-1 +idle' || fail "the floor changed"
  ;;
*)
  fail "unknown case"
  ;;
esac
echo "floor_cli $case_name: ok"
