// SPDX-License-Identifier: GPL-2.0-or-later
// count(): one uint32 per pixel, incremented atomically. Integer sums are exact in any order,
// so the result equals the CPU's bit for bit.
#version 450
#extension GL_GOOGLE_include_directive : require
#include "bin_common.glsl"

layout(std430, binding = 3) buffer Grid { uint counts[]; };

void main()
{
    beginDrops();
    uint i = gl_GlobalInvocationID.x;
    if (i < P.dims.z)
    {
        bool nonFinite;
        int pixel = binPoint(xs[i], ys[i], nonFinite);
        if (pixel >= 0)
            atomicAdd(counts[pixel], 1u);
        else
            noteDrop(nonFinite, !nonFinite, false);
    }
    endDrops();
}
