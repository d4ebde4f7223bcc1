// SPDX-License-Identifier: GPL-2.0-or-later
#include "named_enum_parameter.h"

#include <qgsprocessingcontext.h>

namespace gridshade
{

NamedEnumParameter::NamedEnumParameter( const QString &name, const QString &description, const QStringList &options, const QString &defaultName )
  : QgsProcessingParameterEnum( name, description, options, false, defaultName, false, true )
{}

QgsProcessingParameterDefinition *NamedEnumParameter::clone() const
{
  auto *copy = new NamedEnumParameter( name(), description(), options(), defaultValue().toString() );
  copy->setFlags( flags() );
  return copy;
}

QString NamedEnumParameter::optionFor( const QVariant &value ) const
{
  const QString text = value.toString().trimmed();
  for ( const QString &option : options() )
    if ( option.compare( text, Qt::CaseInsensitive ) == 0 )
      return option;
  bool isIndex = false;
  const int index = text.toInt( &isIndex );
  return isIndex && index >= 0 && index < options().size() ? options().at( index ) : QString();
}

bool NamedEnumParameter::checkValueIsAcceptable( const QVariant &input, QgsProcessingContext *context ) const
{
  const QVariant value = input.canConvert<QgsProperty>() ? QVariant() : input;
  if ( !value.isValid() || value.toString().isEmpty() )
    return QgsProcessingParameterEnum::checkValueIsAcceptable( input, context );
  return !optionFor( value ).isEmpty();
}

QString NamedEnumParameter::choice( const QgsProcessingParameterDefinition *definition, const QVariantMap &parameters, QgsProcessingContext &context )
{
  const auto *named = dynamic_cast<const NamedEnumParameter *>( definition );
  if ( !named )
    return QgsProcessingParameters::parameterAsEnumString( definition, parameters, context );
  const QVariant value = parameters.value( definition->name() );
  const QString option = value.isValid() && !value.toString().isEmpty() ? named->optionFor( value ) : QString();
  return option.isEmpty() ? named->defaultValue().toString() : option;
}

} // namespace gridshade
