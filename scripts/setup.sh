#!/usr/bin/env bash
# Installs what Gazette needs from Debian bookworm (only what is missing) and builds it.
# Usage: scripts/setup.sh [BUILD_DIR] [extra cmake arguments...]
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(g++ cmake make pkg-config zstd libxapian-dev libicu-dev libcli11-dev libgtest-dev nlohmann-json3-dev
          libgumbo-dev zlib1g-dev libzstd-dev libcld2-dev libcpp-httplib-dev libmicrohttpd-dev)
# Extra packages a caller needs (scripts/test.sh: the browser the page is tested in).
read -r -a extra <<< "${GAZETTE_EXTRA_PACKAGES:-}"
packages+=("${extra[@]}")
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

build_dir="${1:-build}"
shift || true
echo "==> building in $build_dir"
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
