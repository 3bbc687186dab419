# Runs EXE and compares its standard output with the file EXPECTED (exact match).
execute_process(COMMAND ${EXE} OUTPUT_VARIABLE out RESULT_VARIABLE rc TIMEOUT 60)
file(READ ${EXPECTED} expected)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${EXE} exited with ${rc}; output:\n${out}")
endif()
if(NOT out STREQUAL expected)
  message(FATAL_ERROR "output differs.\n--- expected:\n${expected}--- got:\n${out}")
endif()
