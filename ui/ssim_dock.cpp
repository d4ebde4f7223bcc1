// SPDX-License-Identifier: GPL-2.0-or-later
#include "ssim_dock.h"

#include "dock_parts.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPainter>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

namespace gridshade
{

namespace
{
constexpr int DIFF_WIDTH = 300;
constexpr int OUTLINE = 2;
constexpr QRgb OUTLINE_COLOR = 0xffff0000;

// Four filled strips rather than a stroked QPainter rect: an exact OUTLINE px inside the rect's
// border whatever the pen and antialiasing, so tests can look for the pixels.
void outline( QImage &image, const QRect &rect )
{
  const QRect r = rect.intersected( image.rect() );
  if ( r.isEmpty() )
    return;
  QPainter painter( &image );
  const QColor red = QColor::fromRgba( OUTLINE_COLOR );
  const int t = std::min( { OUTLINE, r.width(), r.height() } );
  painter.fillRect( QRect( r.left(), r.top(), r.width(), t ), red );
  painter.fillRect( QRect( r.left(), r.bottom() - t + 1, r.width(), t ), red );
  painter.fillRect( QRect( r.left(), r.top(), t, r.height() ), red );
  painter.fillRect( QRect( r.right() - t + 1, r.top(), t, r.height() ), red );
}
} // namespace

SsimDock::SsimDock( QWidget *parent )
  : QDockWidget( parent )
{
  // Queued connections and QSignalSpy need the signal's enum known at run time.
  qRegisterMetaType<Reference>();
  auto *content = new QWidget();
  auto *layout = new QVBoxLayout( content );
  // One form for the inputs and the results, so that their label columns line up.
  auto *form = new QFormLayout();
  form->setRowWrapPolicy( QFormLayout::WrapLongRows );
  buildInputs( form, content );
  buildResults( form, content );
  layout->addLayout( form );
  mDiff = new QLabel( content );
  mDiff->setObjectName( QStringLiteral( "diffImage" ) );
  mDiff->setAlignment( Qt::AlignCenter );
  mDiff->setToolTip( tr( "SSIM deficit: white is identical, darker differs more; the worst region is outlined in red" ) );
  layout->addWidget( mDiff );
  layout->addStretch();

  dockparts::frame( this, QStringLiteral( "GridshadeSsimDock" ), tr( "Gridshade SSIM" ), content );

  connect( mReference, qOverload<int>( &QComboBox::currentIndexChanged ), this, &SsimDock::updateEnabled );
  connect( mGolden, &QLineEdit::textChanged, this, &SsimDock::updateEnabled );
  connect( mBrowse, &QPushButton::clicked, this, &SsimDock::browse );
  connect( mSave, &QPushButton::clicked, this, &SsimDock::saveRenderRequested );
  connect( mCompare, &QPushButton::clicked, this, [this] { Q_EMIT compareRequested( reference(), goldenPath() ); } );
  setSavedRender( false );
  setLayerName( QString() );
  clearOutcome();
}

void SsimDock::buildInputs( QFormLayout *form, QWidget *content )
{
  mLayer = dockparts::valueLabel( content, "layerValue" );
  form->addRow( tr( "Layer" ), mLayer );

  mReference = new QComboBox( content );
  mReference->setObjectName( QStringLiteral( "referenceCombo" ) );
  // Item order follows the Reference enum, so the index is the value.
  mReference->addItem( tr( "Golden image file" ), static_cast<int>( Reference::GoldenImage ) );
  mReference->addItem( tr( "Saved render" ), static_cast<int>( Reference::SavedRender ) );
  mReference->addItem( tr( "Other backend (CPU vs GPU)" ), static_cast<int>( Reference::OtherBackend ) );
  mReference->setSizeAdjustPolicy( QComboBox::AdjustToMinimumContentsLengthWithIcon );
  mReference->setMinimumContentsLength( 10 );
  form->addRow( tr( "Reference" ), mReference );

  mGoldenRow = new QWidget( content );
  mGolden = new QLineEdit( mGoldenRow );
  mGolden->setObjectName( QStringLiteral( "goldenPath" ) );
  mGolden->setPlaceholderText( tr( "PNG file" ) );
  mGolden->setClearButtonEnabled( true );
  mBrowse = new QPushButton( tr( "Browse…" ), mGoldenRow );
  mBrowse->setObjectName( QStringLiteral( "browseButton" ) );
  auto *golden = new QHBoxLayout( mGoldenRow );
  golden->setContentsMargins( 0, 0, 0, 0 );
  golden->addWidget( mGolden, 1 );
  golden->addWidget( mBrowse );
  form->addRow( mGoldenRow );

  mSaved = dockparts::valueLabel( content, "savedValue" );
  form->addRow( mSaved );

  mSave = new QPushButton( tr( "Save current render" ), content );
  mSave->setObjectName( QStringLiteral( "saveButton" ) );
  mSave->setToolTip( tr( "Keep the layer's current render as the reference for later comparisons" ) );
  mCompare = new QPushButton( tr( "Compare" ), content );
  mCompare->setObjectName( QStringLiteral( "compareButton" ) );
  mCompare->setDefault( true );
  auto *buttons = new QHBoxLayout();
  buttons->addWidget( mSave );
  buttons->addWidget( mCompare );
  buttons->addStretch();
  form->addRow( buttons );
}

void SsimDock::buildResults( QFormLayout *form, QWidget *content )
{
  mSsim = dockparts::valueLabel( content, "ssimValue" );
  mWorst = dockparts::valueLabel( content, "worstValue" );
  mPixels = dockparts::valueLabel( content, "pixelsValue" );
  mDescription = dockparts::valueLabel( content, "descriptionValue" );
  form->addRow( tr( "SSIM" ), mSsim );
  form->addRow( tr( "Worst region" ), mWorst );
  form->addRow( tr( "Differences" ), mPixels );
  form->addRow( tr( "Compared" ), mDescription );
}

void SsimDock::setLayerName( const QString &name )
{
  mHasLayer = !name.isEmpty();
  mLayer->setText( mHasLayer ? name : tr( "no density layer selected" ) );
  updateEnabled();
}

SsimDock::Reference SsimDock::reference() const
{
  return static_cast<Reference>( mReference->currentData().toInt() );
}

void SsimDock::setReference( Reference reference )
{
  mReference->setCurrentIndex( mReference->findData( static_cast<int>( reference ) ) );
}

QString SsimDock::goldenPath() const
{
  return mGolden->text().trimmed();
}

void SsimDock::setGoldenPath( const QString &path )
{
  mGolden->setText( path );
}

void SsimDock::setSavedRender( bool available, const QString &description )
{
  mHasSaved = available;
  if ( !available )
    mSaved->setText( tr( "No render saved yet: save the current render first." ) );
  else
    mSaved->setText( description.isEmpty() ? tr( "Saved render available" ) : tr( "Saved: %1" ).arg( description ) );
  updateEnabled();
}

void SsimDock::setBusy( bool busy )
{
  mBusy = busy;
  if ( busy )
  {
    clearOutcome();
    mDescription->setText( tr( "Comparing…" ) );
    mAwaitingResult = true;
  }
  else if ( mAwaitingResult )
  {
    // Finished without an outcome or error (cancelled): do not leave "Comparing…" behind.
    clearOutcome();
  }
  updateEnabled();
}

void SsimDock::showOutcome( const SsimOutcome &outcome )
{
  mAwaitingResult = false;
  clearOutcome();
  const QLocale locale;
  // SSIM lies in [-1, 1]; the struct's -1 default means "not computed".
  if ( outcome.ssim > -1 )
    mSsim->setText( locale.toString( outcome.ssim, 'f', 6 ) );
  // Identical images have no worst region: say so rather than outline an arbitrary block.
  const bool identical = outcome.differingPixels == 0;
  if ( identical )
    mWorst->setText( tr( "none: the images are identical" ) );
  else if ( !outcome.worst.isEmpty() )
  {
    const QString where = tr( "x %1–%2, y %3–%4" ).arg( outcome.worst.left() ).arg( outcome.worst.right() ).arg( outcome.worst.top() ).arg( outcome.worst.bottom() );
    mWorst->setText( outcome.worstSsim > -1 ? tr( "%1: SSIM %2" ).arg( where, locale.toString( outcome.worstSsim, 'f', 6 ) ) : where );
  }
  if ( outcome.differingPixels >= 0 )
  {
    const qlonglong total = static_cast<qlonglong>( outcome.diff.width() ) * outcome.diff.height();
    mPixels->setText( total > 0 ? tr( "%1 of %2 pixels differ" ).arg( locale.toString( outcome.differingPixels ), locale.toString( total ) )
                                : tr( "%1 pixels differ" ).arg( locale.toString( outcome.differingPixels ) ) );
  }
  if ( !outcome.description.isEmpty() )
    mDescription->setText( outcome.description );
  showDiff( outcome.diff, identical ? QRect() : outcome.worst );
}

void SsimDock::showError( const QString &message )
{
  mAwaitingResult = false;
  clearOutcome();
  mDescription->setText( message );
  mDescription->setStyleSheet( QStringLiteral( "color: red;" ) );
}

void SsimDock::showDiff( const QImage &diff, const QRect &worst )
{
  if ( diff.isNull() )
    return;
  const QImage rgb = diff.convertToFormat( QImage::Format_RGB32 );
  mShownDiff = rgb;
  outline( mShownDiff, worst );

  // The outline is drawn again after scaling: a 2 px line scaled down with smoothing would fade
  // to pink, and a small worst block would shrink to nothing.
  const Qt::TransformationMode mode = rgb.width() > DIFF_WIDTH ? Qt::SmoothTransformation : Qt::FastTransformation;
  QImage shown = rgb.scaled( DIFF_WIDTH, 2 * DIFF_WIDTH, Qt::KeepAspectRatio, mode );
  if ( !worst.isEmpty() && !shown.isNull() )
  {
    const double sx = static_cast<double>( shown.width() ) / rgb.width();
    const double sy = static_cast<double>( shown.height() ) / rgb.height();
    QRect scaled( static_cast<int>( worst.left() * sx ), static_cast<int>( worst.top() * sy ),
                  std::max( 1, static_cast<int>( worst.width() * sx + 0.5 ) ), std::max( 1, static_cast<int>( worst.height() * sy + 0.5 ) ) );
    const int minSide = 3 * OUTLINE;
    if ( scaled.width() < minSide || scaled.height() < minSide )
    {
      const QPoint c = scaled.center();
      scaled.setSize( scaled.size().expandedTo( QSize( minSide, minSide ) ) );
      scaled.moveCenter( c );
    }
    outline( shown, scaled );
  }
  mDiff->setPixmap( QPixmap::fromImage( shown ) );
}

void SsimDock::clearOutcome()
{
  for ( QLabel *label : { mSsim, mWorst, mPixels, mDescription } )
    label->setText( dockparts::notKnown() );
  mDescription->setStyleSheet( QString() );
  mDiff->clear();
  mShownDiff = QImage();
}

void SsimDock::browse()
{
  const QString current = goldenPath();
  const QString start = current.isEmpty() ? QString() : QFileInfo( current ).absolutePath();
  const QString path = QFileDialog::getOpenFileName( this, tr( "Golden Image" ), start, tr( "PNG images (*.png)" ) );
  if ( !path.isEmpty() )
    mGolden->setText( path );
}

void SsimDock::updateEnabled()
{
  const Reference ref = reference();
  mGoldenRow->setVisible( ref == Reference::GoldenImage );
  mSaved->setVisible( ref == Reference::SavedRender );
  mSave->setVisible( ref == Reference::SavedRender );
  mSave->setEnabled( mHasLayer && !mBusy );
  mReference->setEnabled( !mBusy );
  mGoldenRow->setEnabled( !mBusy );

  // The tooltip says why Compare is off, which a greyed button alone does not.
  QString why;
  if ( !mHasLayer )
    why = tr( "Select a density layer first." );
  else if ( mBusy )
    why = tr( "A comparison is running." );
  else if ( ref == Reference::GoldenImage && goldenPath().isEmpty() )
    why = tr( "Choose a golden PNG file first." );
  else if ( ref == Reference::SavedRender && !mHasSaved )
    why = tr( "Save a render first." );
  mCompare->setEnabled( why.isEmpty() );
  mCompare->setToolTip( why.isEmpty() ? tr( "Compare the layer's current render with the reference" ) : why );
}

} // namespace gridshade
