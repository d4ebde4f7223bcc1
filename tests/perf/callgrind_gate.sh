#!/usr/bin/env bash
# Instruction-count speed gate: counts (not seconds) hold on noisy shared machines.
# Usage: callgrind_gate.sh <gridshade-render> <gridshade-perf-gate> <work dir>
# Fails when the count is more than 10% over tests/perf/callgrind_baseline.txt.
# GRIDSHADE_UPDATE_PERF_BASELINE=1 rewrites the baseline (commit it with the reason).
set -euo pipefail
render=$1 gate=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
baseline_file="$here/callgrind_baseline.txt"
mkdir -p "$work"
"$render" --scene 1000000 --zoom Z8 --out "$work/scene.png" --write-points "$work/scene.bin" > /dev/null
GRIDSHADE_THREADS=1 valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file="$work/callgrind.out" \
  "$gate" "$work/scene.bin" > "$work/gate.log" 2> "$work/valgrind.log"
count=$(awk '/^summary:/ { print $2 }' "$work/callgrind.out")
[ -n "$count" ] || { echo "no instruction count in $work/callgrind.out"; exit 1; }
if [ "${GRIDSHADE_UPDATE_PERF_BASELINE:-0}" = 1 ]; then
  echo "$count" > "$baseline_file"
  echo "baseline updated: $count instructions"
  exit 0
fi
baseline=$(tr -d '[:space:]' < "$baseline_file")
ratio=$(awk -v c="$count" -v b="$baseline" 'BEGIN { printf "%.4f", c / b }')
echo "Z8 1e6 aggregate + eq_hist shade: $count instructions, baseline $baseline, ratio $ratio"
if awk -v r="$ratio" 'BEGIN { exit !(r > 1.10) }'; then
  echo "FAIL: more than 10% over the baseline (callgrind_annotate $work/callgrind.out shows where)"
  exit 1
fi
if awk -v r="$ratio" 'BEGIN { exit !(r < 0.80) }'; then
  echo "note: more than 20% under the baseline; consider GRIDSHADE_UPDATE_PERF_BASELINE=1"
fi
