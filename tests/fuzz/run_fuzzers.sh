#!/usr/bin/env bash
# Builds the fuzz targets with clang (this folder as its own CMake project), writes their seed
# corpora and runs each for a bounded time. Registered with ctest by tests/fuzz/CMakeLists.txt
# (label `fuzz`: fuzz.build, then fuzz.<target>); also fine by hand.
#
#   run_fuzzers.sh build BUILD_DIR                 configure, build, write the seeds
#   run_fuzzers.sh run   BUILD_DIR TARGET [SECONDS] fuzz one target (built already)
#   run_fuzzers.sh all   BUILD_DIR [SECONDS]        build, then every target in turn
#
# SECONDS per target: the argument, else $PAV_FUZZ_SECONDS, else 10. $PAV_FUZZ_CXX and $CMAKE
# choose clang++ and cmake; $PAV_FUZZ_JOBS the build's parallelism (default 2);
# $PAV_FUZZ_LAUNCHER a compiler launcher such as ccache.
# A run fails when libFuzzer finds a crash, a leak, a timeout, an out-of-memory or a broken
# FUZZ_CHECK; the input is kept in BUILD_DIR/artifacts/ and the command to replay it is printed.
# BUILD_DIR/corpus/<target>/ keeps what each run found, so later runs start further on.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
targets=(inputs snapshot handshake bitstream net_profile config control token director ftms desk)  # as in CMakeLists.txt
cmake_bin="${CMAKE:-cmake}"
cxx="${PAV_FUZZ_CXX:-clang++}"

usage() {
  sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

build() {
  local dir="$1"
  local start=$SECONDS
  "$cmake_bin" -S "$here" -B "$dir" -DCMAKE_CXX_COMPILER="$cxx" \
    ${PAV_FUZZ_LAUNCHER:+-DCMAKE_CXX_COMPILER_LAUNCHER="$PAV_FUZZ_LAUNCHER"} >"$dir/configure.log" 2>&1 || {
    cat "$dir/configure.log" >&2
    echo "fuzz: configuring $dir failed (above)" >&2
    exit 1
  }
  "$cmake_bin" --build "$dir" -j "${PAV_FUZZ_JOBS:-2}"
  rm -rf "$dir/seeds"
  "$dir/fuzz_seeds" "$dir/seeds"
  echo "fuzz: built and seeded in $((SECONDS - start)) s"
}

run() {
  local dir="$1" target="$2" seconds="${3:-${PAV_FUZZ_SECONDS:-10}}"
  local exe="$dir/fuzz_$target"
  [[ -x "$exe" && -d "$dir/seeds/$target" ]] || {
    echo "fuzz: $exe or its seeds are missing; run '$0 build $dir' first" >&2
    exit 1
  }
  mkdir -p "$dir/corpus/$target" "$dir/artifacts"
  local log="$dir/fuzz_$target.log"
  echo "fuzz: $target for $seconds s (log: $log)"
  # -timeout: an input running 5 s is a hang here (they take microseconds);
  # -rss_limit_mb: these decoders allocate kilobytes; -max_len covers a jumbo datagram.
  set +e
  ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}" \
  UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}" \
    "$exe" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=1024 -max_len=4096 \
    -print_final_stats=1 -artifact_prefix="$dir/artifacts/$target-" \
    "$dir/corpus/$target" "$dir/seeds/$target" >"$log" 2>&1
  local rc=$?
  set -e
  grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "$log" |
    sed "s/^/fuzz: $target /" || true
  grep -E '^#[0-9]+.*DONE' "$log" | tail -n 1 | sed "s/^/fuzz: $target /" || true
  if [[ $rc -ne 0 ]]; then
    tail -n 60 "$log" >&2
    local artifact
    artifact="$(grep -oE "Test unit written to [^ ]+" "$log" | tail -n 1 | cut -d' ' -f5 || true)"
    echo "fuzz: $target FAILED (exit $rc)${artifact:+; replay with: $exe $artifact}" >&2
    exit 1
  fi
  echo "fuzz: $target passed"
}

[[ $# -ge 2 ]] || usage
mode="$1"
dir="$(mkdir -p "$2" && cd "$2" && pwd)"
case "$mode" in
  build) build "$dir" ;;
  run)
    [[ $# -ge 3 ]] || usage
    run "$dir" "$3" "${4:-}"
    ;;
  all)
    build "$dir"
    for t in "${targets[@]}"; do run "$dir" "$t" "${3:-}"; done
    ;;
  *) usage ;;
esac
