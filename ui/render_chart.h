// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "render_record.h"

#include <QColor>
#include <QWidget>

class QPainter;

namespace gridshade
{

/**
 * \brief A small live chart of the last renders: one stacked bar per render (its stages in
 * four colours, newest on the right), a scale in milliseconds and a legend. GUI thread; owned
 * by its parent.
 */
class RenderChart : public QWidget
{
    Q_OBJECT

  public:
    static constexpr int DEFAULT_BARS = 40;

    explicit RenderChart( QWidget *parent = nullptr );
    //! Shows the last maxBars() of \a records (oldest first) and repaints.
    void setRecords( const QVector<RenderRecord> &records );
    int barCount() const { return mRecords.size(); }
    int maxBars() const { return mMaxBars; }
    void setMaxBars( int bars );
    //! The top of the millisecond scale: the slowest shown render rounded up to 1, 2 or 5 x 10^k.
    double scaleMs() const;
    //! The colour of stage \a index (0 to 3) in the bars and the legend.
    static QColor stageColor( int index );
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

  protected:
    void paintEvent( QPaintEvent *event ) override;

  private:
    void drawBars( QPainter &painter, const QRectF &plot, double scale ) const;
    void drawLegend( QPainter &painter, const QRectF &row ) const;

    int mMaxBars = DEFAULT_BARS;
    QVector<RenderRecord> mRecords;
};

} // namespace gridshade
