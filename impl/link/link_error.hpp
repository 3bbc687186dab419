// Typed errors of the VOL link layer (link.md §4.8, §5.3, §9, §10). Errors found while decoding
// peer bytes keep their codec::Errc (codec/error.hpp); everything the link itself detects or
// decides is a versile::link::Errc.
#pragma once

#include <stdexcept>
#include <system_error>

namespace versile::link {

enum class Errc {
  ok = 0,
  // --- handshake (§4): always fatal for the link ---
  bad_hello,               // peer hello not [bytes VOL_DRAFT, licence 3-tuple, [0,8]] (§4.2)
  unauthorized,            // LinkConfig::authorize refused the peer (§4.3)
  bad_handshake_object,    // second entity is not a sender-owned reference (fc) (§4.4)
  handshake_violation,     // bad/unknown/repeated call on our handshake object (§4.4)
  bad_gateway,             // the result of our finish() is not a peer object reference (§4.6)
  keep_alive_refused,      // peer granted less keep-alive than we requested (§4.8)
  handshake_timeout,       // LinkConfig::handshake_timeout expired
  // --- messages (§5.3): fatal ---
  malformed_message,       // not [int,int,x] or wrong payload layout for its code
  unknown_message_code,    // code outside 1..9
  call_target_not_local,   // METHOD_CALL target is not one of our objects (sent as fc)
  bad_keep_alive,          // KEEP_ALIVE payload not null
  keep_alive_spam,         // peer sends KEEP_ALIVE far more often than granted (§9.1)
  keep_alive_expired,      // nothing received for granted × expire factor (§9.1)
  // --- local limits (LinkConfig): fatal ---
  too_many_pending_calls,  // more unanswered incoming calls than max_pending_incoming_calls
  too_many_objects,        // an id table would exceed its configured maximum
  // --- link end (reasons reported by close_error() and to pending calls) ---
  link_closed,             // operation on a link that is closing/closed (local graceful shutdown)
  link_aborted,            // local forced shutdown
  peer_eof,                // the peer ended its byte stream
  transport_error,         // the driver reported a transport failure
  // --- call level: never fatal for the link ---
  call_error,              // the peer answered CALL_ERROR (no details exist on the wire)
  wrong_link,              // call target is a PeerObject of another link
  gateway_unavailable,     // peer gateway not (or no longer) held by this link
  timeout,                 // a local wait (peer_gateway, wait_closed) timed out
};

const std::error_category& link_category() noexcept;
inline std::error_code make_error_code(Errc e) noexcept {
  return {static_cast<int>(e), link_category()};
}
// Stable lowercase token ("bad_hello", ...).
const char* errc_name(Errc e) noexcept;

// Thrown by the throwing convenience overloads of the Link facade.
class LinkError : public std::system_error {
 public:
  using std::system_error::system_error;
};

}  // namespace versile::link

template <>
struct std::is_error_code_enum<versile::link::Errc> : std::true_type {};
