#!/usr/bin/env bash
# Set up, build and run the whole test suite (Qt Test under CTest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
cd build
QT_QPA_PLATFORM=offscreen ctest -j 2 --output-on-failure --timeout 600
