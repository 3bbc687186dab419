# vpstream_test(NAME name SOURCES ... LIBS ... LABELS ...)
# One GoogleTest executable registered with CTest; each gtest case becomes a CTest test.
function(vpstream_test)
  cmake_parse_arguments(T "" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  if(NOT VPSTREAM_TESTS)
    return()
  endif()
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main vpstream_warnings)
  target_compile_definitions(${T_NAME} PRIVATE VPSTREAM_REFERENCE_DIR="${VPSTREAM_REFERENCE_DIR}")
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  gtest_discover_tests(${T_NAME}
    PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT}
    DISCOVERY_TIMEOUT 60)
endfunction()
