// SPDX-License-Identifier: GPL-2.0-or-later
#include "render_chart.h"

#include <QLocale>
#include <QPaintEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace gridshade
{

namespace
{
constexpr int MARGIN = 4;
constexpr int SWATCH = 8;

// 1, 2 or 5 x 10^k at or above ms, so the scale label stays a round number and the axis only
// moves when a render crosses one of those steps rather than on every slower frame.
double niceCeiling( double ms )
{
  if ( !( ms > 0 ) || !std::isfinite( ms ) )
    return 1;
  const double base = std::pow( 10.0, std::floor( std::log10( ms ) ) );
  for ( const double step : { 1.0, 2.0, 5.0, 10.0 } )
  {
    // The tolerance keeps an exact 50 at 50 despite log10/pow rounding.
    if ( step * base >= ms * ( 1 - 1e-9 ) )
      return step * base;
  }
  return 10 * base;
}
} // namespace

RenderChart::RenderChart( QWidget *parent )
  : QWidget( parent )
{
  setSizePolicy( QSizePolicy::Expanding, QSizePolicy::Fixed );
  setToolTip( tr( "Time of the recent renders, newest on the right, split into their stages" ) );
}

void RenderChart::setRecords( const QVector<RenderRecord> &records )
{
  mRecords = records.size() > mMaxBars ? records.mid( records.size() - mMaxBars ) : records;
  update();
}

void RenderChart::setMaxBars( int bars )
{
  mMaxBars = std::max( 1, bars );
  if ( mRecords.size() > mMaxBars )
    mRecords = mRecords.mid( mRecords.size() - mMaxBars );
  update();
}

double RenderChart::scaleMs() const
{
  double slowest = 0;
  for ( const RenderRecord &record : mRecords )
  {
    const double total = record.totalMs();
    if ( std::isfinite( total ) )
      slowest = std::max( slowest, total );
  }
  return niceCeiling( slowest );
}

QColor RenderChart::stageColor( int index )
{
  // Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
  static const QRgb COLORS[] = { 0xffe69f00, 0xff56b4e9, 0xff009e73, 0xffcc79a7 };
  return QColor::fromRgba( COLORS[std::clamp( index, 0, 3 )] );
}

QSize RenderChart::sizeHint() const
{
  return QSize( 260, 90 );
}

QSize RenderChart::minimumSizeHint() const
{
  return QSize( 120, 90 );
}

/*
 * +-----------------------------------+
 * | 50 ms                             |  text row: the scale
 * |- - - - - - - - - - - - - - - - - -|  scale line
 * |                     #  #   # #    |  one stacked bar per render,
 * |_____________________#__#_#_#_#____|  newest on the right
 * | [] cache [] aggregate [] shade .. |  legend row
 * +-----------------------------------+
 */
void RenderChart::paintEvent( QPaintEvent *event )
{
  Q_UNUSED( event )
  QPainter painter( this );
  painter.fillRect( rect(), palette().color( QPalette::Base ) );
  painter.setPen( palette().color( QPalette::Mid ) );
  painter.drawRect( rect().adjusted( 0, 0, -1, -1 ) );

  const int line = fontMetrics().height();
  const QRectF inner = QRectF( rect() ).adjusted( MARGIN, MARGIN / 2.0, -MARGIN, -MARGIN / 2.0 );
  const QRectF top( inner.left(), inner.top(), inner.width(), line );
  const QRectF legend( inner.left(), inner.bottom() - line, inner.width(), line );
  const QRectF plot( inner.left(), top.bottom() + 2, inner.width(), legend.top() - top.bottom() - 4 );
  if ( plot.height() <= 1 || plot.width() <= 1 )
    return;

  const double scale = scaleMs();
  painter.setPen( palette().color( QPalette::Text ) );
  painter.drawText( top, Qt::AlignLeft | Qt::AlignVCenter, tr( "%1 ms" ).arg( QLocale().toString( scale, 'g', 6 ) ) );
  painter.setPen( QPen( palette().color( QPalette::Mid ), 1, Qt::DashLine ) );
  painter.drawLine( plot.topLeft(), plot.topRight() );
  painter.setPen( palette().color( QPalette::Mid ) );
  painter.drawLine( plot.bottomLeft(), plot.bottomRight() );

  if ( mRecords.isEmpty() )
  {
    painter.setPen( palette().color( QPalette::PlaceholderText ) );
    painter.drawText( plot, Qt::AlignCenter, tr( "No renders yet" ) );
    return;
  }
  drawBars( painter, plot, scale );
  drawLegend( painter, legend );
}

void RenderChart::drawBars( QPainter &painter, const QRectF &plot, double scale ) const
{
  const double slot = plot.width() / mMaxBars;
  const double barWidth = std::max( 1.0, slot * 0.75 );
  const int n = mRecords.size();
  painter.setPen( Qt::NoPen );
  for ( int i = 0; i < n; ++i )
  {
    const double x = plot.right() - ( n - i ) * slot + ( slot - barWidth ) / 2;
    double y = plot.bottom();
    const auto stages = mRecords.at( i ).stages();
    for ( int s = 0; s < stages.size(); ++s )
    {
      const double ms = stages.at( s ).second;
      if ( !( ms > 0 ) || !std::isfinite( ms ) )
        continue;
      const double h = std::min( ms / scale * plot.height(), y - plot.top() );
      if ( h <= 0 )
        break;
      painter.setBrush( stageColor( s ) );
      painter.drawRect( QRectF( x, y - h, barWidth, h ) );
      y -= h;
    }
  }
}

void RenderChart::drawLegend( QPainter &painter, const QRectF &row ) const
{
  const auto stages = mRecords.constLast().stages();
  double x = row.left();
  for ( int s = 0; s < stages.size(); ++s )
  {
    const QString name = stages.at( s ).first;
    const double width = SWATCH + 3 + fontMetrics().horizontalAdvance( name );
    // In a narrow dock the later entries are left out rather than clipped mid-word.
    if ( x + width > row.right() )
      break;
    painter.setPen( Qt::NoPen );
    painter.setBrush( stageColor( s ) );
    painter.drawRect( QRectF( x, row.center().y() - SWATCH / 2.0, SWATCH, SWATCH ) );
    painter.setPen( palette().color( QPalette::Text ) );
    painter.drawText( QRectF( x + SWATCH + 3, row.top(), width, row.height() ), Qt::AlignLeft | Qt::AlignVCenter, name );
    x += width + 8;
  }
}

} // namespace gridshade
