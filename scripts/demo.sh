#!/usr/bin/env bash
# The main job on the bundled demo: set up, build, generate the synthetic demo data, train
# the sequence model (recorded in the demo project demo/demo.seqlens), print its metrics,
# write the model-validation report, and open the demo project in the workbench when there
# is a display.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
./build/app/seqlens-cli synth --out demo --applicants 5000 --seed 42
rm -f demo/demo.seqlens demo/demo.seqlens-wal demo/demo.seqlens-shm
./build/app/seqlens-cli train --config configs/demo.json --out demo/model --project demo/demo.seqlens
./build/app/seqlens-cli report --project demo/demo.seqlens --run 1 --out demo/validation.pdf
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ "${SEQLENS_NO_GUI:-0}" != "1" ]; then
  ./build/app/seqlens demo/demo.seqlens
else
  echo "No display: open the demo project later with ./build/app/seqlens demo/demo.seqlens"
fi
