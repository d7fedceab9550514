#!/usr/bin/env bash
# The main job on the bundled demo: set up, build, generate the synthetic demo data, train
# the sequence model and print its metrics.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
./build/app/seqlens-cli synth --out demo --applicants 5000 --seed 42
./build/app/seqlens-cli train --config configs/demo.json --out demo/model
