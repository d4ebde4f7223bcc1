#!/usr/bin/env python3
"""Appends the median rows of a Google Benchmark JSON run to the docs trend table.

Usage: bench_trend.py <benchmark.json> <trend.csv>
Columns: date, commit, benchmark, points, zoom, median_ms (zoom holds the thread count for the
thread-scaling benchmark, prefixed with 't').
"""
import csv
import datetime
import json
import re
import subprocess
import sys


def main() -> int:
    source, trend = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as f:
        run = json.load(f)
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    date = datetime.date.today().isoformat()
    rows = []
    for b in run.get("benchmarks", []):
        if b.get("aggregate_name") != "median":
            continue
        name = b["run_name"]
        m = re.match(r"(\w+)/points:(\d+)/(zoom|threads):(\d+)", name)
        if not m:
            continue
        kind, points, axis, value = m.groups()
        unit = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[b.get("time_unit", "ns")]
        zoom = f"Z{value}" if axis == "zoom" else f"t{value}"
        rows.append([date, commit, kind.replace("bench", ""), points, zoom, f"{b['real_time'] * unit:.3f}"])
    with open(trend, "a", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    for r in rows:
        print(f"{r[2]:<18} {int(r[3]):>9,d} {r[4]:>4} {r[5]:>9} ms")
    print(f"{len(rows)} rows appended to {trend}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
