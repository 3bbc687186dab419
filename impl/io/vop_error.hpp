// Typed errors of the VOP negotiation and the io glue (link.md §3.3). VOP reports every failure
// to the peer only by closing the connection; these codes say locally why it was closed.
#pragma once

#include <system_error>

namespace versile::io {

enum class VopErrc {
  ok = 0,
  line_too_long,           // no LF within 64 bytes
  bad_prefix,              // line does not start with the exact VOP_DRAFT-0.8 prefix
  bad_transport_token,     // a token other than VTS, TLS, PLAIN (case-sensitive)
  duplicate_transport,     // a token listed twice
  empty_transport_list,    // "TRANSPORTS:" with nothing after it
  no_common_transport,     // server: nothing offered that this server has enabled
  transport_not_offered,   // client: the server picked something the client did not offer
  no_transport_enabled,    // local configuration error: nothing to offer / accept
  transport_unsupported,   // negotiated a transport this implementation cannot run (VTS/TLS)
  peer_closed,             // EOF before the negotiation line was complete
  timeout,                 // negotiation did not finish in time
  bad_url,                 // not vop://host[:port][/...]
};

const std::error_category& vop_category() noexcept;
inline std::error_code make_error_code(VopErrc e) noexcept {
  return {static_cast<int>(e), vop_category()};
}

}  // namespace versile::io

template <>
struct std::is_error_code_enum<versile::io::VopErrc> : std::true_type {};
