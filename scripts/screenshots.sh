#!/usr/bin/env bash
# Writes a screenshot of every workbench view to docs/screenshots/ (offscreen platform): the
# demo project is generated in a temporary folder, trained, compared and inspected.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
HOME="$work/home" QT_QPA_PLATFORM=offscreen ./build/app/seqlens --screenshots docs/screenshots "$work/demo"
