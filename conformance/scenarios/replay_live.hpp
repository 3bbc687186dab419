// Live replay scripts: for a reference trace, the same client steps run against vpstream
// (serving the trace's gateway), recorded by the tap, compared with the recording.
#pragma once

#include <map>
#include <string>

#include "model/scenario.hpp"

namespace vpstream::conformance {

std::map<std::string, Driver> replay_live_drivers();

}  // namespace vpstream::conformance
