# Interop tests against Versile Python (label interop). Registered only when the cache
# variable VPSTREAM_VERSILE_PYTHON names a versile-python checkout (CI has none). Needs a
# Python 2.7 `python2` (PYENV_VERSION=2.7.18 is set for pyenv installs).
set(VPSTREAM_VERSILE_PYTHON "" CACHE PATH "versile-python checkout for the interop tests")
if(VPSTREAM_TESTS AND VPSTREAM_VERSILE_PYTHON AND TARGET vpstream)
  find_package(Python3 COMPONENTS Interpreter REQUIRED)
  add_test(NAME interop.versile_python.vop_plain
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/run_interop.py
            --vpstream $<TARGET_FILE:vpstream> --versile-python ${VPSTREAM_VERSILE_PYTHON})
  set_tests_properties(interop.versile_python.vop_plain PROPERTIES
    LABELS interop TIMEOUT 600 ENVIRONMENT "PYENV_VERSION=2.7.18")
endif()

# VSE stream interop (run_stream_interop.py, README.md): the Versile Python stream client against
# `vpstream serve`, and `vpstream stream get/put` + `vpstream call` against a Versile Python
# gateway serving the reference's own streamers.
if(VPSTREAM_TESTS AND VPSTREAM_VERSILE_PYTHON AND TARGET vpstream)
  foreach(part client server)
    set(_conform_args)
    if(part STREQUAL "server")
      # The server part also runs `vpstream conform --peer` against the Python gateway, judged
      # by versile-python.expect (every FAIL must be a documented reference defect).
      set(_conform_args --conform-json ${CMAKE_CURRENT_BINARY_DIR}/conform-versile-python.json
                        --conform-junit ${CMAKE_CURRENT_BINARY_DIR}/conform-versile-python.xml)
    endif()
    add_test(NAME interop.versile_python.stream_${part}
      COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/run_stream_interop.py --part ${part}
              --vpstream $<TARGET_FILE:vpstream> --versile-python ${VPSTREAM_VERSILE_PYTHON}
              ${_conform_args})
    set_tests_properties(interop.versile_python.stream_${part} PROPERTIES
      LABELS interop TIMEOUT 600 ENVIRONMENT "PYENV_VERSION=2.7.18")
  endforeach()
endif()
