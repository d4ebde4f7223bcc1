// SPDX-License-Identifier: GPL-2.0-or-later
// count_cat: W*H*C uint32, pixel-major (category fastest), as the CPU's Aggregate. Points whose
// category code is outside 0..C-1 are dropped and counted, as on the CPU.
#version 450
#extension GL_GOOGLE_include_directive : require
#include "bin_common.glsl"

layout(std430, binding = 3) buffer Grid { uint counts[]; };
layout(std430, binding = 5) readonly buffer Categories { int categories[]; };

void main()
{
    beginDrops();
    uint i = gl_GlobalInvocationID.x;
    if (i < P.dims.z)
    {
        bool nonFinite;
        int pixel = binPoint(xs[i], ys[i], nonFinite);
        if (pixel >= 0)
        {
            int cat = categories[i];
            if (cat >= 0 && uint(cat) < P.dims.w)
                atomicAdd(counts[uint(pixel) * P.dims.w + uint(cat)], 1u);
            else
                noteDrop(false, false, true);
        }
        else
            noteDrop(nonFinite, !nonFinite, false);
    }
    endDrops();
}
