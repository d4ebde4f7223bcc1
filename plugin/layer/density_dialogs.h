// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QString>

class QWidget;
class QgsProject;

namespace gridshade
{

class DensityLayer;

/**
 * \brief Runs the density dialogs of ui/ against QGIS: fills them with the project's point
 * layers and their fields, and applies the result. GUI thread only.
 */
namespace dialogs
{
//! "Add density layer…": returns the new layer (already added to \a project) or nullptr.
DensityLayer *addDensityLayer( QgsProject *project, QWidget *parent, QString *error );
//! The layer properties dialog; true when the settings were changed.
bool editDensityLayer( DensityLayer *layer, QWidget *parent );
} // namespace dialogs

} // namespace gridshade
