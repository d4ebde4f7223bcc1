// SPDX-License-Identifier: GPL-2.0-or-later
#include "scene_generator.h"

#include "core/portable_math.h"
#include "core/thread_pool.h"

#include <algorithm>
#include <cmath>

namespace gridshade
{

namespace
{

constexpr double EARTH_RADIUS = 6378137.0;
constexpr double PI = 3.14159265358979323846;

// SplitMix64 (Steele, Lea, Flood): a tiny generator with exactly defined 64-bit arithmetic.
class SplitMix64
{
  public:
    explicit SplitMix64( uint64_t state )
      : mState( state )
    {}

    uint64_t next()
    {
      uint64_t z = ( mState += 0x9E3779B97F4A7C15ull );
      z = ( z ^ ( z >> 30 ) ) * 0xBF58476D1CE4E5B9ull;
      z = ( z ^ ( z >> 27 ) ) * 0x94D049BB133111EBull;
      return z ^ ( z >> 31 );
    }

    //! Uniform in [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>( next() >> 11 ) * ( 1.0 / 9007199254740992.0 ); }
    double uniform( double lo, double hi ) { return lo + ( hi - lo ) * uniform(); }

    //! Two independent standard normals (Marsaglia's polar method: no trigonometry).
    void normals( double &a, double &b )
    {
      double u, v, s;
      do
      {
        u = 2.0 * uniform() - 1.0;
        v = 2.0 * uniform() - 1.0;
        s = u * u + v * v;
      } while ( s >= 1.0 || s == 0.0 );
      const double f = std::sqrt( -2.0 * portable::log( s ) / s );
      a = u * f;
      b = v * f;
    }

  private:
    uint64_t mState;
};

double mercatorY( double latDegrees )
{
  const double s = portable::sin( latDegrees * PI / 180.0 );
  return EARTH_RADIUS * 0.5 * portable::log( ( 1.0 + s ) / ( 1.0 - s ) );
}

struct GroupSpec
{
    int count;
    double weight;
    double sigmaLo;
    double sigmaHi;
};

// scenes.json "mixture", in its order: background, continental, regional, city, street, hotspot.
const GroupSpec GROUPS[] = {
  { 1, 0.05, 0, 0 }, { 8, 0.2, 300000.0, 1500000.0 }, { 40, 0.25, 15000.0, 150000.0 },
  { 24, 0.25, 500.0, 10000.0 }, { 32, 0.2, 15.0, 300.0 }, { 1, 0.05, 4.0, 4.0 },
};

} // namespace

SceneGenerator::SceneGenerator( uint64_t seed )
  : mSeed( seed )
{
  SplitMix64 rng( seed ^ 0x5CE9E5CE9E5CE9E5ull );
  for ( int g = 0; g < 6; ++g )
  {
    const GroupSpec &spec = GROUPS[g];
    std::vector<Component> group;
    double weightSum = 0;
    for ( int k = 0; k < spec.count; ++k )
    {
      Component c;
      c.group = g;
      c.weight = g == 0 || g == 5 ? 1.0 : rng.uniform( 0.1, 1.0 );
      weightSum += c.weight;
      double nx, ny;
      switch ( g )
      {
        case 1:
          c.cx = EARTH_RADIUS * rng.uniform( -150.0, 150.0 ) * PI / 180.0;
          c.cy = mercatorY( rng.uniform( -50.0, 65.0 ) );
          break;
        case 2:
          rng.normals( nx, ny );
          c.cx = CENTER_X + 1200000.0 * nx;
          c.cy = CENTER_Y + 800000.0 * ny;
          break;
        case 3:
          c.cx = CENTER_X + rng.uniform( -150000.0, 150000.0 );
          c.cy = CENTER_Y + rng.uniform( -150000.0, 150000.0 );
          break;
        case 4:
          c.cx = CENTER_X + rng.uniform( -8000.0, 8000.0 );
          c.cy = CENTER_Y + rng.uniform( -8000.0, 8000.0 );
          break;
        case 5:
          c.cx = CENTER_X + 1500.0;
          c.cy = CENTER_Y - 900.0;
          break;
        default:
          break;
      }
      if ( g > 0 )
      {
        // Log-uniform sigma, x and y differing by a factor of up to e^0.5.
        const double sigma = portable::exp( rng.uniform( portable::log( spec.sigmaLo ), portable::log( spec.sigmaHi ) ) );
        const double aniso = g == 5 ? 0.0 : rng.uniform( -0.5, 0.5 );
        c.sx = sigma * portable::exp( 0.5 * aniso );
        c.sy = sigma * portable::exp( -0.5 * aniso );
      }
      group.push_back( c );
    }
    for ( Component &c : group )
    {
      c.weight = spec.weight * c.weight / weightSum;
      mComponents.push_back( c );
    }
  }
  double running = 0;
  for ( const Component &c : mComponents )
  {
    running += c.weight;
    mCumulative.push_back( running );
  }
}

void SceneGenerator::generate( uint64_t begin, uint64_t end, double *x, double *y ) const
{
  for ( uint64_t i = begin; i < end; ++i )
  {
    // Key the stream by (seed, i) so that point i never depends on how many came before.
    SplitMix64 key( mSeed * 0xD1B54A32D192ED03ull + i );
    SplitMix64 rng( key.next() );
    const double pick = rng.uniform() * mCumulative.back();
    const size_t k = std::min<size_t>( std::upper_bound( mCumulative.begin(), mCumulative.end(), pick ) - mCumulative.begin(),
                                       mComponents.size() - 1 );
    const Component &c = mComponents[k];
    double px, py;
    if ( c.group == 0 )
    {
      px = rng.uniform( -HALF_WORLD, HALF_WORLD );
      py = rng.uniform( -HALF_WORLD, HALF_WORLD );
    }
    else
    {
      double nx, ny;
      rng.normals( nx, ny );
      px = c.cx + c.sx * nx;
      py = c.cy + c.sy * ny;
    }
    // Keep inside the web-mercator square: x wraps around the world, y reflects at the edges.
    px = px - WORLD_WIDTH * std::floor( ( px + HALF_WORLD ) / WORLD_WIDTH );
    while ( py > HALF_WORLD || py < -HALF_WORLD )
      py = py > HALF_WORLD ? 2 * HALF_WORLD - py : -2 * HALF_WORLD - py;
    x[i - begin] = px;
    y[i - begin] = py;
  }
}

PointColumns SceneGenerator::generate( uint64_t count, int threads ) const
{
  std::vector<double> x( count ), y( count );
  const int t = threads > 0 ? threads : ThreadPool::defaultThreadCount();
  const uint64_t chunk = std::max<uint64_t>( 1 << 16, ( count + t - 1 ) / t );
  const int tasks = static_cast<int>( ( count + chunk - 1 ) / chunk );
  ThreadPool::instance().run( tasks, [&]( int task ) {
    const uint64_t b = task * chunk;
    const uint64_t e = std::min( count, b + chunk );
    generate( b, e, x.data() + b, y.data() + b );
  } );
  return PointColumns::owned( std::move( x ), std::move( y ) );
}

} // namespace gridshade
