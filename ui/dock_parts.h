// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QString>

class QDockWidget;
class QLabel;
class QWidget;

namespace gridshade
{

/**
 * \brief What the three diagnostics docks share: the "not known" text, their value labels and
 * their frame (name, title, dock areas, a vertically scrolling content). GUI thread.
 */
namespace dockparts
{
//! The text of a figure that is not known ("–").
QString notKnown();
//! A selectable, word-wrapping plain-text label named \a name, showing notKnown().
QLabel *valueLabel( QWidget *parent, const char *name );
//! Names \a dock, titles it, allows the left, right and bottom areas and puts \a content in a
//! scroll area that never scrolls sideways (narrow docks wrap their labels instead).
void frame( QDockWidget *dock, const QString &objectName, const QString &title, QWidget *content );
} // namespace dockparts

} // namespace gridshade
