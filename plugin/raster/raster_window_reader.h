// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "checks/alignment.h"
#include "core/status.h"

#include <QList>
#include <QSize>
#include <QString>

#include <gdal.h>

#include <cstdint>
#include <vector>

class QgsRasterDataProvider;
class QgsRectangle;

namespace gridshade
{

//! Resampling of windowed reads: GDAL's GRIORA_* methods of the same names.
enum class Resampling
{
  Nearest,
  Bilinear,
  Cubic,
  Average,
  Mode,
};

//! The GDAL RasterIO method of \a method (GDAL's warper uses the same values, GRA_*).
GDALRIOResampleAlg rasterIoAlgorithm( Resampling method );
//! GDAL's last error message, or "no details".
QString lastGdalError();

//! "nearest", "bilinear", "cubic", "average", "mode".
QString resamplingName( Resampling method );
//! Parses a name of resamplingName() (any case); false when unknown.
bool parseResampling( const QString &name, Resampling &method );

//! A window in pixels of the raster's full resolution: column, row, width, height. Fractional
//! values come from map extents and are passed to GDAL as they are.
struct PixelWindow
{
    double x = 0, y = 0, width = 0, height = 0;

    bool operator==( const PixelWindow &o ) const { return x == o.x && y == o.y && width == o.width && height == o.height; }
};

/**
 * What a source says about itself that the user overrides: its CRS (for sources that carry
 * none, such as arrays from the Python console) and its nodata value (a Datashader count
 * aggregate's 0). Applied through an in-memory VRT over the source, so GDAL's decimated reads
 * leave nodata out and the file itself is never written.
 */
struct RasterOverrides
{
    QString crsWkt;         //!< empty: the source's own
    bool hasNodata = false;
    double nodata = 0;

    bool any() const { return !crsWkt.isEmpty() || hasNodata; }
};

//! The result of a windowed read: float64 values, band after band, rows north-up, with the
//! geotransform of the returned grid (not of the source).
struct RasterArray
{
    int width = 0;
    int height = 0;
    QList<int> bands;           //!< 1-based band numbers, in the order of the data
    std::vector<double> values; //!< bands.size() * height * width
    GeoTransform transform;
    QString crsWkt;

    double at( int bandIndex, int row, int column ) const
    {
      return values[( static_cast<size_t>( bandIndex ) * height + row ) * width + column];
    }
};

/**
 * \brief Windowed reads of the raster behind a QGIS raster data provider, through GDAL's own
 * RasterIO with the chosen resampling (so overview choice and pixel conventions are GDAL's: see
 * docs/raster_windowed_reads.rst), and the native block grid for chunked processing.
 *
 * Opens its own GDAL dataset on the provider's source (a "gdal" provider), so a reader may live
 * on any one thread while QGIS uses the provider elsewhere. Not shared between threads.
 */
class RasterWindowReader
{
  public:
    explicit RasterWindowReader( const QgsRasterDataProvider *provider );
    //! The same on a GDAL dataset name (a file path, a VRT, a /vsimem/ file).
    explicit RasterWindowReader( const QString &gdalSource );
    //! The same with the source's CRS and/or nodata replaced (see RasterOverrides).
    RasterWindowReader( const QString &gdalSource, const RasterOverrides &overrides );
    ~RasterWindowReader();
    RasterWindowReader( const RasterWindowReader & ) = delete;
    RasterWindowReader &operator=( const RasterWindowReader & ) = delete;

    //! Ok, or why the raster could not be opened.
    Status status() const { return mStatus; }
    int width() const { return mWidth; }
    int height() const { return mHeight; }
    int bandCount() const { return mBands; }
    //! The geotransform of the full-resolution raster.
    const GeoTransform &transform() const { return mTransform; }
    QString crsWkt() const { return mCrsWkt; }
    //! GDAL's natural block size of \a band (e.g. 256 x 256 for a tiled GeoTIFF, W x 1 for strips).
    QSize nativeBlockSize( int band = 1 ) const;

    /**
     * Reads \a window of \a bands into an \a outSize grid with \a method. Windows must lie
     * inside the raster; an empty band list means all bands.
     */
    Status read( const QList<int> &bands, const PixelWindow &window, const QSize &outSize, Resampling method, RasterArray &out ) const;
    //! The same for a map extent in the raster's CRS (north-up rasters only).
    Status read( const QList<int> &bands, const QgsRectangle &extent, const QSize &outSize, Resampling method, RasterArray &out ) const;
    //! The fractional pixel window of a map extent; false for a rotated geotransform.
    bool windowForExtent( const QgsRectangle &extent, PixelWindow &window ) const;

    /**
     * A full-resolution window as float32, bands after one another: half the memory and memory
     * traffic of read() for rasters whose values float32 holds exactly (Byte, Int16, UInt16,
     * Float32), as streaming wants.
     */
    Status readFloat32( const QList<int> &bands, const PixelWindow &window, std::vector<float> &out ) const;
    //! GDAL's data type of \a band.
    GDALDataType dataType( int band ) const;

    //! Number of overviews of band 1 (0 when none).
    int overviewCount() const;
    //! Size of overview \a level (0-based; -1 is the full resolution).
    QSize overviewSize( int level ) const;
    /**
     * The overview that GDAL 3.6's RasterIO would read for output pixels of \a targetResolution
     * map units: the target factor is the smaller of target / pixel size over the two axes;
     * the most reduced overview whose actual factor (raster size / overview size) is below 1.2
     * times the target wins; -1 (full resolution) when none is, or the target is not coarser.
     */
    int selectOverviewLevel( double targetResolution ) const;
    /**
     * The level that read() of \a window at \a outSize really reads (0-based overview, -1 the
     * full resolution). GDAL 3.6 decides on the whole-pixel window it is given (the fractional
     * window widened to whole pixels), not on the fractional one: a 1000.2-pixel window is
     * 1002 pixels to it. Target factor: the smaller of window / output over the two axes (the
     * x axis when the output is one row); an overview's factor: the smaller of raster /
     * overview over the two axes; the most reduced overview below 1.2 times the target wins.
     */
    int levelRead( const PixelWindow &window, const QSize &outSize ) const;
    /**
     * read() from a fixed level: overview \a level (0-based; the window stays in full-resolution
     * pixels and is scaled to the overview), or -1 for the full resolution with GDAL's overview
     * choice turned off (the dataset opened again with OVERVIEW_LEVEL=NONE).
     */
    Status readLevel( int level, const QList<int> &bands, const PixelWindow &window, const QSize &outSize, Resampling method,
                      RasterArray &out ) const;

    /**
     * The validity of a window as GDAL's mask bands of \a bands give it (0 masked, 255 valid,
     * values between from alpha bands or resampled masks), combined by the minimum, for the same
     * window, size and resampling as read(). GDAL derives the mask from, in its order: an alpha
     * band, a per-dataset mask (internal TIFF mask, .msk), a per-band mask, the nodata value (NaN
     * included); without any, every pixel is valid.
     */
    Status readMask( const QList<int> &bands, const PixelWindow &window, const QSize &outSize, Resampling method,
                     std::vector<uint8_t> &alpha ) const;
    //! readMask() from the level that readLevel() reads (\a level as there), so that the mask
    //! always describes the same cells as the data.
    Status readMaskLevel( int level, const QList<int> &bands, const PixelWindow &window, const QSize &outSize, Resampling method,
                          std::vector<uint8_t> &alpha ) const;
    //! GDAL's mask flags of \a band: GMF_ALL_VALID 1, GMF_PER_DATASET 2, GMF_ALPHA 4, GMF_NODATA 8.
    int maskFlags( int band ) const;

    /**
     * Windows aligned to the native block grid of band 1 that tile the raster with no gap and no
     * overlap, row by row: each is \a chunk rounded up to whole native blocks, clipped at the
     * right and bottom edges.
     */
    std::vector<PixelWindow> blocks( const QSize &chunk ) const;

  private:
    // A window prepared for GDAL: the clamped fractional window, the whole pixels around it and
    // the RasterIO extra argument (resampling, floating-point window when fractional).
    struct IoWindow
    {
        double x = 0, y = 0, w = 0, h = 0;
        int ix = 0, iy = 0, iw = 0, ih = 0;
        GDALRasterIOExtraArg extra;
    };

    void open( const QString &source );
    //! With overrides: \a dataset becomes an in-memory VRT over it, kept in \a source for closing.
    Status applyOverrides( void *&dataset, void *&source ) const;
    //! The in-memory VRT over \a dataset carrying the overrides (null on failure).
    void *overridingVrt( void *dataset ) const;
    Status checkBands( const QList<int> &bands ) const;
    QList<int> bandsOrAll( const QList<int> &bands ) const;
    Status ioWindow( const PixelWindow &window, const QSize &outSize, Resampling method, IoWindow &io ) const;
    //! Whole pixels around the fractional window (clipped to \a limit) and GDAL's floating window.
    static void snapToPixels( double x, double y, double w, double h, const QSize &limit, IoWindow &io );
    //! The checks and window preparation that every read starts with.
    Status prepare( const QList<int> &bands, const PixelWindow &window, const QSize &outSize, Resampling method, QList<int> &wanted,
                    IoWindow &io ) const;
    //! The extra argument GDAL gets for \a io read into \a outSize.
    static GDALRasterIOExtraArg extraFor( const IoWindow &io, const QSize &outSize );
    Status rasterIo( void *dataset, int level, const QList<int> &bands, const IoWindow &source, const QSize &outSize, GDALDataType type,
                     void *data ) const;
    Status readBands( void *dataset, int level, const QList<int> &bands, const PixelWindow &window, const QSize &outSize, Resampling method,
                      RasterArray &out ) const;
    //! The window of \a io in the pixels of overview \a level (unchanged for -1).
    IoWindow onLevel( int level, const IoWindow &io ) const;
    //! The dataset opened with OVERVIEW_LEVEL=NONE (null with \a status set on failure).
    void *fullResolutionDataset( Status &status ) const;
    //! Checks \a level (-1..overviewCount()-1) and gives the dataset and level to read it from.
    Status levelDataset( int level, void *&dataset, int &datasetLevel ) const;
    Status readMasks( void *dataset, int level, const QList<int> &bands, const PixelWindow &window, const QSize &outSize, Resampling method,
                      std::vector<uint8_t> &alpha ) const;
    //! GDAL 3.6's choice for a target factor: the most reduced overview below 1.2 x \a target.
    int bestOverview( double target ) const;

    void *mDataset = nullptr; // GDALDatasetH
    void *mSourceDataset = nullptr; // the opened source when mDataset is a VRT over it (overrides)
    mutable void *mFullResolutionSource = nullptr; // likewise for mFullResolution
    QString mSource;
    RasterOverrides mOverrides;
    mutable void *mFullResolution = nullptr; // GDALDatasetH opened with OVERVIEW_LEVEL=NONE, on demand
    Status mStatus;
    int mWidth = 0;
    int mHeight = 0;
    int mBands = 0;
    GeoTransform mTransform;
    QString mCrsWkt;
};

} // namespace gridshade
