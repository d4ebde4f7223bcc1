// SPDX-License-Identifier: GPL-2.0-or-later
#include "density_legend.h"
#include "qgis_compat.h"

#include "density_layer.h"

#include <qgscolorramp.h>
#include <qgscolorramplegendnode.h>
#include <qgslayertreemodellegendnode.h>

#include <QPainter>
#include <QPixmap>

namespace gridshade
{

namespace
{
QColor toColor( const Rgb &c )
{
  return QColor( c.r, c.g, c.b );
}

QIcon swatch( const QColor &c )
{
  QPixmap p( 16, 16 );
  p.fill( c );
  return QIcon( p );
}
} // namespace

DensityLegend::DensityLegend( DensityLayer *layer )
  : QgsMapLayerLegend( layer )
  , mLayer( layer )
{
  connect( layer, &QgsMapLayer::styleChanged, this, &QgsMapLayerLegend::itemsChanged );
  // The categories become known when a render or task has read the points, on its own thread;
  // a problem (too many categories) replaces them. Queued: the legend is rebuilt on the GUI thread.
  connect( layer->notices().get(), &LayerNotices::changed, this, [this] {
    if ( mLayer->settings().reduction == Reduction::CountCat )
      emit itemsChanged();
  } );
}

QList<QgsLayerTreeModelLegendNode *> DensityLegend::createLayerTreeModelLegendNodes( QgsLayerTreeLayer *nodeLayer )
{
  QList<QgsLayerTreeModelLegendNode *> nodes;
  const DensitySettings &s = mLayer->settings();
  if ( s.reduction == Reduction::CountCat )
  {
    const std::vector<Rgb> key = defaultColorKey();
    const QStringList categories = mLayer->knownCategories();
    // More categories than colours are not drawn (the renderer says why): no swatches then.
    if ( categories.isEmpty() || categories.size() > static_cast<int>( key.size() ) )
    {
      nodes << new QgsSimpleLegendNode( nodeLayer, mLayer->lastError().isEmpty()
                                                     ? tr( "categories of '%1' (shown once the points are read)" ).arg( s.categoryField )
                                                     : tr( "categories of '%1': none drawn (see the Gridshade tab of the log)" ).arg( s.categoryField ) );
      return nodes;
    }
    for ( int i = 0; i < categories.size(); ++i )
      nodes << new QgsSimpleLegendNode( nodeLayer, categories[i].isEmpty() ? tr( "(empty)" ) : categories[i], swatch( toColor( key[i] ) ) );
    return nodes;
  }
  Colormap cmap;
  if ( !Colormap::parse( s.colormap, cmap ) || cmap.colors().empty() )
    return nodes;
  QgsGradientColorRamp *ramp = nullptr;
  if ( cmap.kind() == Colormap::Kind::SingleColor )
  {
    QColor low = toColor( cmap.color() );
    low.setAlpha( s.minAlpha );
    QColor high = toColor( cmap.color() );
    high.setAlpha( s.alpha );
    ramp = new QgsGradientColorRamp( low, high );
  }
  else
  {
    const std::vector<Rgb> &colors = cmap.colors();
    QgsGradientStopsList stops;
    for ( size_t i = 1; i + 1 < colors.size(); ++i )
      stops << QgsGradientStop( static_cast<double>( i ) / ( colors.size() - 1 ), toColor( colors[i] ) );
    ramp = new QgsGradientColorRamp( toColor( colors.front() ), toColor( colors.back() ), false, stops );
  }
  const QString what = s.reduction == Reduction::Count ? tr( "points" ) : QStringLiteral( "%1 of %2" ).arg( reductionName( s.reduction ), s.valueField );
  nodes << new QgsColorRampLegendNode( nodeLayer, ramp, tr( "few %1 (%2)" ).arg( what, howName( s.how ) ), tr( "many" ) );
  return nodes;
}

} // namespace gridshade
