// The conformance gateway (conformance-gateway.md): the published interface vpstream serves so
// that a harness can exercise it as the server / streamer side over any transport.
//   echo(value)       → value (objects and tagged values included)
//   add(a, b)         → a + b, integers of any size
//   fail(message)     → raises VException(message) (CALL_EXCEPTION)
//   name_sorter()     → a new NameSorter (add(name), reset() → sorted names)
//   bytes_fixed, bytes_file, file_contents, entities_fixed, entities_iter: see stream_methods.hpp
// Every other method answers CALL_ERROR.
#pragma once

#include <memory>

#include "object/external.hpp"

namespace vpstream::conformance {

class ConformanceGateway : public versile::External {
 public:
  ConformanceGateway();
};

std::shared_ptr<ConformanceGateway> make_gateway();

}  // namespace vpstream::conformance
