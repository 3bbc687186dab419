#include "scenarios/replay_live.hpp"

namespace vpstream::conformance {

std::map<std::string, Driver> replay_live_drivers() { return {}; }

}  // namespace vpstream::conformance
