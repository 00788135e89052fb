# The C libraries of the read and clean stages, as imported targets: Gumbo (HTML5
# parsing), zlib and libzstd (compressed inputs). Included by GazetteDependencies.cmake
# and, installed, by GazetteConfig.cmake: the static library needs them downstream too.
find_package(PkgConfig REQUIRED)
pkg_check_modules(gazette_gumbo REQUIRED IMPORTED_TARGET GLOBAL gumbo)
pkg_check_modules(gazette_zstd REQUIRED IMPORTED_TARGET GLOBAL libzstd)
find_package(ZLIB REQUIRED)
