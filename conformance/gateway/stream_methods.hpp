// The streamer half of the conformance gateway, implemented by the stream module's owner in
// stream_methods.cpp: bytes_fixed, bytes_file, file_contents, entities_fixed, entities_iter
// (conformance-gateway.md).
#pragma once

#include <string>
#include <vector>

#include "entity/entity.hpp"
#include "object/external.hpp"

namespace vpstream::conformance {

// Publishes the streamer methods on `gateway` (called from ConformanceGateway's constructor).
void publish_stream_methods(versile::External& gateway);

// The result of NameSorter.reset(): an entity streamer proxy over `sorted_names`.
versile::Entity names_streamer(std::vector<std::string> sorted_names);

}  // namespace vpstream::conformance
