# SPDX-License-Identifier: GPL-2.0-or-later
"""Kept for scripts written against the raster toolkit: the array functions now live in the
`gridshade` console package (python/gridshade), which the loader puts on sys.path."""
from gridshade._arrays import add_array, array_uri  # noqa: F401
