#!/usr/bin/env bash
# Runs Khronos' sample hello_xr (Debian package libopenxr-utils) against xr-sim through the
# real OpenXR loader, with the Khronos validation layer on for hello_xr's Vulkan, and checks
# that it ran clean: exit code 0, no error or warning line from hello_xr, the loader, the
# validation layer or the runtime, the runtime's own statistics show the frames rendered,
# no refused call, the session walked to EXITING, and the eye pictures were written.
#
# usage: run_hello_xr.sh MANIFEST_JSON GRAPHICS(Vulkan2|Vulkan) ARTIFACT_DIR [FRAMES]
# Prints "hello_xr: ok ..." on success, "hello_xr: FAIL: ..." (and the offending lines)
# otherwise; the full log is ARTIFACT_DIR/hello_xr.log.
set -u
manifest=$1 graphics=$2 out=$3 frames=${4:-270}

fail() {
  echo "hello_xr: FAIL: $*"
  exit 1
}

hello=$(command -v hello_xr) || fail "hello_xr is not installed (Debian package libopenxr-utils)"
[ -f "$manifest" ] || fail "no runtime manifest at $manifest (build pav_xr_sim first)"
rm -rf "$out" && mkdir -p "$out" || fail "cannot make $out"

# A private runtime folder (0700), and a FIFO for stdin: hello_xr quits on its first key
# press, and a FIFO opened read-write never delivers one (nor end of file).
xdg=$(mktemp -d /tmp/pav-hello-xr.XXXXXX) || fail "mktemp"
trap 'rm -rf "$xdg"' EXIT
chmod 700 "$xdg"
mkfifo -m 600 "$xdg/stdin" || fail "mkfifo"

export XDG_RUNTIME_DIR=$xdg
export XR_RUNTIME_JSON=$manifest
export PAV_XR_SIM_SCALE=0.25              # 458 x 480 per eye: quick on lavapipe
export PAV_XR_SIM_STOP_AFTER_FRAMES=$frames
export PAV_XR_SIM_STATS=$out/stats.json
export PAV_XR_SIM_PNG_DIR=$out/png
export PAV_XR_SIM_PNG_EVERY=90
export PAV_XR_SIM_LOG=1
unset PAV_XR_SIM_SCRIPT PAV_XR_SIM_LOSE_AFTER_FRAMES PAV_XR_SIM_VIEW PAV_XR_SIM_HZ PAV_XR_SIM_PROFILES
layer_json=""
for d in /usr/share/vulkan/explicit_layer.d /etc/vulkan/explicit_layer.d; do
  [ -f "$d/VkLayer_khronos_validation.json" ] && layer_json="$d/VkLayer_khronos_validation.json"
done
[ -n "$layer_json" ] || fail "the Khronos validation layer is not installed (Debian package vulkan-validationlayers)"
export VK_INSTANCE_LAYERS=VK_LAYER_KHRONOS_validation

log=$out/hello_xr.log
start=$(date +%s%N)
timeout 150 "$hello" -g "$graphics" -ff Hmd -vc Stereo -bm Opaque -s Local 0<>"$xdg/stdin" >"$log" 2>&1
rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))

# Anything at error or warning level, from anyone. hello_xr prints Vulkan debug reports as
# "ERROR:", "WARN:", "PERF:" lines; its own errors as "[Error" / "XrResult failure"; the
# OpenXR loader as "Error [" / "Warning ["; the runtime as "pav_xr_sim: refused".
bad=$(grep -nE '\[(Error|Warning)|^(Error|Warning) \[|(ERROR|WARN|PERF):|VUID-|Validation Error|XrResult failure|VkResult failure|pav_xr_sim: (refused|no picture|cannot)|terminate called|Segmentation' "$log" | head -20)
[ $rc -eq 124 ] && fail "timed out after 150 s (see $log)"
[ $rc -ne 0 ] && { echo "$bad"; fail "hello_xr exited with $rc (see $log)"; }
[ -n "$bad" ] && { echo "$bad"; fail "error, warning or validation lines in $log"; }
grep -q "Inserted device layer \"VK_LAYER_KHRONOS_validation\"\|VK_LAYER_KHRONOS_validation" "$log" ||
  echo "hello_xr: note: the log does not mention the validation layer being loaded"

stats=$out/stats.json
[ -f "$stats" ] || fail "the runtime wrote no statistics ($stats)"
grep -q "\"ended\": $frames," "$stats" || fail "hello_xr did not end $frames frames (see $stats)"
grep -q '"total": 0' "$stats" || { grep -A8 '"violations"' "$stats"; fail "the runtime refused calls (see $stats)"; }
grep -q '"EXITING"' "$stats" || fail "the session never reached EXITING (see $stats)"
missed=$(grep -o '"missed": [0-9]*' "$stats" | grep -o '[0-9]*$')
pictures=$(ls "$out/png"/*.png 2>/dev/null | wc -l)
[ "$pictures" -ge 2 ] || fail "no eye pictures in $out/png"
for p in "$out/png"/*.png; do
  [ "$(head -c 8 "$p" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || fail "$p is not a PNG"
done
echo "hello_xr: ok: -g $graphics ran $frames frames in ${ms} ms ($missed missed), exit 0, validation clean, $pictures eye pictures in $out/png"
