// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "render_history.h"

#include <QDockWidget>

class QLabel;
class QPushButton;

namespace gridshade
{

class RenderChart;

/**
 * \brief "Gridshade Performance" dock: the last render of the followed density layer (time
 * split, backend and device, points per second, memory), a live chart of the recent renders
 * and a CSV export of the history.
 *
 * Plain Qt widgets: the plugin feeds it records (delivered by signal from the renderer) and
 * writes the CSV file when exportRequested() fires. GUI thread; owned by the main window.
 * Value labels have object names (layerValue, totalValue, splitValue, backendValue,
 * throughputValue, memoryValue, rendersValue) for tests and scripts; so do the chart
 * (renderChart) and the buttons (exportButton, clearButton).
 */
class PerformanceDock : public QDockWidget
{
    Q_OBJECT

  public:
    explicit PerformanceDock( QWidget *parent = nullptr );

    //! The followed layer's name; an empty name shows "no density layer" and clears the figures.
    void setLayerName( const QString &name );
    //! Adds one render: updates the figures, the chart and the history.
    void addRecord( const RenderRecord &record );
    const RenderHistory &history() const { return mHistory; }
    void clearHistory();

  Q_SIGNALS:
    //! The user asked to save the history as CSV (the plugin asks for a file name and writes).
    void exportRequested();

  private:
    void showRecord( const RenderRecord &record );
    void clearFigures();
    void updateCount();
    static QString backendText( const RenderRecord &record );
    static QString throughputText( const RenderRecord &record );
    static QString memoryText( const RenderRecord &record );

    QString mLayerName;
    RenderHistory mHistory;
    RenderChart *mChart = nullptr;
    QLabel *mLayer = nullptr;
    QLabel *mTotal = nullptr;
    QLabel *mSplit = nullptr;
    QLabel *mBackend = nullptr;
    QLabel *mThroughput = nullptr;
    QLabel *mMemory = nullptr;
    QLabel *mRenders = nullptr;
    QPushButton *mExport = nullptr;
    QPushButton *mClear = nullptr;
};

} // namespace gridshade
