// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

// The one include of Qt's private RHI API, with the few names that differ between Qt 5.15 and
// Qt 6.4. Only renderer/gpu/*.cpp include this file (docs/overview.rst, "Architecture": RHI stays in renderer/gpu/).

#include <QtGlobal>

#include <QtGui/private/qrhi_p.h>
#include <QtGui/private/qrhivulkan_p.h>
#include <QtGui/private/qshader_p.h>

namespace gridshade::gpu
{

//! build() in Qt 5.15, create() in Qt 6.
template<typename Resource>
bool createResource( Resource *r )
{
#if QT_VERSION >= QT_VERSION_CHECK( 6, 0, 0 )
  return r->create();
#else
  return r->build();
#endif
}

} // namespace gridshade::gpu
