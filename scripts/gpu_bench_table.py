#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Turns the JSON of gridshade-gpu-bench (--benchmark_out, with repetitions) into the RST table
that docs/gpu.rst includes: medians per scene size and zoom, GPU next to CPU.

    python3 scripts/gpu_bench_table.py gpu_bench.json docs/perf/gpu_h100.inc
"""
import json
import re
import sys


def main(src, dst):
    data = json.load(open(src))
    ctx = data["context"]
    runs = {}
    first = {}
    for b in data["benchmarks"]:
        if b.get("aggregate_name") != "median":
            continue
        m = re.match(r"benchRender/points:(\d+)/zoom:(\d+)/gpu:(\d)", b["name"])
        if m:
            runs[(int(m[1]), int(m[2]), int(m[3]))] = b
        m = re.match(r"benchFirstGpuRender/points:(\d+)", b["name"])
        if m:
            first[int(m[1])] = b
    lines = [
        f"Measured on {ctx['gpu']}, with {ctx['cpu_threads']} CPU threads of the same host "
        f"(``{ctx['date'][:10]}``, ``gridshade-gpu-bench``, medians of {next(iter(runs.values()))['repetitions']} "
        "repetitions). One render = aggregate + readback + eq_hist shade, points resident; "
        "*aggregate* includes the readback and the copy into the engine's aggregate, *device* is "
        "the time spent in the Vulkan frames. *identical*: the GPU counts equal the CPU's.",
        "",
        ".. list-table::",
        "   :header-rows: 1",
        "",
        "   * - points",
        "     - zoom",
        "     - GPU render (ms)",
        "     - GPU aggregate / device / shade (ms)",
        "     - CPU render (ms)",
        "     - CPU aggregate / shade (ms)",
        "     - speed-up",
        "     - identical",
    ]
    for (n, z, gpu) in sorted(runs):
        if not gpu or (n, z, 0) not in runs:
            continue
        g, c = runs[(n, z, 1)], runs[(n, z, 0)]
        lines += [
            f"   * - {n:.0e}".replace("e+0", "e"),
            f"     - Z{z}",
            f"     - {g['real_time']:.1f}",
            f"     - {g['aggregate_ms']:.1f} / {g.get('device_ms', float('nan')):.1f} / {g['shade_ms']:.1f}",
            f"     - {c['real_time']:.1f}",
            f"     - {c['aggregate_ms']:.1f} / {c['shade_ms']:.1f}",
            f"     - {c['real_time'] / g['real_time']:.1f} x",
            f"     - {'yes' if g.get('identical') == 1 else 'NO'}",
        ]
    if first:
        lines += ["", "First render of a point cache (upload through bounded staging, then aggregate, Z8): "
                  + "; ".join(f"{n:.0e} points {b['real_time']:.0f} ms".replace("e+0", "e") for n, b in sorted(first.items())) + "."]
    open(dst, "w").write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:3])
