// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "aggregation/aggregate.h"
#include "core/extent.h"
#include "core/point_columns.h"
#include "core/status.h"

#include <QString>

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace gridshade
{

//! What one traversal of a PointIndex did (the cost model of docs/point_index.rst).
struct IndexTraversal
{
    uint64_t nodesVisited = 0; //!< nodes looked at
    uint64_t nodesWhole = 0;   //!< nodes inside the view whose box falls in one pixel: added at once
    uint64_t pointsWhole = 0;  //!< points those nodes hold
    uint64_t leavesScanned = 0;
    uint64_t pointsScanned = 0; //!< points binned one by one (leaves straddling a pixel or view edge)
};

/**
 * \brief Points sorted along a Morton curve with a tree of tight boxes over the sorted runs, so
 * that aggregation follows the pixels and points in view instead of every point.
 *
 * Leaves are runs of leafPoints consecutive points in curve order; each level above groups
 * FANOUT consecutive nodes (a packed R-tree). Every node keeps its tight bounding box and its
 * point count. Datashader's bin rule int(x * sx + tx) is monotone in x and in y, so a node whose
 * box lies inside the view and whose corners bin to the same pixel has all its points in that
 * pixel: its count is added there at once. Nodes outside the view are skipped; only leaves that
 * straddle a pixel edge or the view's edge are binned point by point, with the CPU aggregator's
 * own kernel (PointBinner). Counts are therefore identical to CpuAggregator's, bit for bit.
 *
 * Built in memory from PointColumns, or written to a file (docs/index-format.rst) and opened
 * from it memory-mapped: the mapped index reads its coordinates and nodes straight from the
 * page cache. Points with a NaN or infinite coordinate are not indexed, only counted, as the
 * aggregators drop them. Immutable after build() or open(); any thread.
 */
class PointIndex
{
  public:
    static constexpr uint32_t LEAF_POINTS = 256;
    static constexpr uint32_t FANOUT = 16;

    //! Sorts a copy of \a points' coordinates; \a leafPoints >= 1.
    static PointIndex build( const PointColumns &points, uint32_t leafPoints = LEAF_POINTS );

    /**
     * Writes the index with \a crsWkt and \a source (what it was built from, for staleness
     * checks) to \a path: to a temporary name beside it first, renamed when complete, so that
     * an interrupted write leaves nothing that open() would take.
     */
    Status write( const QString &path, const QString &crsWkt, const QString &source ) const;
    /**
     * Opens an index file memory-mapped; a wrong magic, version or byte order, a truncated file
     * and any section or node that points outside the file give an error naming the file and
     * what is wrong (the file is checked whole before anything is read through it).
     */
    static Status open( const QString &path, PointIndex &out );
    //! The CRS and source identity stored in the file (empty for an index built in memory).
    const QString &crsWkt() const { return mCrsWkt; }
    const QString &source() const { return mSource; }

    //! Indexed (finite) points.
    size_t size() const { return mCount; }
    //! Points of the source left out for a NaN or infinite coordinate.
    uint64_t nonFinite() const { return mNonFinite; }
    //! Tight box of the indexed points (invalid when there are none).
    Extent extent() const;
    size_t nodeCount() const { return mNodeCount; }
    uint32_t leafPoints() const { return mLeafPoints; }
    //! The coordinates in curve order.
    const double *x() const { return mX; }
    const double *y() const { return mY; }

    /**
     * Count aggregation of the indexed points onto \a viewport (Aggregate of Reduction::Count,
     * stats as CpuAggregator fills them: total, inView, droppedNonFinite, droppedOutside) on
     * \a threads threads (0: ThreadPool::defaultThreadCount()); the counts do not depend on it.
     */
    Status aggregateCount( const Viewport &viewport, Aggregate &out, IndexTraversal *traversal = nullptr,
                           const std::atomic<bool> *cancel = nullptr, int threads = 0 ) const;

    //! One node as stored in memory and in the file (56 bytes, little-endian).
    struct Node
    {
        double xmin, ymin, xmax, ymax;
        uint64_t begin, end;     //!< the points [begin, end) in curve order
        uint32_t firstChild = 0; //!< index of the first child (children are consecutive)
        uint32_t children = 0;   //!< 0 for a leaf
    };

  private:
    struct Storage;

    //! The nodes below \a root whose box meets the view, as one thread's share of the work.
    void traverse( uint32_t root, const Viewport &viewport, uint32_t *grid, IndexTraversal &t, uint64_t &whole ) const;

    //! Points the views below at: owned vectors, or the mapped file.
    std::shared_ptr<const Storage> mStorage;
    const double *mX = nullptr, *mY = nullptr;
    size_t mCount = 0;
    const Node *mNodes = nullptr; //!< leaves first, then each level above; the root is the last
    size_t mNodeCount = 0;
    std::vector<uint64_t> mLevelStarts; //!< index of each level's first node, leaves first
    uint64_t mNonFinite = 0;
    uint32_t mLeafPoints = LEAF_POINTS;
    QString mCrsWkt, mSource;
};

} // namespace gridshade
