// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/point_columns.h"

#include <cstdint>
#include <vector>

namespace gridshade
{

/**
 * \brief The standard scene of renderer/resources/scenes.json: a seeded mixture of background
 * noise and Gaussian clusters (continental, regional, city, street, one hotspot) around lon 8.5,
 * lat 47.4, in EPSG:3857 metres.
 *
 * Portable and prefix-stable: point i depends only on the seed and i (a SplitMix64 stream keyed
 * by both), its normals come from Marsaglia's polar method and all transcendental functions
 * from gridshade::portable, so a seed gives the same bits on every platform and the scene of
 * N points is the first N points of any larger one.
 *
 * Immutable after construction; any thread may generate any range at once.
 */
class SceneGenerator
{
  public:
    static constexpr uint64_t DEFAULT_SEED = 20240601;
    static constexpr double WORLD_WIDTH = 40075016.68557849;
    static constexpr double HALF_WORLD = 20037508.342789244;
    static constexpr double CENTER_X = 946215.6717428254;
    static constexpr double CENTER_Y = 6007610.414387713;

    //! One mixture component: a Gaussian (or, for the background, the whole square).
    struct Component
    {
        int group = 0; //!< 0 background, 1 continental, 2 regional, 3 city, 4 street, 5 hotspot
        double cx = 0, cy = 0;
        double sx = 0, sy = 0;
        double weight = 0; //!< share of all points
    };

    explicit SceneGenerator( uint64_t seed = DEFAULT_SEED );

    uint64_t seed() const { return mSeed; }
    const std::vector<Component> &components() const { return mComponents; }

    //! Writes points [begin, end) to x[0 .. end-begin) and y[...].
    void generate( uint64_t begin, uint64_t end, double *x, double *y ) const;
    //! The first \a count points, generated on \a threads threads (0 = all cores).
    PointColumns generate( uint64_t count, int threads = 0 ) const;

  private:
    uint64_t mSeed;
    std::vector<Component> mComponents;
    std::vector<double> mCumulative;
};

} // namespace gridshade
