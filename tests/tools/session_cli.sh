#!/usr/bin/env bash
# `pavilion server` and `pavilion station` as separate processes over loopback, as on the
# pavilion floor: a hockey server for 3 s with two headless bot stations (one behind the
# server's --netsim 5g conditioner), each station ending with the session's results; then a
# station of the wrong title, refused with the reason and exit code 1.
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

"$bin" server --title hockey --port 0 --seconds 3 --netsim 5g --json >"$out/server.txt" 2>"$out/server-err.txt" &
server=$!
port=$(port_of "$out/server.txt") || fail "the server did not say its port"

"$bin" station --connect "127.0.0.1:$port" --bot --headless --json --seconds 20 >"$out/a.txt" 2>"$out/a-err.txt" &
a=$!
"$bin" station --connect "127.0.0.1:$port" --bot --headless --json --seconds 20 >"$out/b.txt" 2>"$out/b-err.txt" &
b=$!
wait $a || fail "station a exited $?"
wait $b || fail "station b exited $?"
wait $server || fail "the server exited $?"

grep -q '"event":"end","results":{"title":"hockey"' "$out/server.txt" || fail "no results from the server"
for s in a b; do
  grep -q '"state":"ended"' "$out/$s.txt" || fail "station $s did not see the end"
  grep -q '"results":{"title":"hockey","score":\[[0-7],[0-7]\]' "$out/$s.txt" || fail "station $s has no results"
done
grep -q '"seat":0' "$out/a.txt" "$out/b.txt" || fail "nobody in seat 0"
grep -q '"seat":1' "$out/a.txt" "$out/b.txt" || fail "nobody in seat 1"
grep -q 'netsim dropped' "$out/server-err.txt" || fail "the conditioner did not report"

# The wrong title: refused, with the server's reason, exit 1.
"$bin" server --title hockey --port 0 --seconds 2 --json >"$out/server2.txt" 2>/dev/null &
server=$!
port=$(port_of "$out/server2.txt") || fail "the second server did not say its port"
"$bin" station --connect "127.0.0.1:$port" --title driving --bot --headless --seconds 5 >"$out/c.txt" 2>"$out/c-err.txt"
code=$?
wait $server || fail "the second server exited $?"
[ "$code" = 1 ] || fail "a refused station exited $code, not 1"
grep -q 'refused: this session plays hockey, not driving' "$out/c-err.txt" || fail "no reason printed"
echo "session_cli: ok (port $port)"
