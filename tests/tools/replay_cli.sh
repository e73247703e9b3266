#!/usr/bin/env bash
# Replays as an operator meets them: a session server records its session (--record), the
# director records every session into its state folder, and `pavilion replay` re-makes one
# exactly (every tick's state hash identical) and draws it; a damaged file is refused.
# Usage: replay_cli.sh PAVILION OUTDIR
set -uo pipefail
bin="$1"
out="$2"
rm -rf "$out" && mkdir -p "$out"
fail() { echo "replay_cli: $*"; for f in "$out"/*.txt; do echo "== $f"; tail -n 20 "$f"; done; exit 1; }

# A hockey session with the server's bots in both seats, recorded.
"$bin" server --title hockey --lobby 0 --port 0 --seconds 3 --seed 9 --record "$out/match.replay" >"$out/server.txt" 2>&1 ||
  fail "the server failed"
grep -q 'replay of 1440 ticks in' "$out/server.txt" || fail "the server did not say it recorded 1440 ticks (3 s at 480 Hz)"

"$bin" replay "$out/match.replay" --png "$out/png" --every 1 --validation >"$out/replay.txt" 2>&1 || fail "the replay failed"
grep -q 'hockey, 1440 ticks (3.0 s), every state hash identical' "$out/replay.txt" || fail "not identical"
grep -q '"title":"hockey"' "$out/replay.txt" || fail "no results line"
grep -q '3 picture(s) in' "$out/replay.txt" || fail "no pictures"
[ -s "$out/png/replay-000480.png" ] && [ -s "$out/png/replay-001440.png" ] || fail "picture files missing"
# The same results as the session had.
server_result=$(grep -o '"score":\[[0-9]*,[0-9]*\]' "$out/server.txt" | head -1)
grep -q "$server_result" "$out/replay.txt" || fail "the replay's score differs from the session's ($server_result)"

# `pavilion play --record`: each title's bot run re-made exactly.
for t in driving cycling; do
  "$bin" play "$t" --headless --seconds 4 --seed 5 --record "$out/$t.replay" >"$out/play-$t.txt" 2>&1 || fail "play $t failed"
  "$bin" replay "$out/$t.replay" --json >"$out/replay-$t.txt" 2>&1 || fail "replay of $t failed"
  grep -q "\"title\":\"$t\",\"ticks\":[0-9]*,\"seconds\":4.0,\"identical\":true" "$out/replay-$t.txt" || fail "$t not identical"
done

# One changed byte: refused, naming the file and the reason, exit 1.
cp "$out/match.replay" "$out/tampered.replay"
printf '\x5a' | dd of="$out/tampered.replay" bs=1 seek=4000 conv=notrunc status=none
"$bin" replay "$out/tampered.replay" >"$out/tampered.txt" 2>&1
code=$?
[ "$code" = 1 ] || fail "a tampered replay exited $code, not 1"
grep -q "tampered.replay: not a usable replay: .*does not match its checksum: the file was changed or damaged" "$out/tampered.txt" ||
  fail "no reason for the tampered file"
"$bin" replay "$out/none.replay" >"$out/missing.txt" 2>&1
code=$?
[ "$code" = 1 ] || fail "a missing replay exited $code, not 1"
grep -q "none.replay: cannot open the replay" "$out/missing.txt" || fail "no reason for the missing file"
# A server killed with SIGKILL mid-session: its replay plays up to its last complete chunk and
# says where it stops.
"$bin" server --title hockey --lobby 0 --port 0 --seconds 120 --seed 4 --record "$out/killed.replay" >"$out/killed-server.txt" 2>&1 &
pid=$!
for _ in $(seq 1 1200); do
  size=$(stat -c %s "$out/killed.replay" 2>/dev/null || echo 0)
  [ "$size" -gt 60000 ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
kill -9 "$pid"
wait "$pid"
code=$?
[ "$code" = 137 ] || fail "the server was not killed by SIGKILL (exit $code)"
[ "$size" -gt 60000 ] || fail "the killed server's replay did not grow (size $size)"
"$bin" replay "$out/killed.replay" >"$out/killed.txt" 2>&1
code=$?
[ "$code" = 0 ] || fail "the killed server's replay exited $code, not 0"
grep -q "killed.replay: truncated at tick [1-9][0-9]*" "$out/killed.txt" || fail "the killed server's replay does not say where it was cut"
grep -q "hockey, [1-9][0-9]* ticks .* every state hash identical" "$out/killed.txt" || fail "the killed server's replay is not identical"
"$bin" replay "$out/killed.replay" --json >"$out/killed-json.txt" 2>/dev/null || fail "the killed replay's --json failed"
grep -q '"identical":true,"truncated":true' "$out/killed-json.txt" || fail "--json does not say truncated"
echo "replay_cli: ok"
