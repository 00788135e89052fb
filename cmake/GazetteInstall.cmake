# Installs the gazette binary, the public headers, the library and a package
# configuration so that find_package(Gazette) + gazette::gazette works downstream.
include(CMakePackageConfigHelpers)

install(TARGETS gazette EXPORT GazetteTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS gazette_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY include/gazette DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set(GAZETTE_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/Gazette)
install(EXPORT GazetteTargets NAMESPACE gazette:: DESTINATION ${GAZETTE_CMAKE_DIR})
configure_package_config_file(cmake/GazetteConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/GazetteConfig.cmake
  INSTALL_DESTINATION ${GAZETTE_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/GazetteConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES
  cmake/GazetteInputLibraries.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/GazetteConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/GazetteConfigVersion.cmake
  DESTINATION ${GAZETTE_CMAKE_DIR})
