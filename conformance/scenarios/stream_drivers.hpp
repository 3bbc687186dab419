// Drivers of the stream scenarios, keyed by scenario id. Only ids whose driver can run in this
// build appear; the catalogue marks the rest UNIMPLEMENTED.
#pragma once

#include <map>
#include <string>

#include "model/scenario.hpp"

namespace vpstream::conformance {

struct StreamDriver {
  Driver driver;
  bool uses_transport = true;
};

std::map<std::string, StreamDriver> stream_drivers();

}  // namespace vpstream::conformance
