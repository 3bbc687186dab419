# Stream-peer side of vp_vse (owned by the stream-peer engineer); included by ../CMakeLists.txt.
list(APPEND VP_VSE_SOURCES
  stream/stream_buffer.cpp
  stream/peer_core.cpp
  stream/peer_session.cpp
  stream/stream.cpp
)
# The link binding needs the object layer (External) and the link facade.
if(TARGET vp_object)
  list(APPEND VP_VSE_SOURCES stream/link_peer.cpp stream/connect.cpp)
endif()
