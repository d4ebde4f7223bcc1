// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

class QShader;

namespace gridshade::gpu
{

//! The compute shaders of shaders/, compiled to SPIR-V at build time and embedded.
enum class ShaderId
{
  Fill,
  Count,
  CountCat,
  Sum,
  Min,
  Max,
};

/**
 * A QShader holding the embedded SPIR-V of \a id under the key that Qt RHI's Vulkan backend
 * looks for (SPIR-V 1.0, entry point "main": an empty entry point makes pipeline creation fail).
 */
QShader computeShader( ShaderId id );

} // namespace gridshade::gpu
