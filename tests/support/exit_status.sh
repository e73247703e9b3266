#!/usr/bin/env bash
# Runs a command and checks its exit status as well: ctest ignores the status of a test that
# has a PASS_REGULAR_EXPRESSION, so a program that printed the expected line and then crashed
# or exited with the wrong code would pass. The command's output passes through unchanged; a
# status other than the expected one adds a line that the test's FAIL_REGULAR_EXPRESSION
# ("exit_status: FAILED", set by pav_cli_test in tests/CMakeLists.txt) turns into a failure,
# and this script exits 1 as well.
# Usage: exit_status.sh STATUS COMMAND [ARGS...]
set -u
if [ $# -lt 2 ] || ! [[ "$1" =~ ^[0-9]+$ ]]; then
  echo "exit_status: FAILED: usage: exit_status.sh STATUS COMMAND [ARGS...]"
  exit 2
fi
expected="$1"
shift
"$@"
status=$?
if [ "$status" -ne "$expected" ]; then
  how="exited $status"
  [ "$status" -gt 128 ] && how="$how (signal $((status - 128)): $(kill -l $((status - 128)) 2>/dev/null))"
  echo "exit_status: FAILED: $(basename "$1") $how, expected $expected"
  exit 1
fi
exit 0
