// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QLocale>
#include <QPushButton>
#include <QWidget>

namespace gridshade
{
namespace test
{

//! Figures are formatted with the default locale: pin it so that grouping is ',' and decimals '.'.
inline void pinEnglishLocale()
{
  QLocale::setDefault( QLocale( QLocale::English, QLocale::UnitedStates ) );
}

//! A dock of \a width x \a height, shown (so that visibility and layout are real); the caller deletes it.
template<typename Dock> Dock *shownDock( int width, int height )
{
  Dock *dock = new Dock();
  dock->resize( width, height );
  dock->show();
  return dock;
}

//! The push button under \a root whose text is \a text, or null.
inline QPushButton *buttonWithText( const QWidget *root, const QString &text )
{
  for ( QPushButton *b : root->findChildren<QPushButton *>() )
  {
    if ( b->text() == text )
      return b;
  }
  return nullptr;
}

} // namespace test
} // namespace gridshade
