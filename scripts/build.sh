#!/usr/bin/env bash
# Configures and builds SeqLens (Release, Ninja) into ./build after installing dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DSEQLENS_BUILD_TESTS=ON -DSEQLENS_BUILD_BENCH=ON
cmake --build build -j "$(nproc)"
