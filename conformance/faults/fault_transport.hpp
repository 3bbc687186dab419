// The fault-injecting transport wrapper: applies a FaultProfile to every write of the wrapped
// transport (split into pieces, delay each piece, cut the connection after N bytes).
#pragma once

#include <cstdint>
#include <memory>

#include "faults/fault_profile.hpp"
#include "io/byte_transport.hpp"

namespace vpstream::conformance {

std::shared_ptr<versile::io::ByteTransport> make_fault_transport(
    std::shared_ptr<versile::io::ByteTransport> inner, const FaultProfile& profile, std::uint64_t seed);

versile::io::TransportWrapper fault_wrapper(const FaultProfile& profile, std::uint64_t seed);

}  // namespace vpstream::conformance
