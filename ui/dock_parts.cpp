// SPDX-License-Identifier: GPL-2.0-or-later
#include "dock_parts.h"

#include <QDockWidget>
#include <QLabel>
#include <QScrollArea>

namespace gridshade
{
namespace dockparts
{

QString notKnown()
{
  return QStringLiteral( "–" );
}

QLabel *valueLabel( QWidget *parent, const char *name )
{
  auto *label = new QLabel( notKnown(), parent );
  label->setObjectName( QLatin1String( name ) );
  label->setTextFormat( Qt::PlainText );
  label->setWordWrap( true );
  // Users copy these figures into bug reports.
  label->setTextInteractionFlags( Qt::TextSelectableByMouse );
  return label;
}

void frame( QDockWidget *dock, const QString &objectName, const QString &title, QWidget *content )
{
  // The object name is also the key under which QGIS saves the dock's place in its window state.
  dock->setObjectName( objectName );
  dock->setWindowTitle( title );
  dock->setAllowedAreas( Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea | Qt::BottomDockWidgetArea );
  auto *scroll = new QScrollArea( dock );
  scroll->setWidgetResizable( true );
  scroll->setFrameShape( QFrame::NoFrame );
  scroll->setHorizontalScrollBarPolicy( Qt::ScrollBarAlwaysOff );
  scroll->setWidget( content );
  dock->setWidget( scroll );
}

} // namespace dockparts
} // namespace gridshade
