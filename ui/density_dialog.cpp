// SPDX-License-Identifier: GPL-2.0-or-later
#include "density_dialog.h"

#include <QDialogButtonBox>
#include <QPushButton>
#include <QVBoxLayout>

namespace gridshade
{

DensityDialog::DensityDialog( const QString &title, bool withApply, QWidget *parent )
  : QDialog( parent )
  , mOptions( new DensityOptionsWidget( this ) )
{
  setWindowTitle( title );
  auto *layout = new QVBoxLayout( this );
  layout->addWidget( mOptions );
  QDialogButtonBox::StandardButtons buttons = QDialogButtonBox::Ok | QDialogButtonBox::Cancel;
  if ( withApply )
    buttons |= QDialogButtonBox::Apply;
  mButtons = new QDialogButtonBox( buttons, this );
  layout->addWidget( mButtons );
  connect( mButtons, &QDialogButtonBox::accepted, this, &QDialog::accept );
  connect( mButtons, &QDialogButtonBox::rejected, this, &QDialog::reject );
  if ( QPushButton *apply = mButtons->button( QDialogButtonBox::Apply ) )
    connect( apply, &QPushButton::clicked, this, &DensityDialog::applied );
  auto validate = [this] {
    const bool ok = mOptions->validationError().isEmpty();
    mButtons->button( QDialogButtonBox::Ok )->setEnabled( ok );
    if ( QPushButton *apply = mButtons->button( QDialogButtonBox::Apply ) )
      apply->setEnabled( ok );
  };
  connect( mOptions, &DensityOptionsWidget::changed, this, validate );
  validate();
}

} // namespace gridshade
