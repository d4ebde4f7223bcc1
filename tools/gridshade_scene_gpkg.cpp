// SPDX-License-Identifier: GPL-2.0-or-later
// gridshade-scene-gpkg: the standard scene of N points (SceneGenerator) as a GeoPackage point
// layer in EPSG:3857, with a `value` (Real) and a `cat` (Integer 0..3) field, so that QGIS,
// qgis_process and the plugin tests can read the very points the engine's goldens use.
//
//   gridshade-scene-gpkg [--points N] [--seed S] [--layer NAME] [--spatial-index] OUT.gpkg
//
// value = (i mod 1000) / 10 and cat = i mod 4, with i the point's index: deterministic and
// independent of position, so sums and categories can be recomputed from the index alone.
#include "scene/scene_generator.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

using namespace gridshade;

namespace
{

int usage( const char *why )
{
  std::fprintf( stderr, "gridshade-scene-gpkg: %s\nusage: gridshade-scene-gpkg [--points N] [--seed S] [--layer NAME] [--spatial-index] OUT.gpkg\n", why );
  return 2;
}

int fail( const std::string &what )
{
  const char *detail = CPLGetLastErrorMsg();
  std::fprintf( stderr, "gridshade-scene-gpkg: error: %s%s%s\n", what.c_str(), *detail ? " (GDAL: " : "", *detail ? ( std::string( detail ) + ")" ).c_str() : "" );
  return 1;
}

bool parseCount( const char *text, unsigned long long &out )
{
  char *end = nullptr;
  const double v = std::strtod( text, &end ); // accepts 1e6
  if ( !end || *end || !( v >= 1 && v <= 4e9 ) || v != static_cast<double>( static_cast<unsigned long long>( v ) ) )
    return false;
  out = static_cast<unsigned long long>( v );
  return true;
}

} // namespace

int main( int argc, char **argv )
{
  unsigned long long count = 1000000, seed = SceneGenerator::DEFAULT_SEED;
  std::string layerName = "scene", out;
  bool spatialIndex = false;
  for ( int i = 1; i < argc; ++i )
  {
    const std::string a = argv[i];
    const bool hasValue = i + 1 < argc;
    if ( a == "--points" && hasValue )
    {
      if ( !parseCount( argv[++i], count ) )
        return usage( "--points needs a whole number from 1 to 4e9, e.g. 1e6" );
    }
    else if ( a == "--seed" && hasValue )
      seed = std::strtoull( argv[++i], nullptr, 10 );
    else if ( a == "--spatial-index" )
      spatialIndex = true;
    else if ( a == "--layer" && hasValue )
      layerName = argv[++i];
    else if ( !a.empty() && a[0] != '-' && out.empty() )
      out = a;
    else
      return usage( ( "unknown or incomplete argument '" + a + "'" ).c_str() );
  }
  if ( out.empty() )
    return usage( "missing the output file name" );

  const auto start = std::chrono::steady_clock::now();
  const PointColumns points = SceneGenerator( seed ).generate( count );

  GDALAllRegister();
  // Nothing else reads the file while it is written; a crash leaves only the .tmp file behind.
  CPLSetConfigOption( "OGR_SQLITE_SYNCHRONOUS", "OFF" );
  GDALDriverH driver = GDALGetDriverByName( "GPKG" );
  if ( !driver )
    return fail( "GDAL has no GPKG driver" );
  const std::string tmp = out + ".tmp.gpkg";
  std::remove( tmp.c_str() );
  GDALDatasetH ds = GDALCreate( driver, tmp.c_str(), 0, 0, 0, GDT_Unknown, nullptr );
  if ( !ds )
    return fail( "cannot create '" + tmp + "': check that the folder exists and is writable" );
  OGRSpatialReferenceH srs = OSRNewSpatialReference( nullptr );
  OSRImportFromEPSG( srs, 3857 );
  // No R-tree by default: Gridshade reads every point anyway, and SQLite's R-tree costs about
  // 20 us a point (4 s for 2e5 clustered points, five times the inserts). --spatial-index adds
  // one after the inserts, for other tools that query by extent.
  char **layerOptions = CSLSetNameValue( nullptr, "SPATIAL_INDEX", "NO" );
  OGRLayerH layer = GDALDatasetCreateLayer( ds, layerName.c_str(), srs, wkbPoint, layerOptions );
  CSLDestroy( layerOptions );
  OSRDestroySpatialReference( srs );
  if ( !layer )
    return fail( "cannot create layer '" + layerName + "'" );
  OGRFieldDefnH valueField = OGR_Fld_Create( "value", OFTReal );
  OGRFieldDefnH catField = OGR_Fld_Create( "cat", OFTInteger );
  const bool fieldsOk = OGR_L_CreateField( layer, valueField, TRUE ) == OGRERR_NONE && OGR_L_CreateField( layer, catField, TRUE ) == OGRERR_NONE;
  OGR_Fld_Destroy( valueField );
  OGR_Fld_Destroy( catField );
  if ( !fieldsOk )
    return fail( "cannot create the fields" );

  // One transaction and one reused feature: SQLite's per-statement commit and the per-feature
  // allocations are what make naive GPKG writing slow.
  if ( GDALDatasetStartTransaction( ds, FALSE ) != OGRERR_NONE )
    return fail( "cannot start a transaction" );
  OGRFeatureH feature = OGR_F_Create( OGR_L_GetLayerDefn( layer ) );
  OGR_F_SetGeometryDirectly( feature, OGR_G_CreateGeometry( wkbPoint ) );
  OGRGeometryH point = OGR_F_GetGeometryRef( feature );
  for ( unsigned long long i = 0; i < count; ++i )
  {
    OGR_G_SetPoint_2D( point, 0, points.x()[i], points.y()[i] );
    OGR_F_SetFieldDouble( feature, 0, static_cast<double>( i % 1000 ) / 10.0 );
    OGR_F_SetFieldInteger( feature, 1, static_cast<int>( i % 4 ) );
    OGR_F_SetFID( feature, OGRNullFID );
    if ( OGR_L_CreateFeature( layer, feature ) != OGRERR_NONE )
      return fail( "writing feature " + std::to_string( i ) + " failed" );
  }
  OGR_F_Destroy( feature );
  if ( GDALDatasetCommitTransaction( ds ) != OGRERR_NONE )
    return fail( "commit failed" );
  const std::string index = "SELECT CreateSpatialIndex('" + layerName + "', 'geom')";
  if ( spatialIndex )
    GDALDatasetReleaseResultSet( ds, GDALDatasetExecuteSQL( ds, index.c_str(), nullptr, nullptr ) );
  GDALClose( ds );
  if ( std::rename( tmp.c_str(), out.c_str() ) != 0 )
    return fail( "cannot rename '" + tmp + "' to '" + out + "'" );
  const double seconds = std::chrono::duration<double>( std::chrono::steady_clock::now() - start ).count();
  std::printf( "wrote %llu points (seed %llu) to %s, layer '%s', EPSG:3857, in %.2f s\n", count, seed, out.c_str(), layerName.c_str(), seconds );
  return 0;
}
