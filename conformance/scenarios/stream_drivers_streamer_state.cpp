// Server-role drivers about streamer state: close, failure, contexts and stale traffic.
#include "scenarios/stream_drivers.hpp"

#if VPSTREAM_CONF_HAVE_IO && VPSTREAM_CONF_HAVE_GATEWAY
#include "scenarios/stream_driver_kit.hpp"
#endif

namespace vpstream::conformance {

#if VPSTREAM_CONF_HAVE_IO && VPSTREAM_CONF_HAVE_GATEWAY
using namespace stream_kit;

void add_streamer_state_drivers(StreamDriverMap& d) {
  (void)d;
}
#else
void add_streamer_state_drivers(StreamDriverMap&) {}
#endif

}  // namespace vpstream::conformance
