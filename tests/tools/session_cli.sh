#!/usr/bin/env bash
# `pavilion server` and `pavilion station` as separate processes over loopback, as on the
# pavilion floor: a hockey server for 3 s with two headless bot stations (one behind the
# server's --netsim 5g conditioner), each station ending with the session's results; then a
# station of the wrong title, refused with the reason and exit code 1. Each station runs the
# exact `pavilion station --connect HOST:PORT --token ...` line its server printed for its
# seat; without a token a station stops before connecting, with another server's it is refused.
# Station a is also a motion seat (--motion-out to the discard port).
# Usage: session_cli.sh PAVILION OUTDIR
set -uo pipefail
bin="$1"
out="$2"
rm -rf "$out" && mkdir -p "$out"
fail() { echo "session_cli: $*"; for f in "$out"/*.txt; do echo "== $f"; cat "$f"; done; exit 1; }

# A free UDP port: ask the server for port 0 and read what it took from its first JSON line.
# The port a server took, from the first JSON line of its stdout (file $1); waits up to 30 s
# (a loaded machine starts programs slowly).
port_of() {
  for _ in $(seq 300); do
    local p
    p=$(sed -n 's/.*"event":"listening".*"port":\([0-9]*\).*/\1/p' "$1" | head -1)
    [ -n "$p" ] && { echo "$p"; return 0; }
    sleep 0.1
  done
  return 1
}
# The arguments of the line a standalone server printed for seat $2 (file $1: its stderr).
line_of() {
  for _ in $(seq 100); do
    local l
    l=$(sed -n "s/^pavilion server: seat $2: pavilion station //p" "$1" | head -1)
    [ -n "$l" ] && { echo "$l"; return 0; }
    sleep 0.1
  done
  return 1
}

"$bin" server --title hockey --lobby 0 --port 0 --seconds 3 --netsim 5g --json >"$out/server.txt" 2>"$out/server-err.txt" &
server=$!
port=$(port_of "$out/server.txt") || fail "the server did not say its port"
seat0=$(line_of "$out/server-err.txt" 0) || fail "the server printed no line for seat 0"
seat1=$(line_of "$out/server-err.txt" 1) || fail "the server printed no line for seat 1"
case "$seat0" in "--connect 127.0.0.1:$port --token "*) ;; *) fail "seat 0's line is not for port $port: $seat0" ;; esac
grep -q "\"tokens\":\[\"[0-9a-f]\{180\}\",\"[0-9a-f]\{180\}\"\]" "$out/server.txt" || fail "no tokens in the listening line"

# shellcheck disable=SC2086  # the printed line is split into its arguments on purpose
"$bin" station $seat0 --bot --headless --json --seconds 20 --motion-out 127.0.0.1:9 >"$out/a.txt" 2>"$out/a-err.txt" &
a=$!
# shellcheck disable=SC2086
"$bin" station $seat1 --bot --headless --json --seconds 20 >"$out/b.txt" 2>"$out/b-err.txt" &
b=$!
wait $a || fail "station a exited $?"
wait $b || fail "station b exited $?"
wait $server || fail "the server exited $?"

grep -q '"event":"end","results":{"title":"hockey"' "$out/server.txt" || fail "no results from the server"
for s in a b; do
  grep -q '"state":"ended"' "$out/$s.txt" || fail "station $s did not see the end"
  grep -q '"results":{"title":"hockey","score":\[[0-7],[0-7]\]' "$out/$s.txt" || fail "station $s has no results"
done
# Station a is a motion seat (--motion-out): its seat's motion went out, 60 a second of play.
grep -q '"motionPackets":[1-9][0-9]' "$out/a.txt" || fail "station a sent no motion packets: $(cat "$out/a.txt")"
grep -q '"motionPackets":0' "$out/b.txt" || fail "station b has no --motion-out but sent motion"
grep -q '"seat":0' "$out/a.txt" "$out/b.txt" || fail "nobody in seat 0"
grep -q '"seat":1' "$out/a.txt" "$out/b.txt" || fail "nobody in seat 1"
grep -q 'netsim dropped' "$out/server-err.txt" || fail "the conditioner did not report"

# The wrong title: refused, with the server's reason, exit 1.
"$bin" server --title hockey --lobby 0 --port 0 --seconds 4 --json >"$out/server2.txt" 2>"$out/server2-err.txt" &
server=$!
port=$(port_of "$out/server2.txt") || fail "the second server did not say its port"
"$bin" server --title hockey --lobby 0 --port 0 --seconds 4 >/dev/null 2>"$out/other-err.txt" &
other=$!
token2=$(line_of "$out/server2-err.txt" 0 | sed 's/.*--token //') || fail "the second server printed no token"
foreign=$(line_of "$out/other-err.txt" 0 | sed 's/.*--token //') || fail "the third server printed no token"
"$bin" station --connect "127.0.0.1:$port" --token "$token2" --title driving --bot --headless --seconds 5 >"$out/c.txt" 2>"$out/c-err.txt"
code=$?
[ "$code" = 1 ] || fail "a refused station exited $code, not 1"
grep -q 'refused: this session plays hockey, not driving' "$out/c-err.txt" || fail "no reason printed"
# No token: stopped before connecting (exit 2); another session's token: refused (exit 1).
"$bin" station --connect "127.0.0.1:$port" --bot --headless --seconds 5 >"$out/d.txt" 2>"$out/d-err.txt"
code=$?
[ "$code" = 2 ] || fail "a station without a token exited $code, not 2"
grep -q 'needs the seat.s --token' "$out/d-err.txt" || fail "no word about the missing token"
"$bin" station --connect "127.0.0.1:$port" --token "$foreign" --bot --headless --seconds 5 >"$out/e.txt" 2>"$out/e-err.txt"
code=$?
[ "$code" = 1 ] || fail "a station with another session's token exited $code, not 1"
grep -q 'refused: credential of another session' "$out/e-err.txt" || fail "no reason for the foreign token"
wait $server || fail "the second server exited $?"
wait $other || fail "the third server exited $?"
echo "session_cli: ok (port $port)"
