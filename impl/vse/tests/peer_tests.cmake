# Stream-peer tests (owned by the stream-peer engineer); included by CMakeLists.txt here.
vpstream_test(NAME vse_stream_peer_tests
  SOURCES peer_buffer_test.cpp peer_scenarios_test.cpp
  LIBS vp_vse
  LABELS unit)
# vp_io is defined after vp_vse (impl/CMakeLists.txt order); targets resolve at generate time.
if(EXISTS ${PROJECT_SOURCE_DIR}/impl/io/CMakeLists.txt)
  vpstream_test(NAME vse_stream_peer_link_tests
    SOURCES peer_link_test.cpp
    LIBS vp_vse vp_io
    LABELS conformance)
  # ASan's quarantine keeps up to 256 MiB of freed blocks resident, which is the allocator's
  # memory, not ours: a small quarantine lets the RSS bound measure the stream again.
  set(memory_test_environment)
  if(VPSTREAM_SANITIZE MATCHES "address")
    set(memory_test_environment ENVIRONMENT "ASAN_OPTIONS=quarantine_size_mb=16")
  endif()
  vpstream_test(NAME vse_stream_peer_memory_test
    SOURCES peer_memory_test.cpp
    LIBS vp_vse vp_io
    LABELS slow
    TIMEOUT 600
    ${memory_test_environment})
endif()
vpstream_test(NAME vse_stream_peer_trace_tests
  SOURCES peer_trace_replay_test.cpp
  LIBS vp_vse nlohmann_json::nlohmann_json
  LABELS conformance)
