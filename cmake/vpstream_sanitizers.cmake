# Sanitizer run-time settings that every executable of a sanitizer build needs. Included at the
# end of the top-level CMakeLists.txt, once every target exists.
#
# TSan: link cmake/sanitizers/tsan_suppressions.cpp (the __tsan_default_suppressions hook)
# into every executable (tests, the vpstream program that conformance_loopback runs, examples),
# so that `ctest` and direct runs see the same suppressions without TSAN_OPTIONS.
if(VPSTREAM_SANITIZE MATCHES "thread")
  add_library(vpstream_tsan_suppressions OBJECT ${CMAKE_CURRENT_LIST_DIR}/sanitizers/tsan_suppressions.cpp)
  target_link_libraries(vpstream_tsan_suppressions PRIVATE vpstream_warnings)

  function(_vpstream_link_tsan_suppressions dir)
    get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
    foreach(target IN LISTS targets)
      get_target_property(type ${target} TYPE)
      if(type STREQUAL "EXECUTABLE")
        target_link_libraries(${target} PRIVATE vpstream_tsan_suppressions)
      endif()
    endforeach()
    get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
    foreach(subdir IN LISTS subdirs)
      _vpstream_link_tsan_suppressions(${subdir})
    endforeach()
  endfunction()
  _vpstream_link_tsan_suppressions(${PROJECT_SOURCE_DIR})
endif()
