#!/usr/bin/env bash
# What a session sounds like, heard without a sound card: `pavilion play --audio-wav` and
# `pavilion replay --audio-wav` write the mix (OpenAL Soft's loopback device) as a 48 kHz stereo
# WAV; the same seed gives the same file; a recorded session heard again is the same length as
# its play. A file that cannot be written stops start-up naming it; an audio device that does
# not open is one line and silence, never a stop.
# Usage: audio_cli.sh PAVILION OUTDIR
set -uo pipefail
bin="$1"
out="$2"
rm -rf "$out" && mkdir -p "$out"
fail() { echo "audio_cli: $*"; for f in "$out"/*.txt; do echo "== $f"; tail -n 20 "$f"; done; exit 1; }

# The 44-byte header: RIFF/WAVE, PCM, 2 channels, 48000 Hz, 16 bits; the data's bytes.
check_wav() {
  local f="$1" want_frames="$2"
  [ -s "$f" ] || fail "$f was not written"
  [ "$(head -c 4 "$f")" = RIFF ] && [ "$(dd if="$f" bs=1 skip=8 count=4 status=none)" = WAVE ] || fail "$f is not a RIFF WAVE"
  local channels rate bits data
  channels=$(od -An -tu2 -j22 -N2 "$f" | tr -d ' ')
  rate=$(od -An -tu4 -j24 -N4 "$f" | tr -d ' ')
  bits=$(od -An -tu2 -j34 -N2 "$f" | tr -d ' ')
  data=$(od -An -tu4 -j40 -N4 "$f" | tr -d ' ')
  [ "$channels" = 2 ] && [ "$rate" = 48000 ] && [ "$bits" = 16 ] || fail "$f: $channels channels, $rate Hz, $bits bits"
  [ $((data + 44)) = "$(stat -c %s "$f")" ] || fail "$f: the header says $data bytes of samples, the file has $(stat -c %s "$f")"
  local frames=$((data / 4))
  # Within a tick's worth of frames of the length asked for.
  [ $((frames - want_frames)) -le 200 ] && [ $((want_frames - frames)) -le 200 ] ||
    fail "$f: $frames frames, expected about $want_frames"
}

# A hockey match: the 3 s start, 3 s of play, 2.5 s of the results chord dying away.
"$bin" play hockey --headless --seconds 3 --seed 4 --record "$out/match.replay" --audio-wav "$out/play.wav" \
  >"$out/play.txt" 2>&1 || fail "play --audio-wav failed"
grep -q 'audio: OpenAL Soft .*loopback, 48000 Hz, HRTF' "$out/play.txt" || fail "no audio line naming the loopback device and HRTF"
grep -q 'audio: 8.5 s of 48 kHz stereo in .*play.wav; RMS left -[0-9.]* dBFS' "$out/play.txt" || fail "no length and levels"
check_wav "$out/play.wav" $((48000 * 17 / 2))

# The same seed, the same sound, byte for byte.
"$bin" play hockey --headless --seconds 3 --seed 4 --audio-wav "$out/again.wav" >"$out/again.txt" 2>&1 || fail "the second play failed"
cmp -s "$out/play.wav" "$out/again.wav" || fail "the same session sounded different"

# The recording heard again: 3 s of play and the tail (a replay has no start).
"$bin" replay "$out/match.replay" --audio-wav "$out/replay.wav" >"$out/replay.txt" 2>&1 || fail "replay --audio-wav failed"
grep -q 'every state hash identical' "$out/replay.txt" || fail "the replay was not identical"
check_wav "$out/replay.wav" $((48000 * 11 / 2))

# A file that cannot be written: start-up stops naming it.
"$bin" play hockey --headless --seconds 1 --audio-wav /nonexistent-dir/x.wav >"$out/unwritable.txt" 2>&1
code=$?
[ "$code" = 1 ] || fail "an unwritable WAV exited $code, not 1"
grep -q "cannot write the WAV file '/nonexistent-dir/x.wav'" "$out/unwritable.txt" || fail "the unwritable file was not named"

# A device that is not there: one line, silence, the play goes on to its results.
"$bin" play hockey --headless --seconds 1 --audio-device pavilion-no-such-device >"$out/nodevice.txt" 2>&1 ||
  fail "a missing audio device stopped the play"
[ "$(grep -c 'audio' "$out/nodevice.txt")" = 1 ] || fail "not exactly one audio line for a missing device"
grep -q "no sound: the audio device 'pavilion-no-such-device' did not open; silence" "$out/nodevice.txt" || fail "no line for the missing device"
grep -q 'hockey: left [0-7] - [0-7] right' "$out/nodevice.txt" || fail "no results after a missing device"

echo "audio_cli: ok"
