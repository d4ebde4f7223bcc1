#!/usr/bin/env bash
# The whole test suite: set-up, the Qt 6 build of renderer/ with its tests, the Qt 5 build against
# QGIS 3.40 LTR with every test (unit, golden SSIM gate, CLI, Datashader numpy reference,
# instruction-count gate, Sphinx docs with warnings as errors), then the plugin built against
# QGIS 3.22 with every plugin test run on 3.22. Prints each leg's peak RSS against the 512 MiB
# target and a summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs=$(nproc)

run_ctest() {
  local dir=$1 log=$2
  shift 2
  # GNU time reports the largest resident set of any process of the run.
  /usr/bin/time -f '%M' -o "$dir/peak-rss-kib.txt" \
    ctest --test-dir "$dir" --output-on-failure -j "$jobs" --timeout 1200 "$@" 2>&1 | tee "$log"
  return "${PIPESTATUS[0]}"
}

summary() {
  # "100% tests passed, 0 tests failed out of 12" -> passed and failed counts
  awk '/tests passed, .* tests failed out of/ { total=$NF; failed=$4 } END { print total - failed, failed }' "$1"
}

bash scripts/build.sh qt6
set +e
run_ctest build/qt6 build/qt6/ctest.log
qt6_status=$?
set -e

bash scripts/build.sh qt5
set +e
run_ctest build/qt5 build/qt5/ctest.log
qt5_status=$?
set -e

# QGIS 3.22: the plugin and every plugin test (the renderer's tests do not depend on QGIS).
bash scripts/build.sh qt5-322
set +e
run_ctest build/qt5-322 build/qt5-322/ctest.log -R '^plugin\.'
q322_status=$?
set -e

read -r p6 f6 < <(summary build/qt6/ctest.log)
read -r p5 f5 < <(summary build/qt5/ctest.log)
read -r p3 f3 < <(summary build/qt5-322/ctest.log)
peak() { echo $(( $(cat "$1/peak-rss-kib.txt" 2>/dev/null || echo 0) / 1024 )); }
echo "Peak RSS of any test process (target <= 512 MiB): Qt 6 $(peak build/qt6) MiB, QGIS 3.40 $(peak build/qt5) MiB, QGIS 3.22 $(peak build/qt5-322) MiB" \
     "(the largest are the QGIS desktops of plugin.desktop_docks and plugin.desktop_categories; docs/performance.rst, \"Memory of the test suite\")"
echo "Qt 6 renderer build: ${p6:-0} passed, ${f6:-0} failed; Qt 5 build on QGIS 3.40: ${p5:-0} passed, ${f5:-0} failed; plugin on QGIS 3.22: ${p3:-0} passed, ${f3:-0} failed"
if [ "$qt6_status" -ne 0 ] || [ "$qt5_status" -ne 0 ] || [ "$q322_status" -ne 0 ]; then
  echo "Failure artefacts (actual and diff images, reports): build/qt5/test-artifacts/, build/qt5-322/test-artifacts/"
fi
echo "$(( ${p6:-0} + ${p5:-0} + ${p3:-0} )) passed, $(( ${f6:-0} + ${f5:-0} + ${f3:-0} )) failed"
[ "$qt6_status" -eq 0 ] && [ "$qt5_status" -eq 0 ] && [ "$q322_status" -eq 0 ]
