#!/usr/bin/env bash
# `pavilion new-title` end to end, as a developer meets it (docs/new-title.md, step one): in a
# copy of the source tree, make the title `rockets`, build only pavilion and its tests, run the
# tests and play it. Slow: it compiles the engine (ctest labels "cli;scaffold").
#   new_title_cli.sh PAVILION SOURCE_DIR [WORK_DIR]
set -euo pipefail
pavilion=${1:?usage: new_title_cli.sh PAVILION SOURCE_DIR [WORK_DIR]}
src=$(cd "${2:?usage: new_title_cli.sh PAVILION SOURCE_DIR [WORK_DIR]}" && pwd)
work=${3:-$(mktemp -d "${TMPDIR:-/tmp}/pav-new-title.XXXXXX")}
fail() { echo "new_title_cli: FAILED: $*" >&2; exit 1; }
rm -rf "$work/src" "$work/build"
mkdir -p "$work/src" "$work/xdg"
chmod 700 "$work/xdg"
export XDG_RUNTIME_DIR="$work/xdg"

# The checkout as git sees it (tracked files plus new ones not ignored; no build folders).
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  (cd "$src" && git ls-files -z --cached --others --exclude-standard) |
    while IFS= read -r -d '' f; do [ -f "$src/$f" ] && printf '%s\0' "$f"; done |
    (cd "$src" && xargs -0 cp --parents -t "$work/src")
else
  tar -C "$src" --exclude='./build*' --exclude='./.git' -cf - . | tar -C "$work/src" -xf -
fi
echo "new_title_cli: copied $(find "$work/src" -type f | wc -l) files to $work/src"

# Names refused with exit code 2 and a message; nothing written.
for bad in Rockets 9lives class hockey; do
  set +e
  msg=$(cd "$work/src" && "$pavilion" new-title "$bad" 2>&1)
  code=$?
  set -e
  [ "$code" = 2 ] || fail "new-title $bad: exit $code, expected 2 ($msg)"
  echo "new_title_cli: refused '$bad': $msg"
done
[ ! -e "$work/src/games/class" ] || fail "a refused name wrote files"

(cd "$work/src/games" && "$pavilion" new-title rockets) || fail "new-title rockets"
for f in games/rockets/CMakeLists.txt games/rockets/include/pav/rockets/rockets.h games/rockets/src/rockets.cpp \
         games/rockets/src/rockets_present.cpp assets/rockets/strings.json tests/rockets/CMakeLists.txt \
         tests/rockets/rockets_test.cpp; do
  [ -s "$work/src/$f" ] || fail "new-title did not write $f"
done
set +e
msg=$(cd "$work/src" && "$pavilion" new-title rockets 2>&1); code=$?
set -e
[ "$code" = 2 ] || fail "a second new-title rockets: exit $code, expected 2"

# A lean build: no build type (no optimisation, no debug info), no benchmarks; only the two targets.
# $PAV_COMPILER_LAUNCHER (ccache, from the main build's configure) speeds up later runs.
cmake -S "$work/src" -B "$work/build" -DCMAKE_BUILD_TYPE= -DPAV_BUILD_BENCH=OFF -DPAV_BUILD_TESTS=ON \
  ${PAV_COMPILER_LAUNCHER:+-DCMAKE_CXX_COMPILER_LAUNCHER="$PAV_COMPILER_LAUNCHER" -DCMAKE_C_COMPILER_LAUNCHER="$PAV_COMPILER_LAUNCHER"} \
  >"$work/configure.log" 2>&1 ||
  { tail -30 "$work/configure.log"; fail "configure"; }
grep -q "Titles ([0-9]*): .*rockets" "$work/configure.log" || fail "the build did not find games/rockets"
cmake --build "$work/build" -j2 --target pavilion pav_rockets_tests pav_xr_sim >"$work/build.log" 2>&1 ||
  { grep -E "error|Error" "$work/build.log" | head -30; fail "build"; }

"$work/build/bin/pav_rockets_tests" || fail "the rockets tests"
out=$("$work/build/bin/pavilion" play rockets --headless --seconds 2 --json) || fail "pavilion play rockets: $out"
echo "$out"
echo "$out" | grep -q '{"title":"rockets","scores":\[[0-9]' || fail "pavilion play rockets printed no results"
# Its presenter, found through the generated registry, draws a picture a second.
"$work/build/bin/pavilion" play rockets --headless --seconds 2 --png "$work/png" || fail "pavilion play rockets --png"
[ -s "$work/png/rockets-0002.png" ] || fail "no pictures of rockets"

# In the simulated headset, with no edit outside games/rockets and tests/rockets: the visitor
# stands on the seat's spot (its presenter's Seat: the title's coordinates are the stage's),
# the right controller moves the marker (the default headset mapping), and each touch is felt
# (its presenter's feel). The script sweeps the hand across the whole box the target can be
# in (rows 15 cm apart at two depths: every point is within 11 cm of the path, the reach is
# 15 cm), so the marker touches the target whatever the seed put it.
script="$work/sweep.txt"
awk 'BEGIN {
  print "at 0"; print "head 0 1.6 0  0 0 0"
  t = 0; x = -0.45; split("-0.575 -0.725", zs, " "); split("0.85 1.0 1.15 1.3 1.45 1.6", ys, " ")
  for (i = 1; i <= 2; i++) for (j = 1; j <= 6; j++) {
    printf "at %.2f\nright %.2f %s %s  0 0 0\n", t, x, ys[j], zs[i]; t += 0.75; x = -x
    printf "at %.2f\nright %.2f %s %s  0 0 0\n", t, x, ys[j], zs[i]; t += 0.1
  }
}' >"$script"
out=$(XR_RUNTIME_JSON="$work/build/xr-sim/pav_xr_sim.json" PAV_XR_SIM_SCALE=0.25 PAV_XR_SIM_SCRIPT="$script" \
      "$work/build/bin/pavilion" play rockets --xr --bots 1 --seconds 12 --json --validation 2>&1) ||
  fail "pavilion play rockets --xr: $out"
echo "$out"
echo "$out" | grep -q "in the headset (Pavilion xr-sim" || fail "rockets did not play in the headset"
echo "$out" | grep -q '{"title":"rockets","scores":\[[1-9]' || fail "the visitor's hand never touched a target"
echo "$out" | grep -Eq "pavilion play: [1-9][0-9]* haptic pulse" || fail "no touch was felt in the hand"
rm -rf "$work"
echo "new_title_cli: ok"
