# SPDX-License-Identifier: GPL-2.0-or-later
# The installable package (scripts/package.sh -> dist/gridshade_<version>_amd64.deb): where QGIS
# finds plugins system-wide, for the QGIS this build was made against.
#
#   /usr/share/qgis/python/plugins/gridshade_loader/   the Python loader (qgis_process, PyQGIS,
#                                                      the console package `gridshade`) and
#                                                      libgridshade.so, the library both load
#   /usr/lib/qgis/plugins/libgridshadeplugin.so        the desktop plugin (menu, docks), which
#                                                      finds libgridshade.so through its RUNPATH
set(GRIDSHADE_LOADER_DIR share/qgis/python/plugins/gridshade_loader)
install(TARGETS gridshade_qgis LIBRARY DESTINATION ${GRIDSHADE_LOADER_DIR} COMPONENT plugin)
install(TARGETS gridshade_desktop LIBRARY DESTINATION lib/qgis/plugins COMPONENT plugin)
set_target_properties(gridshade_desktop PROPERTIES INSTALL_RPATH "\$ORIGIN/../../../${GRIDSHADE_LOADER_DIR}")
file(GLOB GRIDSHADE_LOADER_PY "${PROJECT_SOURCE_DIR}/python/gridshade_loader/*.py")
file(GLOB GRIDSHADE_CONSOLE_PY "${PROJECT_SOURCE_DIR}/python/gridshade/*.py")
install(FILES ${GRIDSHADE_LOADER_PY} DESTINATION ${GRIDSHADE_LOADER_DIR} COMPONENT plugin)
install(FILES ${GRIDSHADE_CONSOLE_PY} DESTINATION ${GRIDSHADE_LOADER_DIR}/gridshade COMPONENT plugin)
# The loader's metadata.txt: the top-level one with the loader's name and the processing flag
# (as scripts/install_plugin.sh writes it).
file(READ "${PROJECT_SOURCE_DIR}/metadata.txt" _gs_metadata)
string(REGEX REPLACE "\nname=[^\n]*" "\nname=Gridshade loader" _gs_metadata "${_gs_metadata}")
string(REGEX REPLACE "\nhasProcessingProvider=[^\n]*" "\nhasProcessingProvider=yes" _gs_metadata "${_gs_metadata}")
file(WRITE "${PROJECT_BINARY_DIR}/loader/metadata.txt" "${_gs_metadata}")
install(FILES "${PROJECT_BINARY_DIR}/loader/metadata.txt" DESTINATION ${GRIDSHADE_LOADER_DIR} COMPONENT plugin)

# The QGIS version built against: its runtime libraries are what the package depends on.
file(STRINGS "${QGIS_INCLUDE_DIR}/qgsconfig.h" _gs_qgis_version REGEX "^#define VERSION_INT ")
string(REGEX REPLACE "^#define VERSION_INT ([0-9]+)" "\\1" _gs_qgis_int "${_gs_qgis_version}")
math(EXPR _gs_major "${_gs_qgis_int} / 10000")
math(EXPR _gs_minor "(${_gs_qgis_int} / 100) % 100")
math(EXPR _gs_patch "${_gs_qgis_int} % 100")
set(GRIDSHADE_QGIS_VERSION "${_gs_major}.${_gs_minor}.${_gs_patch}")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_NAME gridshade)
set(CPACK_PACKAGE_VERSION ${GRIDSHADE_VERSION})
set(CPACK_PACKAGE_CONTACT "Gridshade developers <dev@gridshade.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${GRIDSHADE_DESCRIPTION}")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_FILE_NAME "gridshade_${GRIDSHADE_VERSION}_amd64.deb")
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE amd64)
# Shared-library dependencies from dpkg-shlibdeps (Qt, GDAL, ...), plus the QGIS runtime the
# plugin was built against (its libraries' package names carry the exact version).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libqgis-core${GRIDSHADE_QGIS_VERSION}, libqgis-gui${GRIDSHADE_QGIS_VERSION}, qgis (>= ${GRIDSHADE_QGIS_VERSION}), python3-qgis (>= ${GRIDSHADE_QGIS_VERSION})")
# scripts/package.sh writes into dist/ (cpack -B); the package test into a folder of its own.
include(CPack)
