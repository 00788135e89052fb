# Finds Gazette's dependencies (all Debian packages; see docs/architecture.md).
# Xapian's CMake config sets variables rather than a target, so we wrap it in one.
find_package(Xapian CONFIG REQUIRED)
if(NOT TARGET gazette::xapian)
  add_library(gazette::xapian INTERFACE IMPORTED)
  set_target_properties(gazette::xapian PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${XAPIAN_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "${XAPIAN_LIBRARIES}")
endif()
find_package(ICU 72 REQUIRED COMPONENTS uc i18n)
find_package(nlohmann_json 3 REQUIRED)
find_package(CLI11 REQUIRED)
include(${CMAKE_CURRENT_LIST_DIR}/GazetteInputLibraries.cmake)
# libmicrohttpd serves `gazette serve` (docs/architecture.md says why: an event loop with
# connection timeouts, limits and memory caps, built for hostile networks).
pkg_check_modules(gazette_microhttpd REQUIRED IMPORTED_TARGET libmicrohttpd)
# cpp-httplib is only a client: the tests' and the serving benchmark's. Debian builds it
# as a shared library with TLS and compression support; its pkg-config flags carry the
# matching defines, which the header needs to agree with the library.
pkg_check_modules(gazette_httplib REQUIRED IMPORTED_TARGET cpp-httplib)
