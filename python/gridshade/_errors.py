# SPDX-License-Identifier: GPL-2.0-or-later
"""Errors a console user can act on: what is wrong, with which value, and what to do."""

# Debian 12 package of each optional Python dependency.
_DEBIAN = {"numpy": "python3-numpy", "xarray": "python3-xarray", "rioxarray": "python3-rioxarray",
           "dask": "python3-dask", "datashader": None}


class GridshadeError(ValueError):
    """Raised for input that Gridshade cannot put on the map; the message says how to fix it."""


class MissingPackageError(ImportError):
    """An optional package that this call needs is not installed."""


def require(module, purpose):
    """Imports and returns \a module, or raises MissingPackageError naming how to install it."""
    import importlib
    try:
        return importlib.import_module(module)
    except ImportError:
        package = _DEBIAN.get(module.split(".")[0])
        how = ("install it with: sudo apt-get install %s" % package if package else
               "it is not packaged by Debian 12: pip install --user %s" % module.split(".")[0])
        raise MissingPackageError("%s needs the Python package '%s', which is not installed: %s"
                                  % (purpose, module.split(".")[0], how)) from None
