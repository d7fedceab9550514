#!/usr/bin/env bash
# Benchmarks (not tests).
#   scripts/bench.sh [APPLICANTS] [THREADS]   the C++ engine, then the PyTorch reference on the
#                                             same encoded data
#   scripts/bench.sh patterns [OPTIONS]       the pattern benchmark (bench/pattern_bench.cpp;
#                                             OPTIONS as seqlens-pattern-bench takes them)
#   scripts/bench.sh sources [OPTIONS]        several event sources at scale (seqlens-sources-bench)
#   scripts/bench.sh sources-learning [OPTIONS]  the cross-table pattern over seeds and sizes
#                                             (seqlens-sources-learning-bench)
#   scripts/bench.sh monitor [BATCH] [RUN]    monitoring a BATCH-applicant month (default
#                                             1,000,000) against a RUN-applicant train run
#                                             (default 100,000; one epoch): wall time and peak
#                                             memory of `seqlens-cli monitor`
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "monitor" ]; then
  batch=${2:-1000000}
  run=${3:-100000}
  d=/tmp/seqlens-bench/monitor
  cli=./build/app/seqlens-cli
  rm -rf "$d" && mkdir -p "$d"
  "$cli" synth --out "$d/dev" --applicants "$run" --seed 23
  "$cli" train --config "$d/dev/config.json" --out "$d/model" --epochs 1 --threads 2 \
    --project "$d/p.seqlens" > /dev/null
  "$cli" synth --out "$d/batch" --applicants "$batch" --seed 22 --from 2025-01-01 --span-days 365
  /usr/bin/time -f "monitor: %e s wall, %U s user, peak %M KiB" "$cli" monitor --project "$d/p.seqlens" \
    --run 1 --events "$d/batch/events.csv" --labels "$d/batch/labels.csv" --out "$d/out" --threads 2
  exit 0
fi
if [ "${1:-}" = "sources" ]; then
  shift
  exec /usr/bin/time -v ./build/bench/seqlens-sources-bench "$@"
fi
if [ "${1:-}" = "sources-learning" ]; then
  shift
  exec ./build/bench/seqlens-sources-learning-bench "$@"
fi
if [ "${1:-}" = "patterns" ]; then
  shift
  exec ./build/bench/seqlens-pattern-bench "$@"
fi
n=${1:-100000}
t=${2:-2}
./build/bench/seqlens-bench --applicants "$n" --threads "$t" --dump /tmp/seqlens-bench/dump
/usr/bin/python3 bench/reference_train.py /tmp/seqlens-bench/dump --threads "$t"
