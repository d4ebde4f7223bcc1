// SPDX-License-Identifier: GPL-2.0-or-later
#include "density_options_widget.h"

#include "shading/shade_settings.h"
#include "ui_density_options_widget.h"

namespace gridshade
{

namespace
{
void selectData( QComboBox *combo, const QString &value )
{
  const int i = combo->findData( value );
  if ( i >= 0 )
    combo->setCurrentIndex( i );
  else if ( combo->isEditable() )
    combo->setEditText( value );
}
} // namespace

DensityOptionsWidget::DensityOptionsWidget( QWidget *parent )
  : QWidget( parent )
  , mUi( std::make_unique<Ui::DensityOptionsWidget>() )
{
  mUi->setupUi( this );
  for ( Reduction r : { Reduction::Count, Reduction::Sum, Reduction::Mean, Reduction::Min, Reduction::Max, Reduction::CountCat } )
    mUi->reduction->addItem( reductionName( r ), reductionName( r ) );
  for ( RasterDownsample d : { RasterDownsample::Mean, RasterDownsample::Min, RasterDownsample::Max, RasterDownsample::First, RasterDownsample::Mode } )
    mUi->agg->addItem( downsampleName( d ), downsampleName( d ) );
  for ( RasterUpsample u : { RasterUpsample::Linear, RasterUpsample::Nearest } )
    mUi->interpolate->addItem( upsampleName( u ), upsampleName( u ) );
  for ( How h : { How::EqHist, How::Log, How::Cbrt, How::Linear } )
    mUi->how->addItem( howName( h ), howName( h ) );
  for ( const QString &name : Colormap::names() )
    mUi->colormap->addItem( name, name );
  mColormapToolTip = mUi->colormap->toolTip();
  connect( mUi->source, qOverload<int>( &QComboBox::currentIndexChanged ), this,
           [this] {
             updateEnabled();
             Q_EMIT sourceLayerChanged( mUi->source->currentData().toString() );
           } );
  for ( QComboBox *c : { mUi->reduction, mUi->valueField, mUi->categoryField, mUi->agg, mUi->interpolate, mUi->how, mUi->colormap } )
    connect( c, qOverload<int>( &QComboBox::currentIndexChanged ), this, [this] { updateEnabled(); Q_EMIT changed(); } );
  connect( mUi->colormap, &QComboBox::editTextChanged, this, [this] { updateEnabled(); Q_EMIT changed(); } );
  connect( mUi->spread, qOverload<int>( &QSpinBox::valueChanged ), this, &DensityOptionsWidget::changed );
  connect( mUi->opacity, qOverload<int>( &QSpinBox::valueChanged ), this, &DensityOptionsWidget::changed );
  connect( mUi->dynspread, &QCheckBox::toggled, this, &DensityOptionsWidget::changed );
  updateEnabled();
}

DensityOptionsWidget::~DensityOptionsWidget() = default;

void DensityOptionsWidget::setSourceLayers( const QList<QPair<QString, QString>> &layers, const QMap<QString, QString> &rasterSources )
{
  mRasterSources = rasterSources;
  mUi->source->clear();
  for ( const auto &[name, id] : layers )
    mUi->source->addItem( name, id );
  mUi->source->setVisible( !layers.isEmpty() );
  mUi->sourceLabel->setVisible( !layers.isEmpty() );
}

void DensityOptionsWidget::setFields( const QStringList &numeric, const QStringList &all )
{
  const QString value = mUi->valueField->currentData().toString();
  const QString category = mUi->categoryField->currentData().toString();
  mUi->valueField->clear();
  for ( const QString &f : numeric )
    mUi->valueField->addItem( f, f );
  mUi->categoryField->clear();
  for ( const QString &f : all )
    mUi->categoryField->addItem( f, f );
  selectData( mUi->valueField, value.isEmpty() ? mBase.valueField : value );
  // A combo box selects its first item by itself, which for a GeoPackage is its fid: the worst
  // category there is. Nothing is chosen unless the settings or the user named the field.
  mUi->categoryField->setCurrentIndex( -1 );
  selectData( mUi->categoryField, category.isEmpty() ? mBase.categoryField : category );
  mCategoryWarnings.clear();
  updateEnabled();
}

void DensityOptionsWidget::setCategoryHints( const QString &suggested, const QMap<QString, QString> &warnings )
{
  mCategoryWarnings = warnings;
  if ( mUi->categoryField->currentIndex() < 0 && !suggested.isEmpty() )
    selectData( mUi->categoryField, suggested );
  updateEnabled();
}

QString DensityOptionsWidget::categoryWarning() const
{
  Reduction r = Reduction::Count;
  parseReduction( mUi->reduction->currentData().toString(), r );
  if ( rasterChosen() || r != Reduction::CountCat )
    return QString();
  return mCategoryWarnings.value( mUi->categoryField->currentData().toString() );
}

void DensityOptionsWidget::setSettings( const DensitySettings &s )
{
  mBase = s;
  selectData( mUi->source, s.layerId );
  selectData( mUi->reduction, reductionName( s.reduction ) );
  selectData( mUi->valueField, s.valueField );
  selectData( mUi->categoryField, s.categoryField );
  selectData( mUi->agg, downsampleName( s.agg ) );
  selectData( mUi->interpolate, upsampleName( s.interpolate ) );
  selectData( mUi->how, howName( s.how ) );
  selectData( mUi->colormap, s.colormap );
  mUi->spread->setValue( s.spreadPx );
  mUi->dynspread->setChecked( s.dynspread );
  mUi->opacity->setValue( static_cast<int>( s.opacity * 100 + 0.5 ) );
  updateEnabled();
}

DensitySettings DensityOptionsWidget::settings() const
{
  DensitySettings s = mBase;
  if ( !mUi->source->isHidden() && mUi->source->count() )
  {
    const QString id = mUi->source->currentData().toString();
    s.layerId = mRasterSources.contains( id ) ? QString() : id;
    s.raster = mRasterSources.value( id );
    s.source.clear();
  }
  if ( s.isRaster() )
  {
    parseDownsample( mUi->agg->currentData().toString(), s.agg );
    parseUpsample( mUi->interpolate->currentData().toString(), s.interpolate );
  }
  parseReduction( mUi->reduction->currentData().toString(), s.reduction );
  const bool needsValue = reductionNeedsValues( s.reduction );
  s.valueField = needsValue ? mUi->valueField->currentData().toString() : QString();
  s.categoryField = s.reduction == Reduction::CountCat ? mUi->categoryField->currentData().toString() : QString();
  parseHow( mUi->how->currentData().toString(), s.how );
  s.colormap = mUi->colormap->currentText().trimmed();
  s.spreadPx = mUi->spread->value();
  s.dynspread = mUi->dynspread->isChecked();
  s.opacity = mUi->opacity->value() / 100.0;
  return s;
}

QString DensityOptionsWidget::validationError() const
{
  AggregateSettings a;
  ShadeSettings sh;
  const Status st = settings().toEngine( a, sh );
  return st ? QString() : st.message();
}

bool DensityOptionsWidget::rasterChosen() const
{
  if ( !mUi->source->isHidden() && mUi->source->count() )
    return mRasterSources.contains( mUi->source->currentData().toString() );
  return mBase.isRaster();
}

void DensityOptionsWidget::updateEnabled()
{
  // A raster has cells, not points: its two methods replace the reduction and its fields.
  const bool raster = rasterChosen();
  for ( QWidget *w : std::initializer_list<QWidget *> { mUi->reductionLabel, mUi->reduction, mUi->valueLabel, mUi->valueField, mUi->categoryLabel, mUi->categoryField } )
    w->setVisible( !raster );
  for ( QWidget *w : std::initializer_list<QWidget *> { mUi->aggLabel, mUi->agg, mUi->interpolateLabel, mUi->interpolate } )
    w->setVisible( raster );
  Reduction r = Reduction::Count;
  parseReduction( mUi->reduction->currentData().toString(), r );
  const bool needsValue = reductionNeedsValues( r );
  mUi->valueField->setEnabled( needsValue );
  mUi->categoryField->setEnabled( r == Reduction::CountCat );
  // count_cat colours each category from its colour key: a colormap has no effect there.
  const bool colormapApplies = raster || r != Reduction::CountCat;
  mUi->colormap->setEnabled( colormapApplies );
  mUi->cmapLabel->setEnabled( colormapApplies );
  mUi->colormap->setToolTip( colormapApplies ? mColormapToolTip
                                             : tr( "count_cat colours each category with Datashader's Sets1to3 colour key (%1 colours): the colormap does not apply" )
                                                 .arg( defaultColorKey().size() ) );
  const QString error = validationError();
  mUi->message->setText( error.isEmpty() ? categoryWarning() : error );
}

} // namespace gridshade
