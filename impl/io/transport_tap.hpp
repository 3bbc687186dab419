// Observation of a connection's byte traffic: every chunk written and read, per direction,
// with a monotonic timestamp, plus EOFs and errors. The conformance harness records vp-trace/1
// files from it. Calls arrive on the connection's strand, in the order the bytes moved.
// They can also arrive after the Connection was released (after our FIN the transport drains
// until the peer's EOF; closing completes pending operations later), on an io thread shared by
// every connection of the runtime: a tap must own, or be able to detach from, what it writes
// into, and must never block.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>

#include <boost/system/error_code.hpp>

#include "io/byte_transport.hpp"

namespace versile::io {

enum class TapDirection : std::uint8_t {
  sent,      // written by this side
  received,  // read by this side
};

class TransportTap {
 public:
  using Clock = std::chrono::steady_clock;
  virtual ~TransportTap() = default;

  // A chunk that was written to / read from the transport (after the operation completed).
  virtual void on_data(TapDirection dir, Clock::time_point when,
                       std::span<const std::uint8_t> bytes) = 0;
  // sent: we half-closed (FIN); received: the peer's FIN arrived.
  virtual void on_eof(TapDirection dir, Clock::time_point when) = 0;
  // A transport error or an abort (close) in the given direction.
  virtual void on_error(TapDirection /*dir*/, Clock::time_point /*when*/,
                        const boost::system::error_code& /*ec*/) {}
};

// A transport that reports everything passing through `inner` to `tap`.
std::shared_ptr<ByteTransport> make_tapped_transport(std::shared_ptr<ByteTransport> inner,
                                                     std::shared_ptr<TransportTap> tap);

// A TransportWrapper that installs `tap` (convenience for ConnectOptions::wrap).
TransportWrapper tap_wrapper(std::shared_ptr<TransportTap> tap);

}  // namespace versile::io
