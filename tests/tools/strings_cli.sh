#!/usr/bin/env bash
# The string tables at start-up of the visitor-facing programs (`pavilion play`, `station`): a
# copy of assets/ plays in both languages; a missing engine table, a key missing a language, a
# title table without its name stop start-up with exit 1 and a line naming the file and the key,
# before anything plays or connects.
# Usage: strings_cli.sh PAVILION ASSETS OUTDIR
set -uo pipefail
bin="$1"
assets="$2"
out="$3"
rm -rf "$out" && mkdir -p "$out"
fail() { echo "strings_cli: $*"; for f in "$out"/*.txt; do echo "== $f"; tail -n 20 "$f"; done; exit 1; }

data="$out/data"
cp -r "$assets" "$data" || fail "cannot copy $assets"
play() {  # NAME ARGS...: `pavilion play hockey --headless --seconds 1 --no-start --data DATA ARGS` into NAME.txt
  local name="$1"
  shift
  "$bin" play hockey --headless --seconds 1 --no-start --data "$data" "$@" >"$out/$name.txt" 2>&1
  code=$?
}
expect() {  # NAME CODE REGEX
  [ "$code" -eq "$2" ] || fail "$1: exit code $code, expected $2"
  grep -Eq "$3" "$out/$1.txt" || fail "$1: no line matching: $3"
}

play good-zh --lang zh
expect good-zh 0 "hockey: left [0-7] - [0-7] right"
play good-en --lang en-GB
expect good-en 0 "hockey: left [0-7] - [0-7] right"
play bad-lang --lang fr
expect bad-lang 2 "bad language 'fr' \\(zh or en\\)"

# A key with no English.
cp "$data/engine/strings.json" "$out/engine.json"
sed -i 's/"en": "Welcome"/"fr": "Bienvenue"/' "$data/engine/strings.json"
play no-english
expect no-english 1 "^pavilion: error: string table $data/engine/strings.json, key \"lobby.welcome\": "
# A key the screens use, gone.
grep -v '"results.thanks"' "$out/engine.json" >"$data/engine/strings.json"
play no-thanks
expect no-thanks 1 "^pavilion: error: string table $data/engine/strings.json: no key \"results.thanks\""
# No engine table at all; a station stops before it connects.
rm "$data/engine/strings.json"
play no-engine
expect no-engine 1 "^pavilion: error: string table $data/engine/strings.json: cannot be read"
"$bin" station --connect 127.0.0.1:9 --bot --headless --data "$data" --token 00 >"$out/station-no-engine.txt" 2>&1
code=$?
expect station-no-engine 1 "^pavilion: error: string table $data/engine/strings.json: cannot be read"
cp "$out/engine.json" "$data/engine/strings.json"

# A title's table without its name; one that is not JSON.
printf '{"howto.controllers.1": {"zh": "一", "en": "one"}, "howto.controllers.2": {"zh": "二", "en": "two"}}' \
  >"$data/hockey/strings.json"
play no-name
expect no-name 1 "^pavilion: error: string table $data/hockey/strings.json: no key \"title.name\""
printf '{"title.name": ' >"$data/hockey/strings.json"
play not-json
expect not-json 1 "^pavilion: error: string table $data/hockey/strings.json: not JSON"
echo "strings_cli: ok"
