#!/usr/bin/env bash
# The title seam (docs/architecture.md): the engine and the station host know no title. This
# scans their sources, comments left out, for any title the build found (cmake/PavTitle.cmake)
# named as a string ("hockey"), a namespace (hockey::), a header (pav/hockey/) or a class
# (HockeyTitle). The demo (demo_scene, demo_command, pavilion_demo) may name a title: it shows
# one; so may robot-eval (robot_eval_command): it measures the hockey robot. Usage: title_seam_scan.sh SOURCE_DIR TITLE...
set -uo pipefail
src=${1:?usage: title_seam_scan.sh SOURCE_DIR TITLE...}
shift
[ $# -gt 0 ] || { echo "title_seam_scan: no titles given" >&2; exit 2; }
cd "$src" || exit 2
files=$(find engine tools/pavilion tools/director tools/dashboard -type f \
          \( -name '*.cpp' -o -name '*.h' -o -name '*.js' -o -name '*.html' \) |
        grep -Ev '/(demo_scene\.(cpp|h)|demo_command\.cpp|pavilion_demo\.cpp|robot_eval_command\.cpp)$' | sort)
[ -n "$files" ] || { echo "title_seam_scan: no sources under $src" >&2; exit 2; }
found=0
for t in "$@"; do
  T="$(printf '%s' "${t:0:1}" | tr '[:lower:]' '[:upper:]')${t:1}"
  pattern="\"$t\"|\\b$t::|pav/$t/|\\b${T}Title\\b"
  # Line comments and whole-line block-comment lines are prose, not code.
  hits=$(for f in $files; do
           sed -e 's://.*$::' -e 's:^\s*\*.*$::' "$f" | grep -nE "$pattern" | sed "s|^|$f:|"
         done)
  if [ -n "$hits" ]; then
    echo "title_seam_scan: '$t' is named by the engine or the host (give the title a hook instead):"
    echo "$hits"
    found=1
  fi
done
n=$(echo "$files" | wc -l)
[ $found -eq 0 ] && echo "title_seam_scan: ok: $n source files name none of: $*"
exit $found
