# The C libraries of the read, clean and analyse stages, as imported targets: Gumbo
# (HTML5 parsing), zlib and libzstd (compressed inputs), CLD2 (language detection).
# Included by GazetteDependencies.cmake and, installed, by GazetteConfig.cmake: the static library needs them downstream too.
find_package(PkgConfig REQUIRED)
pkg_check_modules(gazette_gumbo REQUIRED IMPORTED_TARGET GLOBAL gumbo)
pkg_check_modules(gazette_zstd REQUIRED IMPORTED_TARGET GLOBAL libzstd)
find_package(ZLIB REQUIRED)
# CLD2 (language detection) ships no CMake or pkg-config file.
if(NOT TARGET gazette::cld2)
  find_path(GAZETTE_CLD2_INCLUDE_DIR cld2/public/compact_lang_det.h REQUIRED)
  find_library(GAZETTE_CLD2_LIBRARY NAMES cld2 REQUIRED)
  add_library(gazette::cld2 UNKNOWN IMPORTED)
  set_target_properties(gazette::cld2 PROPERTIES
    IMPORTED_LOCATION "${GAZETTE_CLD2_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${GAZETTE_CLD2_INCLUDE_DIR}")
endif()
