#!/usr/bin/env bash
# `pavilion soak` as CI runs it. Usage: soak_cli.sh PAVILION OUTDIR CASE [MINUTES], CASE one of
#   run        a soak of MINUTES: exit 0 and its JSON meets every target (no session lost, no
#              zombie, RSS and descriptors flat), with at least one session completed, a station
#              killed, the director restarted, and every replay loaded and re-made; first a bad
#              --minutes and a --state folder that is not a soak's are refused with exit 2, the
#              folder untouched
#   interrupt  SIGTERM to a soak in its warm-up: it exits 130 and no process it started (director,
#              stations, session servers, all named by the soak's folder) is left
set -uo pipefail
bin="$1"
out="$2"
case_name="$3"
minutes="${4:-1}"
rm -rf "$out" && mkdir -p "$out"
fail() {
  echo "soak_cli $case_name: $*"
  for f in "$out"/report.* "$out"/soak.err; do [ -f "$f" ] && { echo "== $f"; tail -c 4000 "$f"; echo; }; done
  exit 1
}
# The processes whose command line names the soak's folder (all of the floor's do).
leftovers() {
  local found=""
  for c in /proc/[0-9]*/cmdline; do
    tr '\0' ' ' <"$c" 2>/dev/null | grep -q -- "$out/" && found="$found ${c//[^0-9]/}"
  done
  echo "$found"
}

case "$case_name" in
run)
  "$bin" soak --minutes 0 >"$out/bad.txt" 2>&1
  rc=$?
  [ $rc = 2 ] || fail "--minutes 0 exited $rc, not 2"
  grep -q -- "--minutes" "$out/bad.txt" || fail "--minutes 0 said: $(cat "$out/bad.txt")"
  # A folder with files that is not a soak's (a director's real state folder) is never touched.
  mkdir -p "$out/other/sessions" && echo keep >"$out/other/sessions/s1.json"
  "$bin" soak --minutes 1 --state "$out/other" >"$out/bad.txt" 2>&1
  rc=$?
  [ $rc = 2 ] || fail "a foreign --state folder: exited $rc, not 2"
  grep -q "is not a soak's folder" "$out/bad.txt" || fail "a foreign --state folder said: $(cat "$out/bad.txt")"
  [ "$(cat "$out/other/sessions/s1.json")" = keep ] || fail "the foreign folder was changed"
  "$bin" soak --minutes "$minutes" --json --state "$out/floor" --seed 1 >"$out/report.json" 2>"$out/soak.err"
  rc=$?
  [ $rc = 0 ] || fail "the soak exited $rc (4: a target missed)"
  r=$(cat "$out/report.json")
  echo "$r"
  grep -q '"targets":{"ok":true,"missed":\[\]}' <<<"$r" || fail "targets not met"
  grep -q '"lost":0,' <<<"$r" || fail "a session was lost"
  grep -Eq '"completed":[1-9][0-9]*,' <<<"$r" || fail "no session completed"
  grep -Eq '"stationKills":[1-9][0-9]*,"directorRestarts":[1-9]' <<<"$r" || fail "the faults were not injected"
  grep -Eq '"replays":\{"expected":([1-9][0-9]*),"recorded":\1,"loadable":\1,"identical":\1,' <<<"$r" ||
    fail "replays missing or not re-made"
  grep -q '"zombies":{"persistent":0,"atEnd":0,' <<<"$r" || fail "zombies"
  for n in 1 2 7 8; do
    grep -Eq "\"name\":\"station-$n\",\"pid\":[0-9]+,\"restarts\":0,\"measured\":true" <<<"$r" ||
      fail "station-$n was not measured from warm-up to the end"
  done
  [ -z "$(leftovers)" ] || fail "processes left after the soak: $(leftovers)"
  ;;
interrupt)
  "$bin" soak --minutes 5 --state "$out/floor" >"$out/report.txt" 2>"$out/soak.err" &
  soak=$!
  for _ in $(seq 600); do
    grep -q '"session"' "$out"/floor/logs/station-*-1.out 2>/dev/null && break  # a session has ended
    [ -d "$out/floor/state/sessions" ] && ls "$out"/floor/state/sessions/*.log >/dev/null 2>&1 && break
    sleep 0.2
  done
  ls "$out"/floor/state/sessions/*.log >/dev/null 2>&1 || { kill -9 $soak; fail "no session started"; }
  sleep 2
  kill -TERM $soak
  wait $soak
  rc=$?
  [ $rc = 130 ] || fail "the interrupted soak exited $rc, not 130"
  grep -q "interrupted; ending the floor" "$out/soak.err" || fail "no word of the interruption"
  sleep 0.5
  [ -z "$(leftovers)" ] || fail "processes left after the interrupted soak: $(leftovers)"
  ;;
*)
  fail "unknown case"
  ;;
esac
echo "soak_cli $case_name: ok"
