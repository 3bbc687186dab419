# Runs `vpstream conform` with ARGS (its exit status is not what this checks), then validates the
# JUnit file against conformance/report/junit.xsd with xmllint and requires that the file holds
# the element REQUIRE, so each variant really exercises the part of the schema it is meant to.
#   cmake -DVPSTREAM=... -DXSD=... -DOUT=... -DREQUIRE=failure "-DARGS=a;b" [-DEXPECT_LINE=...] -P validate_junit.cmake
set(args ${ARGS})
if(DEFINED EXPECT_LINE)
  file(WRITE ${OUT}.expect "${EXPECT_LINE}\n")
  list(APPEND args --expect ${OUT}.expect)
endif()
file(REMOVE ${OUT})
execute_process(COMMAND ${VPSTREAM} conform -q ${args} --junit ${OUT}
                OUTPUT_QUIET ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT EXISTS ${OUT})
  message(FATAL_ERROR "vpstream conform (exit ${rc}) wrote no JUnit file ${OUT}: ${err}")
endif()
execute_process(COMMAND xmllint --noout --schema ${XSD} ${OUT}
                OUTPUT_VARIABLE out ERROR_VARIABLE verr RESULT_VARIABLE vrc)
if(NOT vrc EQUAL 0)
  message(FATAL_ERROR "${OUT} does not validate against ${XSD}:\n${verr}")
endif()
file(READ ${OUT} xml)
string(FIND "${xml}" "<${REQUIRE}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "${OUT} validates but has no <${REQUIRE}> element (exit ${rc})")
endif()
message(STATUS "${OUT}: valid JUnit XML with <${REQUIRE}> (conform exit ${rc})")
