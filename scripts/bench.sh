#!/usr/bin/env bash
# Benchmarks (not tests): the C++ engine, then the PyTorch reference on the same encoded data.
#   scripts/bench.sh [APPLICANTS] [THREADS]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
t=${2:-2}
./build/bench/seqlens-bench --applicants "$n" --threads "$t" --dump /tmp/seqlens-bench/dump
/usr/bin/python3 bench/reference_train.py /tmp/seqlens-bench/dump --threads "$t"
