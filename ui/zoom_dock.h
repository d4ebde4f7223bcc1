// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QDockWidget>
#include <QVector>

class QComboBox;
class QFormLayout;
class QLabel;
class QPushButton;
class QTableWidget;
class QVBoxLayout;

namespace gridshade
{

//! One zoom of a sweep: its name ("Z8"), wall time of the render and the layer's own split.
struct SweepRow
{
    QString zoom;
    double totalMs = -1;     //!< the whole map render as QGIS timed it
    double firstMs = -1;     //!< cache (points) or read (raster)
    double secondMs = -1;    //!< aggregate (points) or regrid (raster)
    double shadeMs = -1;
    qlonglong pointsInView = -1;
    qlonglong pointsTotal = -1;
};

/**
 * \brief "Gridshade Zoom" dock: the canvas's web-map zoom level and scale, the followed density
 * layer's points in view against its total, buttons that jump to the standard zooms Z0, Z4,
 * Z8 and Z12 (around the centre of the layer's extent, of the current view or of the standard
 * scene), and a sweep that renders all four and lists their timings.
 *
 * Plain Qt widgets: the plugin computes the figures and does the jumps and renders when the
 * signals fire. GUI thread; owned by the main window. Value labels have object names
 * (layerValue, zoomValue, scaleValue, pointsValue, sweepStatus) and the table is "sweepTable";
 * the other controls are centreCombo, zoomButton0/4/8/12, sweepButton and cancelButton.
 */
class ZoomDock : public QDockWidget
{
    Q_OBJECT

  public:
    //! Where the standard zooms are centred; the combo box lists them in this order.
    enum class Centre
    {
      LayerExtent,   //!< the centre of the followed layer's extent (the default: the user's data)
      CurrentView,   //!< the centre of the map canvas's current view
      StandardScene, //!< lon 8.5, lat 47.4, the standard viewports of renderer/resources/scenes.json
    };
    Q_ENUM( Centre )

    //! The zooms the buttons offer, in order.
    static QVector<int> standardZooms() { return { 0, 4, 8, 12 }; }

    explicit ZoomDock( QWidget *parent = nullptr );

    //! The followed layer; an empty name disables the buttons and clears the points.
    void setLayerName( const QString &name );
    //! The canvas's zoom level (NaN when unknown: shown as "–") and scale denominator.
    void setView( double zoom, double scale );
    //! Points in view against the total of the last render; negative values clear the figure.
    void setPoints( qlonglong inView, qlonglong total );
    Centre centre() const;
    void setCentre( Centre centre );

    //! While a sweep runs the jump and sweep buttons are disabled and a Cancel button shows.
    void setSweepRunning( bool running );
    bool isSweepRunning() const { return mSweepRunning; }
    //! "Rendering Z8 (3 of 4)…" style status line.
    void setSweepStatus( const QString &status );
    void clearSweep();
    void addSweepRow( const SweepRow &row );
    QVector<SweepRow> sweepRows() const { return mRows; }

  Q_SIGNALS:
    void zoomRequested( int zoom, gridshade::ZoomDock::Centre centre );
    void sweepRequested( gridshade::ZoomDock::Centre centre );
    void sweepCancelRequested();

  private:
    QFormLayout *buildFigures( QWidget *content );
    QVBoxLayout *buildButtons( QWidget *content );
    void updateEnabled();

    bool mHasLayer = false;
    bool mSweepRunning = false;
    QVector<SweepRow> mRows;
    QLabel *mLayer = nullptr;
    QLabel *mZoom = nullptr;
    QLabel *mScale = nullptr;
    QLabel *mPoints = nullptr;
    QLabel *mSweepStatus = nullptr;
    QComboBox *mCentre = nullptr;
    QVector<QPushButton *> mJumps;
    QPushButton *mSweep = nullptr;
    QPushButton *mCancel = nullptr;
    QTableWidget *mTable = nullptr;
};

} // namespace gridshade
