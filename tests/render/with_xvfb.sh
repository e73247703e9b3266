#!/usr/bin/env bash
# Runs a test program under a private Xvfb (xvfb-run -a). Two test runs starting X servers at
# the same moment can race for a display number; only when the X server itself fails to start
# is it tried again (up to 3 times). A failure of the test program is never retried.
set -u
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
for attempt in 1 2 3; do
  xvfb-run -a -s "-screen 0 1024x768x24" "$@" 2> >(tee "$log" >&2)
  rc=$?
  wait
  if [ "$rc" -ne 0 ] && grep -q "Xvfb failed to start" "$log"; then
    echo "with_xvfb: the X server did not start (attempt $attempt); trying again" >&2
    sleep "$attempt"
    continue
  fi
  exit "$rc"
done
exit "$rc"
