// The conformance gateway served on the server side of loopback sessions. It is owned by the
// gateway engineers (conformance/gateway/); this file only instantiates it when it is built.
#include "scenarios/session.hpp"

#if VPSTREAM_CONF_HAVE_IO && VPSTREAM_CONF_HAVE_GATEWAY
#include "gateway/conformance_gateway.hpp"
#endif

namespace vpstream::conformance {

#if VPSTREAM_CONF_HAVE_IO
std::shared_ptr<versile::Object> make_conformance_gateway() {
#if VPSTREAM_CONF_HAVE_GATEWAY
  return make_gateway();
#else
  return nullptr;
#endif
}
#endif

}  // namespace vpstream::conformance
