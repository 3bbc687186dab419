// Drivers of the stream scenarios (STREAM-C*, RECIPE-*), keyed by scenario id. Every stream
// scenario of the catalogue has one (building the catalogue throws otherwise).
#pragma once

#include <map>
#include <string>

#include "model/scenario.hpp"

namespace vpstream::conformance {

struct StreamDriver {
  Driver driver;
  bool uses_transport = true;
};

using StreamDriverMap = std::map<std::string, StreamDriver>;

StreamDriverMap stream_drivers();

// Drivers grouped by file (one concept each); stream_drivers() merges them with its own.
void add_streamer_setup_drivers(StreamDriverMap& d);  // stream_drivers_streamer_setup.cpp
void add_streamer_state_drivers(StreamDriverMap& d);  // stream_drivers_streamer_state.cpp
void add_peer_drivers(StreamDriverMap& d);            // stream_drivers_peer.cpp

}  // namespace vpstream::conformance
