#!/usr/bin/env bash
# The presenters' models come from the title's data folder (`pavilion play --data DIR`:
# DIR/models/NAME.gltf), and a bad one stops the program with a message naming the file:
#   a copy of assets/ plays and draws (driving, hockey);
#   a truncated DIR/models/car.gltf, a missing one, a truncated hockey_table.gltf: exit 1 (not a
#   crash) with "pavilion: error: DIR/models/NAME.gltf: <the problem>";
#   cycling given its own folder (--data DIR/cycling) takes the models beside it, DIR/models;
#   a corrupt, missing, oversized (5000 x 5000) or GIF texture in DIR/models/textures: exit 1 with
#   "pavilion: error: [DIR/models/NAME.gltf: ]DIR/models/textures/T.png: <the problem>".
# Usage: models_data_cli.sh PAVILION ASSETS OUTDIR
set -uo pipefail
bin="$1"
assets="$2"
out="$3"
rm -rf "$out" && mkdir -p "$out"
fail() { echo "models_data_cli: $*"; for f in "$out"/*.txt; do echo "== $f"; tail -n 20 "$f"; done; exit 1; }

data="$out/data"
cp -r "$assets" "$data" || fail "cannot copy $assets"

# Runs `pavilion play TITLE --headless --seconds 1 --png OUT/NAME --data DATA` into NAME.txt;
# the exit code in $code.
play() {
  local name="$1" title="$2" dir="$3"
  "$bin" play "$title" --headless --seconds 1 --data "$dir" --png "$out/$name" >"$out/$name.txt" 2>&1
  code=$?
}
# The run NAME failed cleanly (exit 1, not a signal) with the error line matching $2.
expect_error() {
  [ "$code" -eq 1 ] || fail "$1: exit code $code, expected 1 (a clean error)"
  grep -Eq "^pavilion: error: $2" "$out/$1.txt" || fail "$1: no error line matching: $2"
  if ls "$out/$1"/*.png >/dev/null 2>&1; then fail "$1: pictures were written despite the error"; fi
}

# The copy plays and draws.
for t in driving hockey; do
  play "good-$t" "$t" "$data"
  [ "$code" -eq 0 ] || fail "good-$t: exit code $code with an intact copy of the assets"
  grep -Eq '[1-9][0-9]* picture\(s\) in' "$out/good-$t.txt" || fail "good-$t: no pictures"
  ls "$out/good-$t"/*.png >/dev/null 2>&1 || fail "good-$t: no picture files"
done

# A truncated car model: the car is read from the data folder, and the message says so.
cp "$assets/models/car.gltf" "$out/car.gltf.orig"
head -c 300 "$out/car.gltf.orig" >"$data/models/car.gltf"
play corrupt-car driving "$data"
expect_error corrupt-car "$data/models/car\\.gltf: not readable as glTF"

# A missing one.
rm "$data/models/car.gltf"
play missing-car driving "$data"
expect_error missing-car "$data/models/car\\.gltf: cannot open"
cp "$out/car.gltf.orig" "$data/models/car.gltf"

# Hockey's table model, truncated.
head -c 300 "$assets/models/hockey_table.gltf" >"$data/models/hockey_table.gltf"
play corrupt-table hockey "$data"
expect_error corrupt-table "$data/models/hockey_table\\.gltf: not readable as glTF"
cp "$assets/models/hockey_table.gltf" "$data/models/hockey_table.gltf"

# Textures (DIR/models/textures): a bad one stops the presenter naming the texture and the problem.
tex="$data/models/textures"
cp "$tex/livery.png" "$out/livery.png.orig"
printf '\211PNG\r\n\032\nnot really' >"$tex/livery.png"
play corrupt-livery driving "$data"
expect_error corrupt-livery "$data/models/car\\.gltf: $tex/livery\\.png: corrupt PNG"
cp "$out/livery.png.orig" "$tex/livery.png"
cp "$tex/grass.png" "$out/grass.png.orig"
rm "$tex/grass.png"
play missing-grass driving "$data"
expect_error missing-grass "$tex/grass\\.png: the texture file does not exist"
cp "$out/grass.png.orig" "$tex/grass.png"
# A PNG header claiming 5000 x 5000: refused from the header, nothing decoded.
cp "$tex/hockey_surface.png" "$out/hockey_surface.png.orig"
printf '\211PNG\r\n\032\n\000\000\000\015IHDR\000\000\023\210\000\000\023\210\010\006\000\000\000\000\000\000\000' \
  >"$tex/hockey_surface.png"
play oversized-surface hockey "$data"
expect_error oversized-surface "$data/models/hockey_table\\.gltf: $tex/hockey_surface\\.png: the image is 5000x5000, over the 4096"
printf 'GIF89a\001\000\001\000' >"$tex/hockey_surface.png"
play gif-surface hockey "$data"
expect_error gif-surface "$data/models/hockey_table\\.gltf: $tex/hockey_surface\\.png: unsupported image format \\(GIF\\)"
cp "$out/hockey_surface.png.orig" "$tex/hockey_surface.png"

# Cycling given the cycling folder itself: the models beside it (DIR/models), here missing.
rm "$data/models/bike_rider.gltf"
play missing-rider cycling "$data/cycling"
expect_error missing-rider "$data/models/bike_rider\\.gltf: cannot open"

echo "models_data_cli: ok"
