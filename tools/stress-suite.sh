#!/usr/bin/env bash
# Runs the suite N times while two busy processes hold both cores, the way CI's 2-core
# machine feels when something else runs beside the tests: a test that waits on the wall
# clock with thin margins fails here first.
#
#   tools/stress-suite.sh N [CTEST_ARGS...]
#
# Builds first (`make build`: installs what is missing, configures, builds; a no-op when the
# build is current), then N times `ctest --preset release -j JOBS` (what `make test` runs),
# with two CPU-bound busy loops beside it for the whole time. Extra arguments go to ctest
# (e.g. -R net to stress one room). Each run's log is kept in build/stress/<time>-<pid>/run-K.log.
# Prints each run's pass/fail counts and failed tests; exits 1 if any run failed, 2 on a bad
# argument. The busy loops are killed on any exit (trap), Ctrl-C included.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: tools/stress-suite.sh N [CTEST_ARGS...]   (N: how many runs, 1..1000)" >&2; exit 2; }
[ $# -ge 1 ] || usage
runs="$1"
shift
[[ "$runs" =~ ^[1-9][0-9]{0,2}$|^1000$ ]] || usage

jobs="${JOBS:-$(nproc)}"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$PWD/build/.xdg-runtime}"

# A folder per invocation, so two invocations never write into each other's logs.
logs=build/stress/$(date +%Y%m%d-%H%M%S)-$$
mkdir -p "$logs"
echo "stress-suite: building (make build; log in $logs/build.log)"
if ! make build JOBS="$jobs" >"$logs/build.log" 2>&1; then
  tail -n 40 "$logs/build.log"
  echo "stress-suite: FAILED: make build failed (log in $logs/build.log)"
  exit 1
fi

busy=()
ctest_pid=""
stop_busy() {
  local pid
  # A signal while ctest runs: end it and the tests it runs (its own process group).
  [ -n "$ctest_pid" ] && kill -TERM -- "-$ctest_pid" 2>/dev/null
  for pid in "${busy[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${busy[@]}"; do wait "$pid" 2>/dev/null || true; done
  busy=()
}
trap stop_busy EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# Two busy loops: one per core of a 2-core machine, at the tests' own priority. Each also
# stops by itself once this script is gone (even after a SIGKILL, which skips the trap).
parent=$$
for _ in 1 2; do
  ( trap - INT TERM EXIT
    while kill -0 "$parent" 2>/dev/null; do for ((i = 0; i < 200000; i++)); do :; done; done ) &
  busy+=($!)
done
echo "stress-suite: busy processes ${busy[*]} hold the cores; $runs run(s) of ctest --preset release -j $jobs $*"

failed_runs=0
summary=()
for ((k = 1; k <= runs; k++)); do
  log="$logs/run-$k.log"
  start=$SECONDS
  rc=0
  # In the background and in a process group of its own, so that a signal ends the wait at
  # once and the trap can end ctest with its tests.
  setsid ctest --preset release -j "$jobs" "$@" >"$log" 2>&1 &
  ctest_pid=$!
  wait "$ctest_pid" || rc=$?
  ctest_pid=""
  took=$((SECONDS - start))
  # ctest's summary: "97% tests passed, 2 tests failed out of 479"
  line=$(grep -aE '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -1 || true)
  if [ -n "$line" ]; then
    total=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$line")
    nfail=$(sed -E 's/.*passed, ([0-9]+) tests? failed.*/\1/' <<<"$line")
    counts="$((total - nfail)) passed, $nfail failed of $total"
  else
    nfail="?"
    counts="no ctest summary (ctest exited $rc; see $log)"
  fi
  if [ "$rc" -ne 0 ] || [ "$nfail" != "0" ]; then
    failed_runs=$((failed_runs + 1))
    verdict="FAILED"
  else
    verdict="ok"
  fi
  printf -v row 'run %d/%d: %s: %s in %d:%02d' "$k" "$runs" "$verdict" "$counts" $((took / 60)) $((took % 60))
  echo "stress-suite: $row"
  summary+=("$row")
  # The names of the failed tests (ctest lists them after "The following tests FAILED:").
  sed -n '/^The following tests FAILED:/,$p' "$log" | tr -d '\000' | sed -n 's/^[[:space:]]*[0-9]* - \(.*\)$/    \1/p'
  # And what each printed (the preset has --output-on-failure: the lines after its result, up to
  # the next test's), the last 60 lines of each: CI keeps only this script's output.
  if [ "$verdict" = FAILED ]; then
    tr -d '\000' <"$log" | awk '
      /^ *[0-9]+\/[0-9]+ Test +#[0-9]+: .*(Failed|Timeout|Exception|Not Run)/ { if (n) dump(); name = $0; n = 0; grab = 1; next }
      /^ *[0-9]+\/[0-9]+ Test +#[0-9]+: / || /^ *Start +[0-9]+: / || /^[0-9]+% tests passed/ { if (grab) dump(); grab = 0; next }
      grab { buf[n++] = $0 }
      function dump(  i, from) {
        print "  --- " name; from = n > 60 ? n - 60 : 0
        for (i = from; i < n; i++) print "    " buf[i]
        n = 0; grab = 0
      }
      END { if (grab) dump() }'
  fi
done

stop_busy
echo "stress-suite: summary ($runs run(s), two busy processes beside each)"
for row in "${summary[@]}"; do echo "  $row"; done
if [ "$failed_runs" -gt 0 ]; then
  echo "stress-suite: FAILED: $failed_runs of $runs run(s) had failures (logs in $logs/)"
  exit 1
fi
echo "stress-suite: ok: $runs of $runs run(s) passed"
