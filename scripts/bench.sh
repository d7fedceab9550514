#!/usr/bin/env bash
# Benchmarks (not tests).
#   scripts/bench.sh [APPLICANTS] [THREADS]   the C++ engine, then the PyTorch reference on the
#                                             same encoded data
#   scripts/bench.sh patterns [OPTIONS]       the pattern benchmark (bench/pattern_bench.cpp;
#                                             OPTIONS as seqlens-pattern-bench takes them)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "patterns" ]; then
  shift
  exec ./build/bench/seqlens-pattern-bench "$@"
fi
n=${1:-100000}
t=${2:-2}
./build/bench/seqlens-bench --applicants "$n" --threads "$t" --dump /tmp/seqlens-bench/dump
/usr/bin/python3 bench/reference_train.py /tmp/seqlens-bench/dump --threads "$t"
