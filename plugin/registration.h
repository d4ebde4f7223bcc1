// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QtGlobal>

/**
 * \file registration.h
 * \brief The C entry points that register Gridshade's layer type (and, later, its processing
 * provider) with the running QGIS. The desktop plugin calls them from initGui(); qgis_process
 * and standalone PyQGIS, which never load C++ plugins, call them through ctypes from the small
 * Python plugin in python/gridshade_loader. Idempotent; GUI (main) thread only.
 */
extern "C"
{
  //! Registers what is not registered yet; returns 1 on success, 0 when QGIS is not initialised.
  Q_DECL_EXPORT int gridshade_register();
  //! Removes what gridshade_register() added (removing the layer type also removes its layers
  //! from the current project, as QGIS does).
  Q_DECL_EXPORT void gridshade_unregister();
}
