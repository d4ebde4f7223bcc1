// SPDX-License-Identifier: GPL-2.0-or-later
// Shared by every aggregation shader: the parameters of one dispatch over one segment of
// resident points, and Datashader's keep-and-bin rule in double precision.
//
// Bindings (one layout for every aggregation pipeline; unused ones are bound to a dummy):
//   0 Params (uniform)   1 x (float64)   2 y (float64)   3 main grid   4 drop counters
//   5 extra input: values (float64) or categories (int32)   6 second grid (non-NaN counts)

#extension GL_ARB_gpu_shader_int64 : require

layout(local_size_x = 256) in;

layout(std140, binding = 0) uniform Params
{
    dvec4 bounds;    // xmin, xmax, ymin, ymax
    dvec4 transform; // sx, tx, sy, ty
    dvec2 size;      // width, height as doubles (unused by the kept-point path, kept for clarity)
    uvec4 dims;      // width, height, points in this segment, category count
    uvec4 slot;      // x: this segment's drop-counter slot
} P;

layout(std430, binding = 1) readonly buffer Xs { double xs[]; };
layout(std430, binding = 2) readonly buffer Ys { double ys[]; };
// Per segment: non-finite, outside, bad category, unused.
layout(std430, binding = 4) buffer Drops { uint drops[]; };

shared uint sNonFinite;
shared uint sOutside;
shared uint sBadCategory;

// Exponent all ones means NaN or +-inf. Tested on the bits, because a Vulkan implementation
// may assume that floating-point values are never NaN or infinite.
bool isFiniteBits(double v)
{
    return (unpackDouble2x32(v).y & 0x7FF00000u) != 0x7FF00000u;
}

bool isNanBits(double v)
{
    uvec2 b = unpackDouble2x32(v);
    return (b.y & 0x7FF00000u) == 0x7FF00000u && ((b.y & 0x000FFFFFu) != 0u || b.x != 0u);
}

// Datashader's rule, as Viewport::column()/gridRow() and the CPU's PointBinner: keep a finite
// point inside the closed extent; its column is trunc(x * sx + tx) computed in double without
// a fused multiply-add (hence `precise`), W maps to W - 1; rows count from ymin and are flipped
// once to north-up. Returns the north-up pixel index, or -1 when the point is not kept.
int binPoint(double x, double y, out bool nonFinite)
{
    nonFinite = !(isFiniteBits(x) && isFiniteBits(y));
    if (nonFinite)
        return -1;
    if (!(P.bounds.x <= x && x <= P.bounds.y && P.bounds.z <= y && y <= P.bounds.w))
        return -1;
    precise double fx = x * P.transform.x + P.transform.y;
    precise double fy = y * P.transform.z + P.transform.w;
    int c = min(int(fx), int(P.dims.x) - 1);
    int r = min(int(fy), int(P.dims.y) - 1);
    // The one south-up to north-up flip (Viewport::flipRow).
    int row = int(P.dims.y) - 1 - r;
    return row * int(P.dims.x) + c;
}

void beginDrops()
{
    if (gl_LocalInvocationIndex == 0u)
    {
        sNonFinite = 0u;
        sOutside = 0u;
        sBadCategory = 0u;
    }
    barrier();
}

void noteDrop(bool nonFinite, bool outside, bool badCategory)
{
    if (nonFinite)
        atomicAdd(sNonFinite, 1u);
    else if (outside)
        atomicAdd(sOutside, 1u);
    else if (badCategory)
        atomicAdd(sBadCategory, 1u);
}

// One global atomic per workgroup and counter instead of one per dropped point.
void endDrops()
{
    barrier();
    if (gl_LocalInvocationIndex == 0u)
    {
        uint base = P.slot.x * 4u;
        if (sNonFinite != 0u)
            atomicAdd(drops[base], sNonFinite);
        if (sOutside != 0u)
            atomicAdd(drops[base + 1u], sOutside);
        if (sBadCategory != 0u)
            atomicAdd(drops[base + 2u], sBadCategory);
    }
}
