#!/usr/bin/env bash
# Builds SeqLens with AddressSanitizer + UndefinedBehaviorSanitizer into ./build-san and runs the
# core tests (label "core") under them: memory errors, leaks (LeakSanitizer) and undefined
# behaviour fail the run. The two long learning tests scale down when sanitized.
# Usage: scripts/test_sanitized.sh [extra ctest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build-san -G Ninja -DCMAKE_BUILD_TYPE=Release -DSEQLENS_SANITIZE=ON \
  -DSEQLENS_BUILD_TESTS=ON -DSEQLENS_BUILD_BENCH=OFF
# Only what the core tests need (the workbench is not under test here).
cmake --build build-san -j "$(nproc)" --target core_tests
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$PWD/scripts/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
cd build-san
QT_QPA_PLATFORM=offscreen ctest -L core -j 2 --output-on-failure --timeout 900 "$@"
