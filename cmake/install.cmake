# Installing Reel (`make install PREFIX=...`, or cmake --install): the public headers
# (include/reel/), libreel.a and libreel.so (the same module objects), the `reel` binary,
# reel.pc for pkg-config and a CMake package (find_package(reel): reel::reel,
# reel::reel_static). Included at the end of CMakeLists.txt, after every module is added.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# The shared library: every module's objects (recorded by reel_add_module) and the
# generated protobuf code, linked against the same external libraries as libreel.a.
get_property(REEL_MODULE_TARGETS GLOBAL PROPERTY REEL_MODULE_TARGETS)
get_property(REEL_MODULE_LIBS GLOBAL PROPERTY REEL_MODULE_LIBS)
add_library(reel_shared SHARED)
foreach(module IN LISTS REEL_MODULE_TARGETS)
    target_sources(reel_shared PRIVATE $<TARGET_OBJECTS:${module}>)
endforeach()
target_sources(reel_shared PRIVATE $<TARGET_OBJECTS:reel_rrd_proto>)
target_link_libraries(reel_shared PRIVATE ${REEL_MODULE_LIBS} Threads::Threads m)
set_target_properties(reel_shared PROPERTIES OUTPUT_NAME reel VERSION ${PROJECT_VERSION}
                                             SOVERSION ${PROJECT_VERSION_MAJOR})

# pkg-config: the shared library needs nothing more; static linking needs the packages
# behind each PkgConfig:: target (their pkg-config names, recorded in REEL_PC_MODULES).
get_property(REEL_PC_MODULES GLOBAL PROPERTY REEL_PC_MODULES)
list(REMOVE_DUPLICATES REEL_PC_MODULES)
string(JOIN " " REEL_PC_REQUIRES_PRIVATE ${REEL_PC_MODULES})
set(REEL_STATIC_LINK_LIBS)
foreach(pc IN LISTS REEL_PC_MODULES)
    string(REGEX REPLACE "^lib" "" name ${pc})
    list(APPEND REEL_STATIC_LINK_LIBS ${name})
endforeach()
configure_file(${PROJECT_SOURCE_DIR}/cmake/reel.pc.in ${PROJECT_BINARY_DIR}/reel.pc @ONLY)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/reelConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/reelConfig.cmake
                              INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/reel
                              PATH_VARS CMAKE_INSTALL_INCLUDEDIR CMAKE_INSTALL_LIBDIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/reelConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)

install(TARGETS reel reel_shared ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
                                 LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
# The installed libreel.a carries no debug info: DESIGN.md's "C SDK: static lib <= 1 MiB" is
# measured there (scripts/lib_size), and with the DWARF of -O2 -g it is ~4.5 MB. The build
# tree keeps -g for debugging and the benchmarks. --strip-debug keeps the symbol table, so
# static functions still have names in backtraces and perf, and .eh_frame is never stripped.
# -DREEL_INSTALL_STRIP_DEBUG=OFF installs the library as built (e.g. for debugging a program
# linked against an installed copy). libreel.so is left as built.
option(REEL_INSTALL_STRIP_DEBUG "Strip debug info from the installed libreel.a" ON)
if(REEL_INSTALL_STRIP_DEBUG)
    if(NOT CMAKE_STRIP)
        message(FATAL_ERROR "REEL_INSTALL_STRIP_DEBUG needs strip (CMAKE_STRIP); "
                            "configure with -DREEL_INSTALL_STRIP_DEBUG=OFF to install unstripped")
    endif()
    if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
        set(REEL_INSTALLED_STATIC_LIB "\$ENV{DESTDIR}${CMAKE_INSTALL_LIBDIR}")
    else()
        set(REEL_INSTALLED_STATIC_LIB "\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}")
    endif()
    string(APPEND REEL_INSTALLED_STATIC_LIB "/$<TARGET_FILE_NAME:reel>")
    install(CODE "execute_process(COMMAND \"${CMAKE_STRIP}\" --strip-debug
                                          \"${REEL_INSTALLED_STATIC_LIB}\"
                                  COMMAND_ERROR_IS_FATAL ANY)")
endif()
if(TARGET reel_cli)
    install(TARGETS reel_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/reel DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h" PATTERN "*.def")
install(FILES ${PROJECT_BINARY_DIR}/reel.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
install(FILES ${PROJECT_BINARY_DIR}/reelConfig.cmake ${PROJECT_BINARY_DIR}/reelConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/reel)
