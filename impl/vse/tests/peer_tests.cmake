# Stream-peer tests (owned by the stream-peer engineer); included by CMakeLists.txt here.
vpstream_test(NAME vse_stream_peer_tests
  SOURCES peer_buffer_test.cpp peer_scenarios_test.cpp
  LIBS vp_vse
  LABELS unit)
