#!/usr/bin/env bash
# Installs the Debian 12 packages the Pavilion engine builds and tests with.
# Does nothing when every package is already present; otherwise says what it installs.
# Uses sudo when not run as root. Safe to run again and again.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake pkg-config git
  # fuzz tests (tests/fuzz): clang and its libFuzzer runtime
  clang libclang-rt-14-dev
  # libraries (design card)
  libsdl2-dev libvulkan-dev libvulkan-volk-dev libglm-dev libbullet-dev
  libopenxr-dev libenet-dev libgtest-dev libgmock-dev
  # build tools and helpers
  glslc spirv-tools libstb-dev libbenchmark-dev libcli11-dev nlohmann-json3-dev libtinygltf-dev
  # the control channel and the director's dashboard (issue 6)
  libsodium-dev libcpp-httplib-dev
  # the dashboard's HTTPS and its certificate (issue 13)
  libssl-dev
  # test runtime: lavapipe (CPU Vulkan 1.3), Khronos validation layer, virtual X server
  mesa-vulkan-drivers vulkan-validationlayers xvfb xauth
  # the dashboard's browser test: Debian's Chromium, driven by playwright-core from npm
  chromium
  # Khronos' hello_xr, run against the simulated headset (tests/xr-sim)
  libopenxr-utils
  # text (issue 14): glyphs (FreeType's SDF renderer), shaping, finding fonts; the fonts
  # themselves: Noto Sans CJK SC for Chinese and Latin, DejaVu Sans as fallback
  libfreetype-dev libharfbuzz-dev libfontconfig-dev fonts-noto-cjk fonts-dejavu-core
  # sound (issue 16): OpenAL Soft and the HRTF data sets Debian ships with it
  libopenal-dev libopenal-data
  # smart trainers over Bluetooth LE (issue 17): BlueZ's D-Bus API through sdbus-c++; the
  # tests run a fake bluetoothd on a private dbus-daemon
  libsdbus-c++-dev libsdbus-c++-bin dbus-daemon
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# Node.js and npm run playwright-core and the Khronos glTF validator (npm gltf-validator, pinned in
# tests/assets/validator/package-lock.json; ctest's assets.gltf_validator_npm installs it into the
# build tree with `npm ci`, as web.npm does playwright-core); a machine may already have them from elsewhere
# (NodeSource), where Debian's npm package would conflict: only the missing commands are asked for.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${#missing[@]} Debian package(s): ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null; then
    echo "install-deps: not root and no sudo; install these by hand: ${missing[*]}" >&2
    exit 1
  fi
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: done"
