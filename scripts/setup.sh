#!/usr/bin/env bash
# Installs every Debian 12 package SeqLens needs to build, test and benchmark.
# Idempotent: packages already present are skipped; apt-get runs only when something is missing.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  libtorch-dev libopenblas0-openmp
  nlohmann-json3-dev libsqlite3-dev sqlite3 zlib1g-dev
  qt6-base-dev qt6-base-dev-tools libqcustomplot-dev libgl-dev
  libxgboost-dev
  xvfb xauth poppler-utils fonts-dejavu-core
)
# Only needed for the Python reference benchmark and metric cross-checks (never at runtime).
OPTIONAL_PACKAGES=(python3-torch python3-numpy)

missing=()
want=("${PACKAGES[@]}")
if [ "${SEQLENS_SETUP_OPTIONAL:-1}" = "1" ]; then want+=("${OPTIONAL_PACKAGES[@]}"); fi
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
