#!/usr/bin/env bash
# Runs the Google Benchmark suite (aggregate, shade, both; 1e6 and 1e7 points; Z0/Z4/Z8/Z12; thread
# scaling) with 5 repetitions and appends the medians to docs/perf/trend.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh qt5 gridshade-bench > /dev/null
out=build/qt5/bench.json
build/qt5/tests/bench/gridshade-bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_out="$out" --benchmark_out_format=json "$@"
/usr/bin/python3 scripts/bench_trend.py "$out" docs/perf/trend.csv
