#!/usr/bin/env bash
# The floor's day and moves (issue 20) as processes over loopback: `pavilion director`, station
# agents (headless bots) and `pavilion ctl report` / `ctl move`, as an operator runs them.
# Usage: floor_day_cli.sh PAVILION OUTDIR CASE, where CASE is one of
#   report   an empty day says so; a session played to its time and one stopped are in the
#            report (text and CSV) with their titles, hours, completion and the station's busy
#            time; the day book survives the director killed (-9) and restarted, word for word;
#            a malformed --day is refused; another day is empty; a corrupt day file is set aside
#   move     bad moves refused with the reason (unknown station, not playing, busy target, to
#            itself, no --to); a playing visitor's seat moved to an idle station mid-session:
#            the old station goes back to idle, the new one plays the same session in the same
#            seat to its end on the server's clock, the server saw the seat's holder come back;
#            a killed station's visitor (offline) moved to an idle one the same way; the day
#            book has both moves
set -uo pipefail
bin="$1"
out="$2"
case_name="$3"
rm -rf "$out" && mkdir -p "$out"
test_name="floor_day_cli $case_name"
. "$(dirname "$0")/floor_lib.sh"

# Waits until file $1 has a line matching $2 (up to $3 seconds).
wait_file() {
  local deadline=$((SECONDS + $3))
  while [ $SECONDS -lt $deadline ]; do
    grep -Eq "$2" "$1" 2>/dev/null && return 0
    sleep 0.25
  done
  return 1
}

"$bin" director --init --key "$key" --password operator-pass-1 >"$out/init.txt" 2>&1 || fail "--init failed"
today=$(date +%Y-%m-%d)

case "$case_name" in
report)
  start_director 0
  start_station station-1
  wait_for '"name":"station-1","number":1,"online":true' 20 || fail "station-1 did not register"
  ctl report >"$out/empty.txt" 2>&1 || fail "report failed: $(cat "$out/empty.txt")"
  grep -qx "Day $today: no sessions recorded." "$out/empty.txt" || fail "an empty day said: $(cat "$out/empty.txt")"
  ctl report --csv >"$out/empty.csv" 2>&1 || fail "report --csv failed"
  grep -qx "day,$today,,0,0,,0.0,,," "$out/empty.csv" || fail "an empty day's CSV: $(cat "$out/empty.csv")"
  expect 2 "bad day '2026-13-01': a date is YYYY-MM-DD" ctl report --day 2026-13-01
  expect 2 "bad day '2026-02-30'" ctl report --day 2026-02-30
  expect 2 "bad day 'yesterday'" ctl report --day yesterday
  # A session played to its time (hockey, 6 s), then one stopped by the operator (cycling).
  hour=$(date +%H)
  ctl launch hockey --lobby 0 --stations 1 --minutes 0.1 >"$out/launch.txt" 2>&1 || fail "launch failed: $(cat "$out/launch.txt")"
  wait_file "$out/station-1.txt" 'session s1 \(hockey\) ended' 60 || fail "s1 did not end"
  wait_for '"name":"station-1",[^}]*"state":"idle"' 30 || fail "station-1 not idle after s1"
  ctl launch cycling --lobby 0 --stations 1 --minutes 2 >"$out/launch2.txt" 2>&1 || fail "launch 2 failed: $(cat "$out/launch2.txt")"
  wait_for '"name":"station-1",[^}]*"state":"playing"' 30 || fail "cycling not playing"
  ctl stop s2 >"$out/stop.txt" 2>&1 || fail "stop failed: $(cat "$out/stop.txt")"
  book="$state/days/$today.json"
  # Both ended, and their servers' results are in the day book once they left the floor.
  # (One session a line, its keys in alphabetical order: ..., ending, id, moves, plannedEnd, reason, results, ...)
  wait_file "$book" '"ending":"stopped","id":"s2",' 30 || fail "the day book has no stopped s2: $(cat "$book")"
  wait_file "$book" '"ending":"time up","id":"s1",.*"results":\{' 30 || fail "the day book lacks s1's end and results: $(cat "$book")"
  wait_file "$book" '"id":"s2",.*"results":\{' 30 || fail "the day book lacks s2's results: $(cat "$book")"
  ctl report >"$out/report.txt" 2>&1 || fail "report failed: $(cat "$out/report.txt")"
  grep -Eq "^Day $today: 2 session\(s\), 1 completed of 2 ended \(50 %\), floor open [0-9]{2}:[0-9]{2}-[0-9]{2}:[0-9]{2}" "$out/report.txt" ||
    fail "the day's line: $(cat "$out/report.txt")"
  grep -Eq "^  hockey +1 session\(s\), 1 visitor\(s\), completed 1 of 1 \(100 %\)" "$out/report.txt" || fail "hockey's line: $(cat "$out/report.txt")"
  grep -Eq "^  cycling +1 session\(s\), 1 visitor\(s\), completed 0 of 1 \(0 %\)" "$out/report.txt" || fail "cycling's line: $(cat "$out/report.txt")"
  grep -Eq "^  station-1 +2 session\(s\), busy [0-9.]+ min, utilisation [0-9]+ %" "$out/report.txt" || fail "station-1's line: $(cat "$out/report.txt")"
  # The hours (cycling's column, hockey's, all): both in this hour, or one each side of its turn.
  [ "$(awk '/^  [0-9][0-9]:00 / { n += $NF } END { print n }' "$out/report.txt")" = 2 ] || fail "the hours: $(cat "$out/report.txt")"
  grep -Eq "^  $hour:00 +[01] +1 +[12]$" "$out/report.txt" || fail "hockey's hour: $(cat "$out/report.txt")"
  ctl report --csv >"$out/report.csv" 2>&1 || fail "report --csv failed"
  head -1 "$out/report.csv" | grep -qx 'kind,name,hour,sessions,completed,completion_rate,busy_seconds,utilisation,average_rank,wins' ||
    fail "the CSV header: $(head -1 "$out/report.csv")"
  grep -Eq "^day,$today,,2,1,0.5000,[0-9.]+,,,$" "$out/report.csv" || fail "the CSV day row: $(cat "$out/report.csv")"
  grep -Eq '^title,hockey,,1,1,1.0000,,,' "$out/report.csv" || fail "the CSV hockey row: $(cat "$out/report.csv")"
  grep -Eq '^hour,cycling,[0-9]{2},1,' "$out/report.csv" || fail "the CSV cycling hour: $(cat "$out/report.csv")"
  grep -Eq '^station,station-1,,2,,,[0-9.]+,0\.[0-9]{4}|^station,station-1,,2,,,[0-9.]+,1\.0000' "$out/report.csv" || fail "the CSV station row: $(cat "$out/report.csv")"
  ctl report --json >"$out/report.json" 2>&1 || fail "report --json failed"
  grep -q '"ok":true' "$out/report.json" || fail "report --json: $(cat "$out/report.json")"
  # The director killed and restarted: the same day, word for word.
  kill -9 "$director"
  wait "$director" 2>/dev/null
  start_director 0
  ctl report >"$out/report-again.txt" 2>&1 || fail "report after the restart failed: $(cat "$out/report-again.txt")"
  cmp -s "$out/report.txt" "$out/report-again.txt" || fail "the report changed across the restart: $(diff "$out/report.txt" "$out/report-again.txt")"
  ctl report --day 2020-01-01 >"$out/other.txt" 2>&1 || fail "report of another day failed"
  grep -qx "Day 2020-01-01: no sessions recorded." "$out/other.txt" || fail "another day: $(cat "$out/other.txt")"
  # A day file that is not a day book is set aside, never read as an empty day and overwritten.
  printf 'not json {' >"$state/days/2020-01-02.json"
  ctl report --day 2020-01-02 >"$out/corrupt.txt" 2>&1 || fail "report of a corrupt day failed: $(cat "$out/corrupt.txt")"
  grep -qx "Day 2020-01-02: no sessions recorded." "$out/corrupt.txt" || fail "a corrupt day: $(cat "$out/corrupt.txt")"
  [ "$(cat "$state/days/2020-01-02.json.bad-1" 2>/dev/null)" = 'not json {' ] || fail "the corrupt day file was not set aside"
  grep -q "2020-01-02.json is not a day book; set aside as" "$out"/director-*.txt || fail "the director did not say it set the file aside"
  ;;
move)
  start_director 0
  start_station station-1
  start_station station-2
  start_station station-3
  for n in 1 2 3; do
    wait_for "\"name\":\"station-$n\",\"number\":$n,\"online\":true" 20 || fail "station-$n did not register"
  done
  expect 1 "station-1 is not playing (it is idle)" ctl move 1 --to 2
  expect 1 "unknown station '9'" ctl move 9 --to 2
  expect 2 "--to is required" ctl move 1
  # 45 s of play (its last 30 s the time-up warning, where a visitor moves too): room for two
  # moves on a loaded machine, each new station connected well before the end.
  ctl launch hockey --lobby 0 --stations 1,2 --minutes 0.75 >"$out/launch.txt" 2>&1 || fail "launch failed: $(cat "$out/launch.txt")"
  wait_for '"name":"station-1",[^}]*"seat":0,"session":"s1","state":"(playing|warning)".*"name":"station-2",[^}]*"session":"s1","state":"(playing|warning)"' 30 ||
    fail "not playing on both"
  expect 1 "station-2 is busy with session s1" ctl move 1 --to 2
  expect 1 "station-1 cannot move to itself" ctl move 1 --to station-1
  expect 1 "station-3 is not playing (it is idle)" ctl move 3 --to 1
  expect 1 "unknown station '7'" ctl move 1 --to 7
  ctl move 1 --to 3 >"$out/move.txt" 2>&1 || fail "move failed: $(cat "$out/move.txt")"
  grep -qx 'moved seat 1 of s1 from station-1 to station-3' "$out/move.txt" || fail "move said: $(cat "$out/move.txt")"
  # A second move to the same station while it takes the seat is refused.
  expect 1 "station-3 is busy" ctl move 2 --to 3
  wait_file "$out/station-1.txt" 'session s1 \(hockey\) stopped by the director' 20 || fail "station-1 was not stopped"
  wait_for '"name":"station-1",[^}]*"state":"(ended|idle)"' 20 || fail "station-1 did not go back to its lobby"
  wait_for '"name":"station-3",[^}]*"seat":0,"session":"s1","state":"(playing|warning)"' 30 || fail "station-3 does not play seat 0 of s1"
  ctl status >"$out/status.txt" || fail "status failed"
  grep -Eq '^ *s1 .*station-3' "$out/status.txt" || fail "status does not show station-3 in s1: $(cat "$out/status.txt")"
  # The server's seat 0 took its new holder back into the same match (its score and clock).
  wait_file "$state/sessions/s1.log" 'station in seat 0 is back' 10 || fail "the server did not see seat 0's holder come back"
  # A headset failed with its station (killed): once the director sees it offline, its visitor
  # moves to station-1 (idle again), which takes seat 1 from the dead holder.
  wait_for '"name":"station-1",[^}]*"state":"idle"' 20 || fail "station-1 is not idle again"
  kill -9 "$pid_station_2"
  wait_for '"name":"station-2","number":2,"online":false' 20 || fail "station-2 was not marked offline"
  ctl move 2 --to 1 >"$out/move2.txt" 2>&1 || fail "the move of the offline station failed: $(cat "$out/move2.txt")"
  grep -qx 'moved seat 2 of s1 from station-2 to station-1' "$out/move2.txt" || fail "move said: $(cat "$out/move2.txt")"
  wait_for '"name":"station-1",[^}]*"seat":1,"session":"s1","state":"(playing|warning)"' 30 || fail "station-1 does not play seat 1 of s1"
  # Both play s1 to its end on the server's clock: the whole 45 s match, not a new one.
  for s in station-3 station-1; do
    wait_file "$out/$s.txt" 'session s1 \(hockey\) ended: \{"title":"hockey"' 60 || fail "$s did not end s1"
    grep -q 'session s1 (hockey) ended: {"title":"hockey","score":\[[0-9]*,[0-9]*\],"goals":[0-9]*,"seconds":45.0[,}]' "$out/$s.txt" ||
      fail "$s's end of s1: $(grep 'session s1' "$out/$s.txt")"
  done
  book="$state/days/$today.json"
  wait_file "$book" '"ending":"time up","id":"s1",' 30 || fail "the day book lacks s1's end: $(cat "$book")"
  grep -q '"moves":2' "$book" || fail "the day book lacks the moves: $(cat "$book")"
  grep -q '"seat":0,"station":"station-3"' "$book" || fail "the day book lacks station-3's turn at seat 0: $(cat "$book")"
  grep -q '"seat":1,"station":"station-1"' "$book" || fail "the day book lacks station-1's turn at seat 1: $(cat "$book")"
  ctl report >"$out/report.txt" 2>&1 || fail "report failed"
  grep -Eq "^  station-3 +1 session\(s\)" "$out/report.txt" || fail "the report lacks station-3: $(cat "$out/report.txt")"
  grep -Eq "^  hockey +1 session\(s\), 2 visitor\(s\)" "$out/report.txt" || fail "the report's hockey line: $(cat "$out/report.txt")"
  ;;
*)
  fail "unknown case"
  ;;
esac
echo "floor_day_cli $case_name: ok"
