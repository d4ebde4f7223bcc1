# SPDX-License-Identifier: GPL-2.0-or-later
# Sphinx configuration of the Gridshade documentation.
#
# Built with Debian's Sphinx 5.3 and nothing else: the builtin alabaster theme, no extensions
# that need the network or extra packages.
#
#   /usr/bin/python3 -m sphinx -W --keep-going -b html docs build/docs
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent


def metadata_value(key):
    """The value of `key=` in metadata.txt, the single source of the plugin's name and version."""
    for line in (ROOT / "metadata.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith(key + "="):
            return line.split("=", 1)[1].strip()
    raise RuntimeError(f"metadata.txt has no '{key}=' line")


project = "Gridshade"
author = metadata_value("author")
copyright = author
release = metadata_value("version")
version = ".".join(release.split(".")[:2])

language = "en"
extensions = []
exclude_patterns = []
highlight_language = "none"

html_theme = "alabaster"
html_title = f"Gridshade {release}"
html_theme_options = {
    "description": "Datashader-style density layers for QGIS",
    "fixed_sidebar": True,
    "show_relbars": True,
}


# docs/perf/trend.csv starts as a header line only, and docutils rejects a csv-table without
# body rows. Until scripts/bench.sh has appended rows, the table in performance.rst is replaced by
# a sentence saying so; the source keeps the real directive, so rows appear as soon as they exist.
TREND_CSV = pathlib.Path(__file__).resolve().parent / "perf" / "trend.csv"
TREND_TABLE = re.compile(r"^\.\. csv-table::[^\n]*\n(?:[ \t]+[^\n]*\n|[ \t]*\n)*", re.MULTILINE)


def trend_has_rows():
    lines = [line for line in TREND_CSV.read_text(encoding="utf-8").splitlines() if line.strip()]
    return len(lines) > 1


def placeholder_for_empty_trend(app, docname, source):
    if docname != "performance":
        return
    app.env.note_dependency(str(TREND_CSV))
    if not trend_has_rows():
        source[0] = TREND_TABLE.sub(
            "*No benchmark rows yet: run* ``bash scripts/bench.sh`` *to add them.*\n\n", source[0]
        )


def setup(app):
    app.connect("source-read", placeholder_for_empty_trend)
