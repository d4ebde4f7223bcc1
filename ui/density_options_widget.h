// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "density_settings.h"

#include <QMap>
#include <QPair>
#include <QWidget>

#include <memory>

namespace Ui
{
class DensityOptionsWidget;
}

namespace gridshade
{

/**
 * \brief Edits a DensitySettings: source point layer, reduction and its fields (or a raster
 * layer with its agg and interpolate methods), scaling, colormap, spreading and opacity. Plain Qt: the plugin fills the layer and field lists.
 * GUI thread; owned by its parent widget.
 */
class DensityOptionsWidget : public QWidget
{
    Q_OBJECT

  public:
    explicit DensityOptionsWidget( QWidget *parent = nullptr );
    ~DensityOptionsWidget() override;

    /**
     * (display name, layer id) pairs of the layers to offer; hides the row when empty.
     * \a rasterSources maps the ids of raster layers among them to their GDAL sources: choosing
     * one makes a raster density layer.
     */
    void setSourceLayers( const QList<QPair<QString, QString>> &layers, const QMap<QString, QString> &rasterSources = {} );
    /**
     * Numeric fields (for sum/mean/min/max) and all fields (for categories) of the chosen layer.
     * The category keeps its field when the new list has it; otherwise none is chosen until
     * setCategoryHints() proposes one.
     */
    void setFields( const QStringList &numeric, const QStringList &all );
    /**
     * The category field to choose when none is (empty: leave none chosen), and a warning per
     * poor category field, shown while that field is chosen for count_cat. A warning does not
     * block OK: the plugin judges from a sample.
     */
    void setCategoryHints( const QString &suggested, const QMap<QString, QString> &warnings );
    //! The warning about the chosen category field (empty when none applies).
    QString categoryWarning() const;
    void setSettings( const DensitySettings &settings );
    //! The edited settings; an error message when they are not valid (also shown in the widget).
    DensitySettings settings() const;
    QString validationError() const;

  Q_SIGNALS:
    void sourceLayerChanged( const QString &layerId );
    void changed();

  private:
    void updateEnabled();
    //! Whether the settings being edited draw a raster (the chosen source, or the layer's own).
    bool rasterChosen() const;

    std::unique_ptr<Ui::DensityOptionsWidget> mUi;
    DensitySettings mBase;
    QMap<QString, QString> mRasterSources;
    QMap<QString, QString> mCategoryWarnings;
    QString mColormapToolTip;
};

} // namespace gridshade
