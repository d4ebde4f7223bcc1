// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

// The one place where the QGIS versions Gridshade builds against differ (3.22 LTR and 3.40
// LTR): 3.40 moved many enums into the Qgis namespace and removed the old names, and moved the
// gradient colour ramp into its own header. Code uses these names only, never #if on versions.

#include <qgsconfig.h>
#include <qgscoordinatereferencesystem.h>
#include <qgsfeaturerequest.h>
#include <qgsfield.h>
#include <qgsprocessing.h>
#include <qgsprocessingparameters.h>
#include <qgswkbtypes.h>

#if _QGIS_VERSION_INT >= 33600
#include <qgscolorrampimpl.h>
#else
#include <qgscolorramp.h>
#include <qgsmarkersymbollayer.h>
#include <qgsunittypes.h>
#endif

namespace gridshade::qgiscompat
{

#if _QGIS_VERSION_INT >= 33600
constexpr auto WKT_PREFERRED_GDAL = Qgis::CrsWktVariant::PreferredGdal;
constexpr auto POINT_GEOMETRY = Qgis::GeometryType::Point;
constexpr int VECTOR_POINT = static_cast<int>( Qgis::ProcessingSourceType::VectorPoint );
constexpr auto NUMBER_INTEGER = Qgis::ProcessingNumberParameterType::Integer;
constexpr auto NUMBER_DOUBLE = Qgis::ProcessingNumberParameterType::Double;
constexpr auto FIELD_NUMERIC = Qgis::ProcessingFieldParameterDataType::Numeric;
constexpr auto FIELD_ANY = Qgis::ProcessingFieldParameterDataType::Any;
constexpr auto FLAG_ADVANCED = Qgis::ProcessingParameterFlag::Advanced;
constexpr auto MARKER_SQUARE = Qgis::MarkerShape::Square;
constexpr auto RENDER_PIXELS = Qgis::RenderUnit::Pixels;
constexpr auto FEATURE_NO_GEOMETRY = Qgis::FeatureRequestFlag::NoGeometry;
#else
constexpr auto WKT_PREFERRED_GDAL = QgsCoordinateReferenceSystem::WKT_PREFERRED_GDAL;
constexpr auto POINT_GEOMETRY = QgsWkbTypes::PointGeometry;
constexpr int VECTOR_POINT = QgsProcessing::TypeVectorPoint;
constexpr auto NUMBER_INTEGER = QgsProcessingParameterNumber::Integer;
constexpr auto NUMBER_DOUBLE = QgsProcessingParameterNumber::Double;
constexpr auto FIELD_NUMERIC = QgsProcessingParameterField::Numeric;
constexpr auto FIELD_ANY = QgsProcessingParameterField::Any;
constexpr auto FLAG_ADVANCED = QgsProcessingParameterDefinition::FlagAdvanced;
constexpr auto MARKER_SQUARE = QgsSimpleMarkerSymbolLayerBase::Square;
constexpr auto RENDER_PIXELS = QgsUnitTypes::RenderPixels;
constexpr auto FEATURE_NO_GEOMETRY = QgsFeatureRequest::NoGeometry;
#endif

//! A field's type as QVariant::Type (3.40 gives QMetaType::Type, of the same values).
inline QVariant::Type fieldType( const QgsField &field )
{
  return static_cast<QVariant::Type>( field.type() );
}

} // namespace gridshade::qgiscompat
