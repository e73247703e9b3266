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
         games/rockets/src/rockets_present.cpp tests/rockets/CMakeLists.txt tests/rockets/rockets_test.cpp; do
  [ -s "$work/src/$f" ] || fail "new-title did not write $f"
done
set +e
msg=$(cd "$work/src" && "$pavilion" new-title rockets 2>&1); code=$?
set -e
[ "$code" = 2 ] || fail "a second new-title rockets: exit $code, expected 2"

# A lean build: no build type (no optimisation, no debug info), no benchmarks; only the two targets.
cmake -S "$work/src" -B "$work/build" -DCMAKE_BUILD_TYPE= -DPAV_BUILD_BENCH=OFF -DPAV_BUILD_TESTS=ON >"$work/configure.log" 2>&1 ||
  { tail -30 "$work/configure.log"; fail "configure"; }
grep -q "Titles ([0-9]*): .*rockets" "$work/configure.log" || fail "the build did not find games/rockets"
cmake --build "$work/build" -j2 --target pavilion pav_rockets_tests >"$work/build.log" 2>&1 ||
  { grep -E "error|Error" "$work/build.log" | head -30; fail "build"; }

"$work/build/bin/pav_rockets_tests" || fail "the rockets tests"
out=$("$work/build/bin/pavilion" play rockets --headless --seconds 2 --json) || fail "pavilion play rockets: $out"
echo "$out"
echo "$out" | grep -q '{"title":"rockets","scores":\[[0-9]' || fail "pavilion play rockets printed no results"
# Its presenter, found through the generated registry, draws a picture a second.
"$work/build/bin/pavilion" play rockets --headless --seconds 2 --png "$work/png" || fail "pavilion play rockets --png"
[ -s "$work/png/rockets-0002.png" ] || fail "no pictures of rockets"
rm -rf "$work"
echo "new_title_cli: ok"
