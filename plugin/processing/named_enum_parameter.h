// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <qgsprocessingparameters.h>

namespace gridshade
{

/**
 * \brief An enum parameter whose values are its option names (BACKEND=cpu, as the scripts and
 * docs write them) that also takes the option's index (BACKEND=1), since that is what
 * `qgis_process help` lists for every enum ("0: auto, 1: cpu", "Number of selected option") on
 * QGIS 3.22 and 3.40 alike: help and what is accepted agree.
 *
 * Read the choice with choice(), which gives the option name for either form.
 */
class NamedEnumParameter : public QgsProcessingParameterEnum
{
  public:
    NamedEnumParameter( const QString &name, const QString &description, const QStringList &options, const QString &defaultName );

    QgsProcessingParameterDefinition *clone() const override;
    bool checkValueIsAcceptable( const QVariant &input, QgsProcessingContext *context = nullptr ) const override;

    //! The option name \a parameters give for \a definition (a name or an index), else its default.
    static QString choice( const QgsProcessingParameterDefinition *definition, const QVariantMap &parameters, QgsProcessingContext &context );

  private:
    //! The option named or numbered by \a value; empty when it is neither.
    QString optionFor( const QVariant &value ) const;
};

} // namespace gridshade
