#!/usr/bin/env bash
# Shader hot reload in desktop play (issue 7): `pavilion play hockey` in a window (under the X
# server that tests/render/with_xvfb.sh starts, validation on) watching a copy of shaders/.
# An edit that makes every surface magenta is reloaded while the match goes on; an edit glslc
# refuses prints glslc's own message (the file and line) and keeps the shaders in use; the
# original comes back on the next save. Pictures taken every simulated second show it: no
# magenta before the edit, mostly magenta after it and after the refused edit, none again
# after the original is back (pav_picture_probe counts the pixels). The window closes on
# SIGTERM (SDL turns it into a quit) and play prints its result line and exits 0 with no
# validation message.
# Usage: hot_reload_cli.sh PAVILION PICTURE_PROBE SHADER_SOURCES OUTDIR   (DISPLAY set)
set -uo pipefail
bin="$1"
probe="$2"
sources="$3"
out="$4"
rm -rf "$out" && mkdir -p "$out/src" "$out/png"
log="$out/play.txt"
play=""
trap '[ -n "$play" ] && kill -9 "$play" 2>/dev/null' EXIT
fail() {
  echo "hot_reload_cli: $*"
  echo "== $log" && tail -n 40 "$log"
  exit 1
}
wait_log() {  # a line matching $1 within $2 seconds
  local deadline=$((SECONDS + $2))
  while [ $SECONDS -lt $deadline ]; do
    grep -Eq "$1" "$log" 2>/dev/null && return 0
    kill -0 "$play" 2>/dev/null || return 1
    sleep 0.2
  done
  return 1
}
count() { grep -Ec "$1" "$log"; }
pictures() { ls "$out/png" | wc -l; }
# Sets $m to the fraction of magenta in the next picture (taken with the shaders in use now),
# once the one after it has begun (so the file is whole).
magenta_next() {
  local n=$(( $(pictures) + 1 ))
  for _ in $(seq 200); do [ "$(pictures)" -gt "$n" ] && break; sleep 0.2; done
  [ "$(pictures)" -gt "$n" ] || fail "no new picture"
  m=$("$probe" "$out/png/$(ls "$out/png" | sort | sed -n "${n}p")" 255 0 255 12) || fail "cannot read a picture"
}
at_most() { awk -v v="$1" -v m="$2" 'BEGIN { exit !(v <= m) }'; }

[ -n "${DISPLAY:-}" ] || fail "no DISPLAY: run under xvfb-run (tests/render/with_xvfb.sh)"
cp "$sources"/*.vert "$sources"/*.frag "$sources"/*.glsl "$out/src/" || fail "cannot copy $sources"
original="$(cat "$out/src/lit.frag")"
line='  outColor = vec4(toneMapNeutral(applyFog(lit, inWorldPosition, eye)), alpha);'
grep -qF "$line" "$out/src/lit.frag" || fail "lit.frag changed: update this test's edit"

"$bin" play hockey --seconds 600 --no-start --validation --shader-src "$out/src" --png "$out/png" >"$out/result.txt" 2>"$log" &
play=$!
wait_log 'in a window' 30 || fail "play did not start in a window"
wait_log "shaders: hot reload on: a saved edit under $out/src" 15 || fail "play does not say it watches $out/src"
magenta_next
before=$m
at_most "$before" 0.01 || fail "magenta ($before) before any edit"

# 1. Every surface magenta.
printf '%s\n' "${original/"$line"/  outColor = vec4(1.0, min(applyFog(lit, inWorldPosition, eye).g, 0.0), 1.0, max(alpha, 1.0));}" >"$out/src/lit.frag"
wait_log 'shaders: reloaded lit.vert and lit.frag' 30 || fail "the edit was not reloaded"
magenta_next
edited=$m
at_most 0.3 "$edited" || fail "the edit does not show: $edited of the picture is magenta"

# 2. glslc refuses: its message, the shaders stay.
printf '%s\n' "${original/"void main() {"/void main() {
  this is not glsl;}" >"$out/src/lit.frag"
wait_log 'the change did not compile; keeping the shaders in use' 30 || fail "the broken edit was not reported"
wait_log 'lit\.frag:[0-9]+: error' 15 || fail "glslc's message (file:line: error) was not printed"
[ "$(count 'shaders: reloaded')" -eq 1 ] || fail "a broken edit was reloaded"
magenta_next
kept=$m
at_most 0.3 "$kept" || fail "the shaders in use were lost: $kept of the picture is magenta"

# 3. The original again.
printf '%s\n' "$original" >"$out/src/lit.frag"
for _ in $(seq 150); do [ "$(count 'shaders: reloaded')" -ge 2 ] && break; sleep 0.2; done
[ "$(count 'shaders: reloaded')" -eq 2 ] || fail "the original was not reloaded"
magenta_next
after=$m
at_most "$after" 0.01 || fail "magenta ($after) after the original came back"
kill -TERM "$play"
wait "$play"
code=$?
play=""
[ $code -eq 0 ] || fail "play exited $code"
grep -Eq 'hockey: left [0-9]+ - [0-9]+ right after' "$out/result.txt" || fail "no result line: $(cat "$out/result.txt")"
grep -q 'validation layer reported' "$log" && fail "the validation layer reported messages"

echo "magenta: $before before, $edited edited, $kept after a refused edit, $after with the original"
echo "hot_reload_cli: ok"
