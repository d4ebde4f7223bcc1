# SPDX-License-Identifier: GPL-2.0-or-later
"""A NumPy statement of the shading numerics of Datashader 0.19.

Written from a reading of Datashader's ``datashader/transfer_functions/__init__.py``
(``shade``, ``eq_hist``, ``_interpolate``, ``_colorize``, ``_interpolate_alpha``, ``spread``,
``dynspread``, ``_rgb_density``, ``_circle_mask``) and ``datashader/composite.py`` (``over``).
It deliberately calls NumPy's own ``interp``, ``histogram``, ``linspace``, ``unique``,
``cumsum`` and ``power`` so that it checks Gridshade's C++ re-implementation of those against
the real thing. Datashader itself is not needed (nor packaged in Debian).

Conventions follow Datashader: aggregates and images are indexed ``[row, column]`` with row 0
at ``ymin`` (south-up); an image is a ``uint32`` array whose little-endian bytes are R, G, B, A.
Callers holding north-up arrays (Gridshade's .npy and PNG) flip them with ``np.flipud``.

Only the paths Gridshade exposes are covered: list colormaps, a single colour, 3-D count_cat
aggregates with a colour key, ``color_baseline=None``, ``rescale_discrete_levels=False`` and
circle-shaped spreading with the default ``over`` operator of images.
"""

import json
import os
import warnings

import numpy as np

#: Datashader's ``nbins`` default of eq_hist (256 * 256).
EQ_HIST_BINS = 65536

#: Datashader's ``colors.Sets1to3``: the default colour key of categorical shading.
SETS1TO3 = (
    '#e41a1c', '#377eb8', '#4daf4a', '#984ea3', '#ff7f00', '#ffff33', '#a65628', '#f781bf',
    '#999999', '#66c2a5', '#fc8d62', '#8da0cb', '#a6d854', '#ffd92f', '#e5c494', '#ffffb3',
    '#fb8072', '#fdb462', '#fccde5', '#d9d9d9', '#ccebc5', '#ffed6f',
)


# --------------------------------------------------------------------------------------------
# Colours
# --------------------------------------------------------------------------------------------

def hex_rgb(text):
    """'#rrggbb' -> (r, g, b) as Python ints (what ``datashader.colors.rgb`` gives for hex)."""
    h = text.strip().lstrip('#')
    if len(h) != 6:
        raise ValueError('expected #rrggbb, got %r' % text)
    return tuple(int(h[k:k + 2], 16) for k in (0, 2, 4))


def named_colormap(name, colormap_dir):
    """The hex list of one of Gridshade's named colormaps; 'gray' is black to white."""
    if name == 'gray':
        return ['#000000', '#ffffff']
    with open(os.path.join(colormap_dir, name + '.json'), encoding='utf-8') as f:
        return list(json.load(f)['hex'])


def pack_rgba(r, g, b, a):
    """Stacks four uint8 planes into Datashader's uint32 image (bytes R, G, B, A)."""
    planes = np.dstack([np.asarray(p, dtype=np.uint8) for p in (r, g, b, a)])
    return np.ascontiguousarray(planes).view('<u4').reshape(planes.shape[:2])


def unpack_rgba(img):
    """uint32 image -> (H, W, 4) uint8 array of R, G, B, A."""
    img = np.ascontiguousarray(img, dtype='<u4')
    return img.view(np.uint8).reshape(img.shape + (4,))


def _to_uint8(values):
    """nan_to_num then a float -> uint8 cast, as Datashader finishes every channel."""
    with np.errstate(invalid='ignore'):
        return np.nan_to_num(values, copy=False).astype(np.uint8)


# --------------------------------------------------------------------------------------------
# Value transforms ('how')
# --------------------------------------------------------------------------------------------

def eq_hist(data, mask=None, nbins=EQ_HIST_BINS):
    """Histogram equalisation of ``data``; returns (equalised float array, discrete levels).

    Integer (or boolean) data whose range is below ``nbins`` is counted value by value on the
    integers lo..hi (zero-count integers stay in the table); anything else goes through
    ``np.histogram(.., bins=nbins)`` with bin centres as knots and empty bins dropped. The
    normalised cumulative count is then looked up with ``np.interp`` for every element of
    ``data`` (masked ones included) and masked elements become NaN.
    """
    if mask is not None and np.all(mask):
        return np.full(np.shape(data), np.nan), 0
    sample = data if mask is None else data[~mask]
    exact = sample.dtype == bool or (np.issubdtype(sample.dtype, np.integer)
                                     and np.ptp(sample) < nbins)
    if exact:
        present, per_value = np.unique(sample, return_counts=True)
        lo, hi = int(present[0]), int(present[-1])
        knots = np.arange(lo, hi + 1)
        hist = np.zeros(hi - lo + 1, dtype=np.uint64)
        hist[present.astype(np.int64) - lo] = per_value
        levels = len(present)
    else:
        hist, edges = np.histogram(sample, bins=nbins)
        knots = (edges[:-1] + edges[1:]) / 2
        occupied = hist > 0
        levels = int(np.count_nonzero(occupied))
        if levels != len(hist):
            hist = hist[occupied]
            knots = knots[occupied]
    running = np.cumsum(hist)
    cdf = running / float(running[-1])
    out = np.interp(data, knots, cdf).reshape(np.shape(data))
    if mask is not None:
        out = np.where(mask, np.nan, out)
    return out, levels


def _masked_float(data, mask):
    return np.where(mask, np.nan, data)


def apply_how(how, data, mask):
    """Datashader's interpolators: the transformed values, NaN where masked (no levels)."""
    if how == 'linear':
        return _masked_float(data, mask)
    if how == 'log':
        return np.log1p(_masked_float(data, mask))
    if how == 'cbrt':
        return _masked_float(data, mask) ** (1 / 3.)
    if how == 'eq_hist':
        return eq_hist(data, mask)[0]
    raise ValueError('unknown how %r' % how)


def _span_of_transform(how, span):
    """The knot range for a fixed span: the transform of [0, span[1] - span[0]], unmasked."""
    if how == 'eq_hist':
        raise ValueError('span is not valid with eq_hist (as in Datashader)')
    return apply_how(how, [0, span[1] - span[0]], 0)


def _clip_unmasked(data, mask, lower, upper):
    """In-place clip of the unmasked elements into [lower, upper], assigning in data's dtype
    (a float bound written into an unsigned array is truncated, as the numba loop does)."""
    below = ~mask & (data < lower)
    above = ~mask & ~below & (data > upper)
    data[below] = np.array(lower).astype(data.dtype)
    data[above] = np.array(upper).astype(data.dtype)


# --------------------------------------------------------------------------------------------
# 2-D shading (count, sum, mean, ...)
# --------------------------------------------------------------------------------------------

def shade_2d(agg, cmap, how='eq_hist', alpha=255, min_alpha=40, span=None):
    """Datashader's ``_interpolate``: a 2-D aggregate -> uint32 image.

    ``cmap`` is a list of '#rrggbb' strings (a colormap) or one '#rrggbb' string (a single
    colour whose alpha ramps from ``min_alpha`` to ``alpha``).
    """
    data = np.array(agg, copy=True)
    mask = data == 0 if data.dtype.kind == 'u' else np.isnan(data)
    if mask.all():
        return np.zeros(data.shape, dtype=np.uint32)
    if span is None:
        offset = np.nanmin(data[~mask])
    else:
        offset = np.array(span, dtype=data.dtype)[0]
        _clip_unmasked(data, mask, span[0], span[1])
    data -= offset  # unsigned data wraps where masked, as in Datashader
    with np.errstate(invalid='ignore', divide='ignore'):
        t = apply_how(how, data, mask)
        if span is None:
            shown = np.where(~mask, t, np.nan)
            lo, hi = np.nanmin(shown), np.nanmax(shown)
        else:
            lo, hi = _span_of_transform(how, span)
    if isinstance(cmap, str):
        colour = hex_rgb(cmap)
        ramp = np.arange(min_alpha, alpha + 1)
        knots = np.linspace(lo, hi, len(ramp))
        a = _to_uint8(np.interp(t, knots, ramp, left=0, right=255))
        r, g, b = (np.full(t.shape, c, dtype=np.uint8) for c in colour)
        return pack_rgba(r, g, b, a)
    channels = np.array([hex_rgb(c) for c in cmap]).T  # rows: r, g, b knots
    knots = np.linspace(lo, hi, len(cmap))
    r, g, b = (_to_uint8(np.interp(t, knots, ch, left=255)) for ch in channels)
    a = np.where(np.isnan(t), 0, alpha).astype(np.uint8)
    return pack_rgba(r, g, b, a)


# --------------------------------------------------------------------------------------------
# Categorical shading (count_cat)
# --------------------------------------------------------------------------------------------

def _sum_keeping_missing(arr, axis):
    """Sum along ``axis`` treating NaN as 0, except that an all-NaN slice stays NaN."""
    if arr.dtype.kind in 'fc':
        nan = np.isnan(arr)
        every = np.all(nan, axis=axis, keepdims=True)
        return np.where(nan & ~every, 0, arr).sum(axis=axis)
    return arr.sum(axis=axis)


def _alpha_from_totals(data, total, mask, how, alpha, min_alpha, span):
    """Datashader's ``_interpolate_alpha``: per-pixel totals -> uint8 alpha."""
    unsigned = total.dtype.kind == 'u'
    with np.errstate(invalid='ignore', divide='ignore'):
        if span is None:
            offset = np.nanmin(total)
            if unsigned and offset == 0:
                mask = mask | (total == 0)
                if not np.all(mask):
                    offset = total[total > 0].min()
                total = np.where(~mask, total, np.nan)
            scaled = apply_how(how, total - offset, mask)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN: nothing drawn
                ends = [np.nanmin(scaled).item(), np.nanmax(scaled).item()]
        else:
            offset = np.array(span, dtype=data.dtype)[0]
            if unsigned and np.nanmin(total) == 0:
                mask = mask | (total <= 0)
                total = np.where(~mask, total, np.nan)
            _clip_unmasked(total, mask, span[0], span[1])
            scaled = apply_how(how, total - offset, mask)
            ends = _span_of_transform(how, span)
        ends = np.hstack(ends)
        ramp = np.interp(scaled, ends, np.array([min_alpha, alpha]), left=0, right=255)
    return _to_uint8(ramp)


def shade_categorical(agg, color_key=SETS1TO3, how='eq_hist', alpha=255, min_alpha=40, span=None):
    """Datashader's ``_colorize`` for an (H, W, C) aggregate with ``color_baseline=None``."""
    data = np.asarray(agg)
    cats = data.shape[2]
    if cats == 0:
        return np.zeros(data.shape[:2], dtype=np.uint32)
    if len(color_key) < cats:
        raise ValueError('insufficient colours (%d) for %d categories' % (len(color_key), cats))
    key = np.array([hex_rgb(c) for c in color_key[:cats]])  # (C, 3) int64
    weights = data.copy()
    baseline = np.nanmin(weights)
    with np.errstate(invalid='ignore'):
        if baseline > 0:
            weights -= baseline
        elif baseline < 0:
            weights += -baseline
    weight_total = _sum_keeping_missing(weights, axis=2)
    weights[np.isnan(data)] = 0
    present = ~np.isnan(data)
    present_count = np.sum(present, axis=2)
    mixed, plain = [], []
    with np.errstate(invalid='ignore', divide='ignore'):
        for ch in range(3):
            mixed.append((weights.dot(key[:, ch]) / weight_total).astype(np.uint8))
            plain.append((present.dot(key[:, ch]) / present_count).astype(np.uint8))
    no_weight = np.sum(weights, axis=2) == 0
    r, g, b = (np.where(no_weight, p, m) for m, p in zip(mixed, plain))
    total = _sum_keeping_missing(data, axis=2)
    a = _alpha_from_totals(data, total, np.isnan(total), how, alpha, min_alpha, span)
    return pack_rgba(r, g, b, a)


def shade(agg, cmap=None, how='eq_hist', alpha=255, min_alpha=40, span=None, color_key=SETS1TO3):
    """``datashader.transfer_functions.shade`` for 2-D and 3-D (categorical) aggregates."""
    if not 0 <= min_alpha <= 255 or not 0 <= alpha <= 255:
        raise ValueError('min_alpha and alpha must be in 0..255')
    agg = np.asarray(agg)
    if agg.ndim == 2:
        return shade_2d(agg, cmap, how, alpha, min_alpha, span)
    if agg.ndim == 3:
        return shade_categorical(agg, color_key, how, alpha, min_alpha, span)
    raise ValueError('agg must be 2-D or 3-D')


# --------------------------------------------------------------------------------------------
# Compositing and spreading
# --------------------------------------------------------------------------------------------

def _channels01(img):
    """uint32 pixels -> four float64 arrays in [0, 1]: r, g, b, a."""
    return [((img >> shift) & 255) / 255 for shift in (0, 8, 16, 24)]


def over(src, dst):
    """Datashader's ``over`` operator, element-wise on uint32 arrays."""
    sr, sg, sb, sa = _channels01(np.asarray(src, dtype=np.uint32))
    dr, dg, db, da = _channels01(np.asarray(dst, dtype=np.uint32))
    keep = 1 - sa
    a = sa + da * keep
    with np.errstate(invalid='ignore', divide='ignore'):
        rgb = [(s * sa + d * da * keep) / a for s, d in ((sr, dr), (sg, dg), (sb, db))]
    out = np.zeros(a.shape, dtype=np.uint32)
    for shift, v in zip((0, 8, 16, 24), rgb + [a]):
        with np.errstate(invalid='ignore'):
            out |= np.where(a == 0, 0, v * 255).astype(np.uint32) << np.uint32(shift)
    return np.where(a == 0, np.uint32(0), out)


def circle_mask(px):
    """Boolean (2px+1)^2 stencil: offsets whose Euclidean length is at most px + 0.5."""
    rows, cols = np.meshgrid(np.arange(-px, px + 1), np.arange(-px, px + 1), indexing='ij')
    return np.sqrt(cols * cols + rows * rows) <= px + 0.5


def spread(img, px):
    """Datashader's ``spread(img, px)`` of an image (circle, 'over').

    Datashader visits source pixels row by row from row 0 (south) and column 0, and stamps
    each opaque-ish (alpha > 0) one over its stencil: an untouched (== 0) target takes the
    source, any other is composited with ``over``. A target pixel therefore sees its sources
    in the order of decreasing stencil offset (row first, then column), the same for every
    pixel; applying the stencil offsets in that order, each over the whole image at once,
    gives the same result as the pixel loop.
    """
    if px <= 0:
        return img
    img = np.asarray(img, dtype=np.uint32)
    stencil = circle_mask(px)
    w = 2 * px + 1
    h, wd = img.shape
    buf = np.zeros((h + 2 * px, wd + 2 * px), dtype=np.uint32)
    live = ((img >> 24) & 255) != 0
    src = img[live]
    for i in range(w - 1, -1, -1):
        for j in range(w - 1, -1, -1):
            if not stencil[i, j]:
                continue
            window = buf[i:i + h, j:j + wd]
            cur = window[live]
            window[live] = np.where(cur == 0, src, over(src, cur))
    return buf[px:px + h, px:px + wd].copy()


def rgb_density(img, px):
    """Datashader's ``_rgb_density``: of the pixels with alpha > 0, the fraction that have
    another such pixel in the (2px+1)^2 square around them (clipped at the borders)."""
    filled = (((np.asarray(img, dtype=np.uint32) >> 24) & 255) != 0)
    n = int(filled.sum())
    if n == 0:
        return np.inf
    h, w = filled.shape
    table = np.zeros((h + 1, w + 1), dtype=np.int64)
    table[1:, 1:] = filled.astype(np.int64).cumsum(axis=0).cumsum(axis=1)
    y0 = np.clip(np.arange(h) - px, 0, h)[:, None]
    y1 = np.clip(np.arange(h) + px + 1, 0, h)[:, None]
    x0 = np.clip(np.arange(w) - px, 0, w)[None, :]
    x1 = np.clip(np.arange(w) + px + 1, 0, w)[None, :]
    around = table[y1, x1] - table[y0, x1] - table[y1, x0] + table[y0, x0]
    crowded = int(np.count_nonzero(filled & (around > 1)))
    return crowded / n


def dynspread_radius(img, threshold=0.5, max_px=3):
    """The radius Datashader's ``dynspread`` picks: grow from 1 while the density at twice the
    radius stays at or below ``threshold``; the first radius that exceeds it is taken back."""
    radius = 0
    for px in range(1, max_px + 1):
        radius = px
        if rgb_density(img, 2 * px) > threshold:
            radius = px - 1
            break
    return radius


def dynspread(img, threshold=0.5, max_px=3):
    """Datashader's ``dynspread`` of an image; returns (image, radius used)."""
    if not 0 <= threshold <= 1:
        raise ValueError('threshold must be in [0, 1]')
    radius = dynspread_radius(img, threshold, max_px)
    return (spread(img, radius) if radius >= 1 else img), radius
