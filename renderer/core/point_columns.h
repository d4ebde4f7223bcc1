// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace gridshade
{

/**
 * \brief Columnar points: x and y (float64), an optional value column (float64) and an optional
 * category column (int32 codes 0..categoryCount-1).
 *
 * Each column is either a view over caller memory (no copy: the caller keeps that memory alive
 * and unchanged for the lifetime of every copy of this object) or owned storage, shared
 * immutably between copies. Copies are cheap and may be read from any thread at once.
 */
class PointColumns
{
  public:
    PointColumns() = default;

    //! Views over caller memory; nothing is copied.
    static PointColumns view( const double *x, const double *y, size_t count );
    //! Takes ownership of the vectors (which must have the same size).
    static PointColumns owned( std::vector<double> x, std::vector<double> y );

    //! Attaches a value column viewing caller memory of size() elements.
    void setValuesView( const double *values );
    void setValues( std::vector<double> values );
    //! Attaches a category column viewing caller memory of size() elements.
    void setCategoriesView( const int32_t *categories, int categoryCount );
    void setCategories( std::vector<int32_t> categories, int categoryCount );

    size_t size() const { return mCount; }
    const double *x() const { return mX; }
    const double *y() const { return mY; }
    const double *values() const { return mValues; }
    const int32_t *categories() const { return mCategories; }
    int categoryCount() const { return mCategoryCount; }
    bool hasValues() const { return mValues != nullptr; }
    bool hasCategories() const { return mCategories != nullptr; }

    //! The first \a count points (clamped to size()), sharing this object's memory.
    PointColumns prefix( size_t count ) const;

    /**
     * Identities of the columns for caches that keep copies elsewhere (the GPU's resident
     * buffers): every view(), owned(), setValues*() and setCategories*() makes a new id, shared
     * by copies and prefixes; 0 when the column is absent. An id is never reused in a process.
     */
    uint64_t coordinatesId() const { return mCoordinatesToken ? *mCoordinatesToken : 0; }
    uint64_t valuesId() const { return mValuesToken ? *mValuesToken : 0; }
    uint64_t categoriesId() const { return mCategoriesToken ? *mCategoriesToken : 0; }
    //! Expires when no PointColumns sharing these x/y columns is left.
    std::weak_ptr<const uint64_t> coordinatesLifetime() const { return mCoordinatesToken; }

  private:
    const double *mX = nullptr;
    const double *mY = nullptr;
    const double *mValues = nullptr;
    const int32_t *mCategories = nullptr;
    size_t mCount = 0;
    int mCategoryCount = 0;
    // Owned columns live here; views leave them empty.
    std::shared_ptr<const std::vector<double>> mOwnedX;
    std::shared_ptr<const std::vector<double>> mOwnedY;
    std::shared_ptr<const std::vector<double>> mOwnedValues;
    std::shared_ptr<const std::vector<int32_t>> mOwnedCategories;
    std::shared_ptr<const uint64_t> mCoordinatesToken;
    std::shared_ptr<const uint64_t> mValuesToken;
    std::shared_ptr<const uint64_t> mCategoriesToken;
};

} // namespace gridshade
