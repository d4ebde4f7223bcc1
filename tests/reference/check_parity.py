#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Datashader parity: gridshade-render's images against a NumPy restatement of Datashader 0.19.

usage: /usr/bin/python3 check_parity.py PATH/TO/gridshade-render [-k SUBSTRING] [--keep DIR]

For every case the engine renders a PNG and writes its aggregate (.npy, north-up); the
reference (ds_reference.py, real NumPy) shades that very aggregate as Datashader's shade()
(+ spread / dynspread) would, and the two RGBA arrays must be equal byte for byte. For the
cases read from CSV (written here) the aggregate itself is also recomputed from the points.

Before the cases the reference checks itself: its vectorised spread and density against plain
pixel loops, and its output against the expected images of Datashader's own test suite.

Datashader's log and cbrt are NumPy's log1p and power, which on AVX-512 machines are SVML
kernels (within 1 ulp of libm, not equal to it); there the log and cbrt cases run a second time
with NPY_DISABLE_CPU_FEATURES set, so that both flavours of Datashader are matched.

Documented deviation: Gridshade writes empty pixels as (0,0,0,0) while Datashader keeps the
colour behind alpha 0 (single-colour maps, count_cat); both sides zero alpha-0 pixels first.

Run with Debian's /usr/bin/python3 (python3-numpy, python3-pil). Exit status 0 when every case
matches, 1 when any differs or fails, 2 on a usage error. --keep DIR keeps the renders and
writes <case>.ref.png and <case>.diff.png for the cases that differ.
"""

import argparse
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time

try:
    import numpy as np
    from PIL import Image
except ImportError as e:  # pragma: no cover
    sys.exit('check_parity.py: %s: run it with Debian\'s /usr/bin/python3 and '
             'apt-get install python3-numpy python3-pil' % e)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ds_reference as ds  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COLORMAP_DIR = os.path.join(REPO, 'renderer', 'resources', 'colormaps')
SCENE_POINTS = 200000
ZOOMS = ('Z0', 'Z4', 'Z8', 'Z12')

# CSV data sets written by this script: (extent, size) of the grid they are rendered on.
CSV_GRID = {
    'values': ((0.0, 0.0, 100.0, 75.0), (200, 150)),
    'dense': ((0.0, 0.0, 8.0, 6.0), (8, 6)),
    'sparse': ((0.0, 0.0, 64.0, 48.0), (64, 48)),
    'outside': ((0.0, 0.0, 10.0, 10.0), (16, 16)),
    # Pixel totals 0,1,2,2,3,3,3: eq_hist alphas that sit on an integer, so that the binned
    # (float) and exact (integer) histogram paths give different bytes.
    'tiny': ((0.0, 0.0, 7.0, 1.0), (7, 1)),
    # Scattered points whose occupied fraction makes dynspread pick a radius of 1, 2 and 3.
    'scatter1': ((0.0, 0.0, 160.0, 120.0), (160, 120)),
    'scatter2': ((0.0, 0.0, 160.0, 120.0), (160, 120)),
    'scatter3': ((0.0, 0.0, 160.0, 120.0), (160, 120)),
}
SCATTER_FRACTION = {'scatter1': 0.015, 'scatter2': 0.006, 'scatter3': 0.002}


class Case:
    """One render: a data source, a reduction and Datashader shade() arguments."""

    def __init__(self, name, source, reduction='count', how='eq_hist', cmap='fire', span=None,
                 alpha=255, min_alpha=40, spread=0, dynspread=None, zoom='Z8', points=SCENE_POINTS):
        self.name, self.source, self.reduction = name, source, reduction
        self.how, self.cmap, self.span = how, cmap, span
        self.alpha, self.min_alpha = alpha, min_alpha
        self.spread, self.dynspread = spread, dynspread
        self.zoom, self.points = zoom, points

    def engine_args(self, csv_paths):
        args = ['--reduction', self.reduction, '--how', self.how, '--cmap', self.cmap,
                '--alpha', str(self.alpha), '--min-alpha', str(self.min_alpha)]
        if self.source == 'scene':
            args += ['--scene', str(self.points), '--zoom', self.zoom]
        else:
            (x0, y0, x1, y1), (w, h) = CSV_GRID[self.source]
            args += ['--points', csv_paths[self.source], '--extent', '%r,%r,%r,%r' % (x0, y0, x1, y1),
                     '--size', '%dx%d' % (w, h)]
            if self.reduction in ('sum', 'mean', 'min', 'max'):
                args += ['--value-column', 'v']
            if self.reduction == 'count_cat':
                args += ['--category-column', 'c']
        if self.span is not None:
            args += ['--span', '%r,%r' % tuple(self.span)]
        if self.spread:
            args += ['--spread', str(self.spread)]
        if self.dynspread is not None:
            args += ['--dynspread', '%r,%d' % self.dynspread]
        return args

    def reference_cmap(self):
        if ',' in self.cmap:
            return [c.strip() for c in self.cmap.split(',')]
        if self.cmap.startswith('#'):
            return self.cmap  # a single colour: alpha ramp
        return ds.named_colormap(self.cmap, COLORMAP_DIR)


def cases():
    out = []
    for how in ('eq_hist', 'linear', 'log', 'cbrt'):
        for zoom in ZOOMS:
            out.append(Case('count-%s-fire-%s' % (how, zoom), 'scene', how=how, zoom=zoom))
    out += [
        Case('count-eq_hist-binned-Z0-2M', 'scene', zoom='Z0', points=2000000),
        Case('count-log-binned-Z4-1M', 'scene', how='log', zoom='Z4', points=1000000),
        Case('viridis-eq_hist-Z8', 'scene', cmap='viridis', zoom='Z8'),
        Case('viridis-log-Z4', 'scene', how='log', cmap='viridis', zoom='Z4'),
        Case('viridis-cbrt-Z12', 'scene', how='cbrt', cmap='viridis', zoom='Z12'),
        Case('gray-linear-Z8', 'scene', how='linear', cmap='gray', zoom='Z8'),
        Case('gray-eq_hist-Z0-alpha180', 'scene', cmap='gray', zoom='Z0', alpha=180),
        Case('list3-eq_hist-Z4', 'scene', cmap='#000080,#ffff00,#ff00ff', zoom='Z4'),
        Case('red-eq_hist-Z8', 'scene', cmap='#ff0000', zoom='Z8'),
        Case('red-log-Z4', 'scene', how='log', cmap='#ff0000', zoom='Z4'),
        Case('red-linear-Z12-min0-alpha200', 'scene', how='linear', cmap='#ff0000', zoom='Z12',
             alpha=200, min_alpha=0),
        Case('span-linear-5-200-Z4', 'scene', how='linear', span=(5, 200), zoom='Z4'),
        Case('span-linear-1.5-40.5-Z12', 'scene', how='linear', span=(1.5, 40.5), zoom='Z12'),
        Case('span-log-2-1000-viridis-Z8', 'scene', how='log', cmap='viridis', span=(2, 1000), zoom='Z8'),
        Case('span-cbrt-red-Z0', 'scene', how='cbrt', cmap='#ff0000', span=(0, 5000), zoom='Z0'),
        Case('sum-eq_hist', 'values', reduction='sum'),
        Case('sum-linear', 'values', reduction='sum', how='linear'),
        Case('sum-log-viridis', 'values', reduction='sum', how='log', cmap='viridis'),
        Case('sum-linear-span', 'values', reduction='sum', how='linear', span=(-10.25, 30.5)),
        Case('mean-eq_hist', 'values', reduction='mean'),
        Case('mean-cbrt-red', 'values', reduction='mean', how='cbrt', cmap='#ff0000'),
        Case('mean-linear-gray', 'values', reduction='mean', how='linear', cmap='gray'),
        Case('count-csv-eq_hist', 'values'),
        Case('count_cat-eq_hist', 'values', reduction='count_cat'),
        Case('count_cat-linear', 'values', reduction='count_cat', how='linear'),
        Case('count_cat-log', 'values', reduction='count_cat', how='log'),
        Case('count_cat-cbrt-span', 'values', reduction='count_cat', how='cbrt', span=(2, 30)),
        Case('count_cat-tiny-eq_hist', 'tiny', reduction='count_cat'),
        Case('count-tiny-eq_hist-red', 'tiny', cmap='#ff0000'),
        Case('count_cat-dense-eq_hist', 'dense', reduction='count_cat'),
        Case('count_cat-dense-linear', 'dense', reduction='count_cat', how='linear'),
        Case('count_cat-dense-linear-span', 'dense', reduction='count_cat', how='linear', span=(10.5, 60.5),
             alpha=200),
        Case('spread2-eq_hist-Z12', 'scene', spread=2, zoom='Z12'),
        Case('spread2-eq_hist-Z4', 'scene', spread=2, zoom='Z4'),
        Case('spread2-viridis-alpha180-Z8', 'scene', cmap='viridis', alpha=180, spread=2, zoom='Z8'),
        Case('spread2-red-log-Z8', 'scene', how='log', cmap='#ff0000', spread=2, zoom='Z8'),
        Case('spread1-count_cat', 'values', reduction='count_cat', spread=1),
        Case('spread2-scatter1-red-eq_hist', 'scatter1', cmap='#ff0000', spread=2),
        Case('dynspread-eq_hist-Z12', 'scene', dynspread=(0.5, 3), zoom='Z12'),
        Case('dynspread-red-Z8', 'scene', cmap='#ff0000', dynspread=(0.5, 3), zoom='Z8'),
        Case('dynspread-scatter1-fire', 'scatter1', dynspread=(0.5, 3)),
        Case('dynspread-scatter2-red-log', 'scatter2', how='log', cmap='#ff0000', dynspread=(0.5, 3)),
        Case('dynspread-scatter3-count_cat', 'scatter3', reduction='count_cat', dynspread=(0.5, 3)),
        Case('dynspread-scatter2-count_cat-cbrt', 'scatter2', reduction='count_cat', how='cbrt',
             dynspread=(0.5, 3)),
        Case('dynspread-scatter3-t0.9-max5', 'scatter3', cmap='viridis', dynspread=(0.9, 5)),
        Case('spread1-dynspread-scatter3-red', 'scatter3', cmap='#ff0000', spread=1, dynspread=(1.0, 2)),
        Case('dynspread-count_cat', 'values', reduction='count_cat', dynspread=(0.5, 3)),
        Case('uniform-linear', 'sparse', how='linear'),
        Case('uniform-eq_hist-red', 'sparse', cmap='#ff0000'),
        Case('empty-view', 'outside', how='linear'),
    ]
    return out


# ---------------------------------------------------------------------------------------------
# Point sets written as CSV, and their aggregates recomputed here
# ---------------------------------------------------------------------------------------------

def make_points():
    """Deterministic point sets: {name: dict(x, y, v, c)} (x, y float64; v float64; c int)."""
    rng = np.random.default_rng(20240611)
    sets = {}
    # 'values': three clusters with different category mixes, some points outside the extent,
    # some with NaN coordinates, values on a 1/8 grid (sums are exact in any order), 5% NaN.
    n = 30000
    centre = rng.integers(0, 3, n)
    cx, cy, sd = np.array([30.0, 60.0, 70.0]), np.array([30.0, 50.0, 20.0]), np.array([12.0, 6.0, 9.0])
    x = rng.normal(cx[centre], sd[centre])
    y = rng.normal(cy[centre], sd[centre])
    x[rng.random(n) < 0.003] = np.nan
    y[rng.random(n) < 0.003] = np.inf
    v = np.round(rng.normal(5.0, 12.0, n) * 8) / 8
    v[rng.random(n) < 0.05] = np.nan
    mix = np.cumsum([[0.8, 0.15, 0.05], [0.1, 0.8, 0.1], [0.3, 0.3, 0.4]], axis=1)
    c = np.count_nonzero(rng.random(n)[:, None] > mix[centre][:, :2], axis=1)
    sets['values'] = dict(x=x, y=y, v=v, c=c)
    # 'dense': every pixel of an 8x6 grid holds each of the 3 categories at least once
    # (no empty pixel, a colour baseline above 0, integer eq_hist of the totals).
    xs, ys, cs = [], [], []
    for row in range(6):
        for col in range(8):
            for cat in range(3):
                k = 1 + int(rng.integers(0, 25)) * (cat + 1) // 2
                xs.append(col + rng.uniform(0.05, 0.95, k))
                ys.append(row + rng.uniform(0.05, 0.95, k))
                cs.append(np.full(k, cat))
    sets['dense'] = dict(x=np.concatenate(xs), y=np.concatenate(ys), v=np.zeros(sum(map(len, xs))),
                         c=np.concatenate(cs))
    # 'sparse': isolated single points, every non-empty pixel holds exactly one.
    cells = rng.choice(64 * 48, 90, replace=False)
    sets['sparse'] = dict(x=(cells % 64) + 0.5, y=(cells // 64) + 0.5, v=np.ones(90), c=np.zeros(90, dtype=int))
    # 'scatter<r>': distinct random cells of a 160x120 grid, 1..6 points each, any category.
    for name, fraction in sorted(SCATTER_FRACTION.items()):
        cells = rng.choice(160 * 120, int(round(fraction * 160 * 120)), replace=False)
        per = rng.integers(1, 7, len(cells))
        cells = np.repeat(cells, per)
        sets[name] = dict(x=(cells % 160) + rng.uniform(0.1, 0.9, len(cells)),
                          y=(cells // 160) + rng.uniform(0.1, 0.9, len(cells)),
                          v=np.ones(len(cells)), c=rng.integers(0, 3, len(cells)))
    # 'tiny': see CSV_GRID; categories cycle so that colours mix.
    per_pixel = [0, 1, 2, 2, 3, 3, 3]
    tx = np.repeat(np.arange(7.0), per_pixel) + 0.5
    sets['tiny'] = dict(x=tx, y=np.full(len(tx), 0.5), v=np.ones(len(tx)), c=np.arange(len(tx)) % 3)
    # 'outside': nothing in view.
    sets['outside'] = dict(x=np.array([-5.0, 20.0, 3.0]), y=np.array([3.0, 4.0, 11.0]), v=np.ones(3),
                           c=np.zeros(3, dtype=int))
    return sets


def write_csv(path, pts):
    with open(path, 'w', encoding='ascii') as f:
        f.write('x,y,v,c\n')
        for x, y, v, c in zip(pts['x'], pts['y'], pts['v'], pts['c']):
            f.write('%r,%r,%r,%d\n' % (float(x), float(y), float(v), int(c)))


def aggregate(pts, source, reduction):
    """Datashader's aggregate of the points, north-up like the engine's .npy."""
    (x0, y0, x1, y1), (w, h) = CSV_GRID[source]
    x, y = pts['x'], pts['y']
    with np.errstate(invalid='ignore'):
        keep = (x0 <= x) & (x <= x1) & (y0 <= y) & (y <= y1)
    sx, sy = w / (x1 - x0), h / (y1 - y0)
    tx, ty = -x0 * sx, -y0 * sy
    col = np.minimum((x[keep] * sx + tx).astype(np.int64), w - 1)
    row = np.minimum((y[keep] * sy + ty).astype(np.int64), h - 1)
    pix = row * w + col
    if reduction == 'count':
        agg = np.bincount(pix, minlength=w * h).astype(np.uint32).reshape(h, w)
    elif reduction == 'count_cat':
        cats = int(pts['c'].max()) + 1
        agg = np.bincount(pix * cats + pts['c'][keep], minlength=w * h * cats).astype(np.uint32)
        agg = agg.reshape(h, w, cats)
    else:
        v = pts['v'][keep]
        ok = ~np.isnan(v)
        sums = np.bincount(pix[ok], weights=v[ok], minlength=w * h)
        valid = np.bincount(pix[ok], minlength=w * h)
        with np.errstate(invalid='ignore', divide='ignore'):
            if reduction == 'sum':
                agg = np.where(valid > 0, sums, np.nan)
            elif reduction == 'mean':
                agg = np.where(valid > 0, sums / valid, np.nan)
            else:
                raise ValueError(reduction)
        agg = agg.reshape(h, w)
    return np.flipud(agg)


# ---------------------------------------------------------------------------------------------
# Self-check of the reference: the vectorised spread and density against plain pixel loops
# ---------------------------------------------------------------------------------------------

def _over_scalar(src, dst):
    s = [((src >> k) & 255) / 255 for k in (0, 8, 16, 24)]
    d = [((dst >> k) & 255) / 255 for k in (0, 8, 16, 24)]
    keep = 1 - s[3]
    a = s[3] + d[3] * keep
    if a == 0:
        return 0
    rgb = [(s[k] * s[3] + d[k] * d[3] * keep) / a for k in range(3)]
    return int(a * 255) << 24 | int(rgb[2] * 255) << 16 | int(rgb[1] * 255) << 8 | int(rgb[0] * 255)


def _spread_by_loop(img, px):
    stencil = ds.circle_mask(px)
    h, w = img.shape
    buf = [[0] * (w + 2 * px) for _ in range(h + 2 * px)]
    for y in range(h):
        for x in range(w):
            el = int(img[y, x])
            if not (el >> 24) & 255:
                continue
            for i in range(2 * px + 1):
                for j in range(2 * px + 1):
                    if stencil[i, j]:
                        cur = buf[y + i][x + j]
                        buf[y + i][x + j] = el if cur == 0 else _over_scalar(el, cur)
    return np.array([row[px:px + w] for row in buf[px:px + h]], dtype=np.uint32)


def _density_by_loop(img, px):
    h, w = img.shape
    filled = [[bool((int(img[y, x]) >> 24) & 255) for x in range(w)] for y in range(h)]
    n = crowded = 0
    for y in range(h):
        for x in range(w):
            if filled[y][x]:
                n += 1
                around = sum(filled[i][j] for i in range(max(0, y - px), min(y + px + 1, h))
                             for j in range(max(0, x - px), min(x + px + 1, w)))
                crowded += around > 1
    return crowded / n if n else np.inf


def self_check():
    """Problems found in ds_reference's vectorised spread / density (empty list when none)."""
    rng = np.random.default_rng(7)
    problems = []
    for px, fill in ((1, 0.3), (2, 0.08), (3, 0.03)):
        img = rng.integers(0, 2 ** 32, (36, 44), dtype=np.uint64).astype(np.uint32)
        img[rng.random(img.shape) > fill] = 0
        img[rng.random(img.shape) < 0.1] &= np.uint32(0x00ffffff)  # colour behind alpha 0
        if not np.array_equal(ds.spread(img, px), _spread_by_loop(img, px)):
            problems.append('spread(px=%d)' % px)
        for r in (1, 2, 4):
            if ds.rgb_density(img, r) != _density_by_loop(img, r):
                problems.append('rgb_density(px=%d)' % r)
    if ds.circle_mask(2).sum() != 21 or ds.circle_mask(1).sum() != 9:
        problems.append('circle_mask')
    return problems


def known_answers():
    """The reference against expected images from Datashader's own test suite
    (datashader/tests/test_transfer_functions.py: test_shade, test_shade_cmap_non_categorical_alpha,
    test_shade_category, test_shade_zeros, test_rgb_spread, test_masks). Returns the failures."""
    problems = []

    def expect(label, got, want):
        if not np.array_equal(np.asarray(got, dtype=np.uint32), np.array(want, dtype=np.uint32)):
            problems.append(label)

    a = np.arange(10, 19, dtype='u4').reshape(3, 3)
    a[[0, 1, 2], [0, 1, 2]] = 0
    c = np.arange(10, 19, dtype='f8').reshape(3, 3)
    c[[0, 1, 2], [0, 1, 2]] = np.nan
    pink_red = ['#ffc0cb', '#ff0000']
    sol = {'log': [[0, 4291543295, 4286741503], [4283978751, 0, 4280492543], [4279242751, 4278190335, 0]],
           'cbrt': [[0, 4291543295, 4284176127], [4282268415, 0, 4279834879], [4278914047, 4278190335, 0]],
           'linear': [[0, 4291543295, 4289306879], [4287070463, 0, 4282597631], [4280361215, 4278190335, 0]]}
    for name, agg in (('u4', a), ('f8', c)):
        for how, want in sol.items():
            for span in (None, [11, 17], [11.0, 17.0]):
                expect('shade %s %s span=%s' % (name, how, span), ds.shade(agg, pink_red, how, span=span), want)
    expect('shade u4 eq_hist', ds.shade(a, pink_red, 'eq_hist'),
           [[0, 4291543295, 4288846335], [4286149631, 0, 4283518207], [4280821503, 4278190335, 0]])
    # (The float eq_hist fixture of that file predates the dropping of empty histogram bins and
    # so no longer applies: with them dropped, float data shade like the integers above.)
    expect('shade single colour', ds.shade(a, '#000000', 'log'),
           [[0, 671088640, 1946157056], [2701131776, 0, 3640655872], [3976200192, 4278190080, 0]])

    key = ['#ff0000', '#0000FF', '#ffa500']
    cat = np.array([[(0, 12, 0), (3, 0, 3)], [(12, 12, 12), (24, 0, 0)]], dtype='u4')
    for how, want in (('log', [[2583625728, 335565567], [4283774890, 3707764991]]),
                      ('cbrt', [[2650734592, 335565567], [4283774890, 3657433343]]),
                      ('linear', [[1140785152, 335565567], [4283774890, 2701132031]])):
        expect('count_cat %s' % how, ds.shade(cat, how=how, min_alpha=20, color_key=key), want)
    for span, want in (((50, 100), [[16711680, 21247], [5584810, 255]]),
                       ((0, 2), [[4294901760, 4278211327], [4283774890, 4278190335]]),
                       ((6, 36), [[872349696, 21247], [4283774890, 2566914303]]),
                       ((0, 72), [[721354752, 352342783], [2136291242, 1426063615]])):
        expect('count_cat span %s' % (span,), ds.shade(cat, how='linear', min_alpha=0, span=span, color_key=key), want)
    cat[0, 0] = 0
    for span in (None, (6, 36)):
        expect('count_cat empty pixel span %s' % (span,), ds.shade(cat, how='linear', min_alpha=20, span=span,
                                                                  color_key=key),
               [[5584810, 335565567], [4283774890, 2701132031]])
    expect('count_cat all zero', ds.shade(np.zeros((2, 2, 3), dtype='u4'), how='linear', min_alpha=0, color_key=key),
           [[5584810, 5584810], [5584810, 5584810]])

    p, g, b = 0x7d00007d, 0x7d00FF00, 0x7dFF0000
    img = np.array([[p, p, 0, 0, 0], [p, g, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, b, 0], [0, 0, 0, 0, 0]], dtype='u4')
    expect('spread px=1', ds.spread(img, 1),
           [[0xed00863b, 0xed00863b, 0xbc00a82a, 0, 0], [0xed00863b, 0xed00863b, 0xbc00a82a, 0, 0],
            [0xbc00a82a, 0xbc00a82a, 0xbca85600, 0x7dff0000, 0x7dff0000], [0, 0, 0x7dff0000, 0x7dff0000, 0x7dff0000],
            [0, 0, 0x7dff0000, 0x7dff0000, 0x7dff0000]])
    expect('spread px=2', ds.spread(img, 2),
           [[0xed00863b, 0xed00863b, 0xed00863b, 0xbc00a82a, 0],
            [0xed00863b, 0xed00863b, 0xf581411c, 0xdc904812, 0x7dff0000],
            [0xed00863b, 0xf581411c, 0xed864419, 0xbca85600, 0x7dff0000],
            [0xbc00a82a, 0xdc904812, 0xbca85600, 0x7dff0000, 0x7dff0000],
            [0, 0x7dff0000, 0x7dff0000, 0x7dff0000, 0x7dff0000]])
    expect('circle mask 3', ds.circle_mask(3),
           [[0, 0, 1, 1, 1, 0, 0], [0, 1, 1, 1, 1, 1, 0]] + [[1] * 7] * 3 + [[0, 1, 1, 1, 1, 1, 0], [0, 0, 1, 1, 1, 0, 0]])
    return problems


# ---------------------------------------------------------------------------------------------
# Running and comparing
# ---------------------------------------------------------------------------------------------

def reference_image(case, agg_north_up):
    """Datashader's image for the engine's aggregate, as north-up (H, W, 4) uint8."""
    agg = np.flipud(agg_north_up)  # Datashader's agg.values: row 0 at ymin
    img = ds.shade(agg, cmap=case.reference_cmap(), how=case.how, alpha=case.alpha,
                   min_alpha=case.min_alpha, span=case.span)
    note = ''
    if case.spread:
        img = ds.spread(img, case.spread)
    if case.dynspread is not None:
        img, radius = ds.dynspread(img, *case.dynspread)
        note = 'dynspread px=%d' % radius
    return ds.unpack_rgba(np.flipud(img)), note


def load_png(path):
    with Image.open(path) as im:
        return np.array(im.convert('RGBA'))


def zero_transparent(rgba):
    out = rgba.copy()
    out[out[..., 3] == 0] = 0
    return out


def compare(case, exe, work, csv_paths, points, keep):
    png = os.path.join(work, case.name + '.png')
    npy = os.path.join(work, case.name + '.npy')
    cmd = [exe] + case.engine_args(csv_paths) + ['--threads', '2', '--out', png, '--npy', npy]
    run = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         env=dict(os.environ, QT_QPA_PLATFORM='offscreen'))
    if run.returncode != 0:
        return False, 'engine failed (%d): %s\n    %s' % (run.returncode, run.stdout.strip(), ' '.join(cmd))
    agg = np.load(npy)
    notes = []
    ok = True
    if case.source != 'scene':
        expected = aggregate(points[case.source], case.source, case.reduction)
        if expected.shape != agg.shape or expected.dtype != agg.dtype:
            return False, 'aggregate %s %s, expected %s %s' % (agg.shape, agg.dtype, expected.shape, expected.dtype)
        same = (agg == expected) | (np.isnan(agg) & np.isnan(expected)) if agg.dtype.kind == 'f' else agg == expected
        if not same.all():
            ok = False
            notes.append('AGGREGATE differs in %d cells' % np.count_nonzero(~same))
    ref, note = reference_image(case, agg)
    if note:
        notes.append(note)
    got = load_png(png)
    if got.shape != ref.shape:
        return False, 'image %s, reference %s' % (got.shape, ref.shape)
    got_z, ref_z = zero_transparent(got), zero_transparent(ref)
    delta = np.abs(got_z.astype(np.int16) - ref_z.astype(np.int16))
    bad = delta.max(axis=2) > 0
    nbad = int(np.count_nonzero(bad))
    data_px = int(np.count_nonzero(ref_z[..., 3]))
    notes.insert(0, '%d px drawn' % data_px)
    if nbad:
        ok = False
        ys, xs = np.nonzero(bad)
        samples = ', '.join('(%d,%d) got %s want %s' % (yy, xx, tuple(got_z[yy, xx]), tuple(ref_z[yy, xx]))
                            for yy, xx in list(zip(ys, xs))[:3])
        notes.append('%d px differ, max channel delta %d; e.g. %s' % (nbad, int(delta.max()), samples))
        if keep:
            Image.fromarray(ref_z, 'RGBA').save(os.path.join(work, case.name + '.ref.png'))
            Image.fromarray(np.where(bad, 255, 0).astype(np.uint8), 'L').save(
                os.path.join(work, case.name + '.diff.png'))
    else:
        notes.append('0 px differ, max channel delta 0')
    return ok, '; '.join(notes)


def _avx512_targets():
    """NumPy's enabled AVX-512 dispatch targets (on such machines log1p and power use SVML)."""
    try:
        from numpy.core._multiarray_umath import __cpu_dispatch__, __cpu_features__
    except ImportError:
        return []
    return [k for k in __cpu_dispatch__ if k.startswith('AVX512') and __cpu_features__.get(k)]


def _transcendentals_are_libm():
    """True when NumPy's log1p and power (Datashader's log and cbrt) give libm's results."""
    x = np.concatenate([np.arange(4096.0), np.linspace(0.0, 1e6, 4096)])
    return (np.array_equal(np.log1p(x), [math.log1p(v) for v in x])
            and np.array_equal(x ** (1 / 3.), [math.pow(v, 1 / 3.) for v in x]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('exe', help='path of gridshade-render')
    parser.add_argument('-k', dest='filter', default='', help='only cases whose name contains this')
    parser.add_argument('--keep', metavar='DIR', help='keep renders (and diffs of failing cases) in DIR')
    parser.add_argument('--transcendental-only', action='store_true',
                        help='only the log and cbrt cases (used for the libm pass)')
    opts = parser.parse_args()
    if not os.access(opts.exe, os.X_OK):
        print('error: %s is not an executable' % opts.exe, file=sys.stderr)
        return 2
    selected = [c for c in cases() if opts.filter in c.name
                and (not opts.transcendental_only or c.how in ('log', 'cbrt'))]
    if not selected:
        print('error: no case matches %r' % opts.filter, file=sys.stderr)
        return 2
    work = opts.keep or tempfile.mkdtemp(prefix='gridshade-parity-')
    os.makedirs(work, exist_ok=True)
    start = time.time()
    failed = []
    try:
        libm = _transcendentals_are_libm()
        print('Datashader 0.19 parity, numpy %s (%s), log1p/power %s, %d cases' % (
            np.__version__, np.__file__, 'as libm' if libm else 'NOT libm (SVML)', len(selected)))
        if not opts.transcendental_only:
            problems = self_check()
            print('%s reference self-check (vectorised spread/density = pixel loops)%s' % (
                'FAIL' if problems else 'PASS', ': ' + ', '.join(problems) if problems else ''))
            if problems:
                failed.append('self-check')
            problems = known_answers()
            print('%s reference against the expected images of Datashader\'s own tests%s' % (
                'FAIL' if problems else 'PASS', ': ' + ', '.join(problems) if problems else ''))
            if problems:
                failed.append('known-answers')
        points = make_points()
        csv_paths = {}
        for name in sorted({c.source for c in selected} - {'scene'}):
            csv_paths[name] = os.path.join(work, name + '.csv')
            write_csv(csv_paths[name], points[name])
        for case in selected:
            t0 = time.time()
            ok, message = compare(case, opts.exe, work, csv_paths, points, opts.keep)
            print('%s %-36s %s (%.2f s)' % ('PASS' if ok else 'FAIL', case.name, message, time.time() - t0))
            sys.stdout.flush()
            if not ok:
                failed.append(case.name)
    finally:
        if not opts.keep:
            shutil.rmtree(work, ignore_errors=True)
    print('%d/%d cases match Datashader bit for bit (%.1f s)%s' % (
        len(selected) - len([f for f in failed if f not in ('self-check', 'known-answers')]), len(selected), time.time() - start,
        '' if not failed else '; failing: ' + ', '.join(failed)))
    status = 1 if failed else 0
    # Datashader's log and cbrt go through NumPy's log1p and power, which on AVX-512 machines
    # are SVML kernels (up to 1 ulp away from libm). Check the libm flavour too.
    simd = _avx512_targets()
    if simd and not libm and not opts.transcendental_only and any(c.how in ('log', 'cbrt') for c in selected):
        print('--- again with NPY_DISABLE_CPU_FEATURES="%s" (libm log1p/power) ---' % ' '.join(simd))
        sys.stdout.flush()
        argv = [sys.executable, os.path.abspath(__file__), opts.exe, '-k', opts.filter, '--transcendental-only']
        if opts.keep:
            argv += ['--keep', os.path.join(opts.keep, 'libm')]
        again = subprocess.run(argv, env=dict(os.environ, NPY_DISABLE_CPU_FEATURES=' '.join(simd)))
        status = status or (1 if again.returncode else 0)
    return status


if __name__ == '__main__':
    sys.exit(main())
