# Stream-peer side of vp_vse (owned by the stream-peer engineer); included by ../CMakeLists.txt.
list(APPEND VP_VSE_SOURCES
  stream/stream_buffer.cpp
  stream/peer_core.cpp
)
