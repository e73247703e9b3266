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
"$bin" server --title hockey --port 0 --seconds 3 --seed 9 --record "$out/match.replay" >"$out/server.txt" 2>&1 ||
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
grep -q "tampered.replay: not a usable replay: its checksum does not match" "$out/tampered.txt" || fail "no reason for the tampered file"
"$bin" replay "$out/none.replay" >"$out/missing.txt" 2>&1
code=$?
[ "$code" = 1 ] || fail "a missing replay exited $code, not 1"
grep -q "none.replay: cannot open the replay" "$out/missing.txt" || fail "no reason for the missing file"
echo "replay_cli: ok"
