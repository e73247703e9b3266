# Shared by the floor's process tests (floor_cli.sh, attract_cli.sh, ../xr/station_agent_xr.sh): sourced with $bin, $out
# and $test_name set. Gives $key (the operator key file), $station_key (the station key file
# `director --init` writes next to it) and $state, a cleanup that also ends the session servers
# (they run in their own process sessions, so only their records find them), fail, ctl and
# start_director, start_station, wait_for, refused and expect.
key="$out/pavilion.key"
station_key="$out/pavilion.station.key"
state="$out/state"
pids=()

cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
  wait 2>/dev/null
  for r in "$state"/sessions/*.json; do
    [ -f "$r" ] || continue
    p=$(sed -n 's/.*"pid":\([0-9]*\).*/\1/p' "$r")
    [ -n "$p" ] && grep -qa server "/proc/$p/cmdline" 2>/dev/null && kill -9 "$p" 2>/dev/null
  done
}
trap 'cleanup 2>/dev/null' EXIT
fail() {
  echo "$test_name: $*"
  for f in "$out"/*.txt; do echo "== $f"; tail -n 40 "$f"; done
  exit 1
}
ctl() { "$bin" ctl --director "127.0.0.1:$port" --key "$key" "$@"; }

# Starts a director (on port $1, 0 for any) and sets $port and $director.
start_director() {
  local log="$out/director-$(date +%s%N).txt"
  "$bin" director --key "$key" --port "$1" --http 0 --state-dir "$state" --json >"$log.json" 2>"$log" &
  director=$!
  pids+=("$director")
  for _ in $(seq 300); do  # 30 s: a loaded machine starts programs slowly
    port=$(sed -n 's/.*"control":\([0-9]*\).*/\1/p' "$log.json" | head -1)
    [ -n "$port" ] && return 0
    sleep 0.1
  done
  fail "the director did not say its port"
}

# Starts a headless bot station agent named $1 (its output in $out/$1.txt, its pid in pids and
# in $pid_<name>, dashes as underscores: $pid_station_1).
start_station() {
  "$bin" station --director "127.0.0.1:$port" --name "$1" --key "$station_key" --bot --headless >"$out/$1.txt" 2>&1 &
  pids+=("$!")
  eval "pid_${1//-/_}=$!"
}
# Waits until `ctl stations --json` matches the pattern $1 (up to $2 seconds). A station's keys
# come sorted: address, health{...}, lastSeen, name, number, online, remaining, seat, session, state, title.
wait_for() {
  local deadline=$((SECONDS + $2))
  while [ $SECONDS -lt $deadline ]; do
    ctl stations --json 2>/dev/null | grep -Eq "$1" && return 0
    sleep 0.3
  done
  return 1
}

# Runs a command that must fail: exit status $1 (a refusal is 1, a bad request 2), the rest is
# the command; its output goes to $out/$2.
refused() {
  local code=$1 file=$2
  shift 2
  "$@" >"$out/$file" 2>&1
  local got=$?
  [ "$got" = "$code" ] || fail "'$*' exited $got, not $code: $(cat "$out/$file")"
}
# The same, and it must say $2 (a grep pattern); its output goes to $out/bad.txt.
expect() {
  local code=$1 pattern=$2
  shift 2
  refused "$code" bad.txt "$@"
  grep -q -- "$pattern" "$out/bad.txt" || fail "'$*' said: $(cat "$out/bad.txt")"
}

# For the tests that read one station's log, $log: waits until it has a line matching $1 (up to
# $2 seconds); the number of its first line at or after line $2 matching $1; and fails unless
# every pattern given matches a line, each after the one before.
wait_log() {
  local deadline=$((SECONDS + $2))
  while [ $SECONDS -lt $deadline ]; do
    grep -Eq "$1" "$log" 2>/dev/null && return 0
    sleep 0.25
  done
  return 1
}
line_of() { awk -v from="$2" -v pat="$1" 'NR >= from && $0 ~ pat { print NR; exit }' "$log"; }
in_order() {
  local n=1 at pattern
  for pattern in "$@"; do
    at=$(line_of "$pattern" "$n")
    [ -n "$at" ] || fail "the station's log lacks, in order: $pattern"
    n=$((at + 1))
  done
}
