// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "density_options_widget.h"

#include <QDialog>

class QDialogButtonBox;

namespace gridshade
{

/**
 * \brief "Add density layer" and "Density layer properties": a DensityOptionsWidget with OK /
 * Cancel (and Apply for properties). OK stays disabled while the options are invalid.
 * GUI thread; modal.
 */
class DensityDialog : public QDialog
{
    Q_OBJECT

  public:
    explicit DensityDialog( const QString &title, bool withApply, QWidget *parent = nullptr );

    DensityOptionsWidget *options() const { return mOptions; }

  Q_SIGNALS:
    //! Apply was pressed with valid options.
    void applied();

  private:
    DensityOptionsWidget *mOptions = nullptr;
    QDialogButtonBox *mButtons = nullptr;
};

} // namespace gridshade
