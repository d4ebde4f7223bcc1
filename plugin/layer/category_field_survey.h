// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QMap>
#include <QString>
#include <QStringList>

class QgsVectorLayer;

namespace gridshade
{

/**
 * \brief Which fields of a point layer make a count_cat category, judged from the layer's first
 * features: the field the density dialogs propose, and why another choice would fail or
 * mislead (a feature id, a floating-point field, more distinct values than count_cat colours or
 * takes).
 *
 * The proposal is a text or integer field that is not the layer's key, with the fewest
 * distinct values (at least two when one has them) within the colours of count_cat; none when
 * no field qualifies. A sample decides, so a field may still pass the limits further on: the
 * build then refuses it with the full count.
 *
 * Reads the sample in the constructor (GUI thread, a few milliseconds); then a plain value.
 */
class CategoryFieldSurvey
{
  public:
    static constexpr int SAMPLE_FEATURES = 10000;

    explicit CategoryFieldSurvey( const QgsVectorLayer *layer, int sampleFeatures = SAMPLE_FEATURES );

    //! The field to propose; empty when none qualifies.
    QString suggestion() const { return mSuggestion; }
    //! A warning for each field that is a poor category, by field name.
    QMap<QString, QString> warnings() const { return mWarnings; }

  private:
    struct Field
    {
        QString name;
        bool textOrInteger = false;
        bool floating = false;
        bool key = false;
        int distinct = 0; //!< in the sample, counted up to the build's limit + 1
    };

    void judge( const QList<Field> &fields, long long sampled );

    QString mSuggestion;
    QMap<QString, QString> mWarnings;
};

} // namespace gridshade
