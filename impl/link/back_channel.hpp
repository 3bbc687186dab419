// The thread-safe way back into a link from objects that outlive the strand's current task:
// PeerObject destructors (deref) and Responders (replies to incoming calls). Implemented by
// versile::link::Link (posts to its strand) and by test harnesses that drive a LinkCore
// directly. Never touches a LinkCore itself.
#pragma once

#include <cstdint>

#include "link/call_types.hpp"

namespace versile::link {

class LinkBackChannel {
 public:
  virtual ~LinkBackChannel() = default;
  // The last shared_ptr to the PeerObject (id, generation) went away, on any thread.
  // Forward to LinkCore::peer_object_released on the strand.
  virtual void peer_object_released(std::uint64_t id, std::uint64_t generation) noexcept = 0;
  // A Responder was completed (or dropped), on any thread. Forward to
  // LinkCore::complete_incoming_call on the strand.
  virtual void incoming_call_completed(std::uint64_t call_id, CallMode mode,
                                       CallOutcome outcome) noexcept = 0;
};

}  // namespace versile::link
