// The fault-injecting transport wrapper: applies a FaultProfile to every write of the wrapped
// transport (split into pieces, delay each piece, cut the connection after N bytes).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include "faults/fault_profile.hpp"
#include "io/byte_transport.hpp"

namespace vpstream::conformance {

// What the transport reports while it works (on its strand; either may be empty).
struct FaultEvents {
  std::function<void(std::size_t)> written;  // a piece of n bytes reached the connection
  std::function<void()> cut;                 // the profile cut the connection
};

std::shared_ptr<versile::io::ByteTransport> make_fault_transport(
    std::shared_ptr<versile::io::ByteTransport> inner, const FaultProfile& profile, std::uint64_t seed,
    FaultEvents events = {});

versile::io::TransportWrapper fault_wrapper(const FaultProfile& profile, std::uint64_t seed, FaultEvents events = {});

}  // namespace vpstream::conformance
