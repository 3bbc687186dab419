// Server-role drivers about streamer setup: connect limits, modes, write limits and seeks.
#include "scenarios/stream_drivers.hpp"

#if VPSTREAM_CONF_HAVE_IO && VPSTREAM_CONF_HAVE_GATEWAY
#include "scenarios/stream_driver_kit.hpp"
#endif

namespace vpstream::conformance {

#if VPSTREAM_CONF_HAVE_IO && VPSTREAM_CONF_HAVE_GATEWAY
using namespace stream_kit;

void add_streamer_setup_drivers(StreamDriverMap& d) {
  (void)d;
}
#else
void add_streamer_setup_drivers(StreamDriverMap&) {}
#endif

}  // namespace vpstream::conformance
