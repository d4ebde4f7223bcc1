// SPDX-License-Identifier: GPL-2.0-or-later
// sum / mean (REDUCE_SUM), min (REDUCE_MIN), max (REDUCE_MAX) of the float64 value column,
// skipping NaN values as Datashader does.
//
// sum: a compare-and-swap loop of float64 additions on the pixel's bits, starting from -0.0 so
// that the first addition returns the value itself (as the CPU's "NaN until the first value").
// The order of additions differs from the CPU's point order, so sums agree within rounding.
// A second grid counts the non-NaN values: 0 means "no value" (NaN) and it divides for mean.
//
// min / max: the value is mapped to a uint64 key whose unsigned order is the numeric order,
// then atomicMin / atomicMax; exact in any order, so equal to the CPU's result.
#version 450
#extension GL_GOOGLE_include_directive : require
#extension GL_EXT_shader_atomic_int64 : require
#include "bin_common.glsl"

layout(std430, binding = 3) buffer Grid { uint64_t cells[]; };
layout(std430, binding = 5) readonly buffer Values { double values[]; };
layout(std430, binding = 6) buffer Counts { uint counts[]; };

uint64_t orderedKey(double v)
{
    uint64_t bits = doubleBitsToUint64(v);
    const uint64_t SIGN = 0x8000000000000000UL;
    return (bits & SIGN) != 0UL ? ~bits : (bits | SIGN);
}

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
            double v = values[i];
            if (!isNanBits(v))
            {
#if defined(REDUCE_SUM)
                atomicAdd(counts[pixel], 1u);
                uint64_t seen = cells[pixel];
                for (;;)
                {
                    precise double next = uint64BitsToDouble(seen) + v;
                    uint64_t before = atomicCompSwap(cells[pixel], seen, doubleBitsToUint64(next));
                    if (before == seen)
                        break;
                    seen = before;
                }
#elif defined(REDUCE_MIN)
                atomicMin(cells[pixel], orderedKey(v));
#elif defined(REDUCE_MAX)
                atomicMax(cells[pixel], orderedKey(v));
#else
#error "define REDUCE_SUM, REDUCE_MIN or REDUCE_MAX"
#endif
            }
        }
        else
            noteDrop(nonFinite, !nonFinite, false);
    }
    endDrops();
}
