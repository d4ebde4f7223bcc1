// SPDX-License-Identifier: GPL-2.0-or-later
// Fills a buffer with a repeating pair of 32-bit words (0 for counts, -0.0 or a min/max key
// for 64-bit cells) on the device, instead of uploading a grid of zeros every render.
#version 450

layout(local_size_x = 256) in;

layout(std140, binding = 0) uniform FillParams
{
    uvec4 fill; // x: even words, y: odd words, z: word count
} F;

layout(std430, binding = 1) buffer Target { uint words[]; };

void main()
{
    uint i = gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x * 256u;
    if (i < F.fill.z)
        words[i] = (i & 1u) == 0u ? F.fill.x : F.fill.y;
}
