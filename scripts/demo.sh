#!/usr/bin/env bash
# The main job on the bundled demo: set up, build, generate the synthetic demo data, train
# the sequence model (recorded in the demo project demo/demo.seqlens), print its metrics,
# write the model-validation report, monitor a later month against the run, and open the demo project in the workbench when there
# is a display.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
./build/app/seqlens-cli synth --out demo --applicants 5000 --seed 42
rm -f demo/demo.seqlens demo/demo.seqlens-wal demo/demo.seqlens-shm
./build/app/seqlens-cli train --config configs/demo.json --out demo/model --project demo/demo.seqlens
./build/app/seqlens-cli report --project demo/demo.seqlens --run 1 --out demo/validation.pdf
# A later month in which a new event type appears, monitored against the run.
./build/app/seqlens-cli synth --out demo/march --applicants 3000 --seed 11 --from 2025-03-01 \
  --span-days 31 --drift new_type
./build/app/seqlens-cli monitor --project demo/demo.seqlens --run 1 --events demo/march/events.csv \
  --labels demo/march/labels.csv --out demo/monitor-march
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ "${SEQLENS_NO_GUI:-0}" != "1" ]; then
  ./build/app/seqlens demo/demo.seqlens
else
  echo "No display: open the demo project later with ./build/app/seqlens demo/demo.seqlens"
fi
