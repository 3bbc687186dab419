#include "link/link_error.hpp"

#include <string>

namespace versile::link {

const char* errc_name(Errc e) noexcept {
  switch (e) {
    case Errc::ok: return "ok";
    case Errc::bad_hello: return "bad_hello";
    case Errc::unauthorized: return "unauthorized";
    case Errc::bad_handshake_object: return "bad_handshake_object";
    case Errc::handshake_violation: return "handshake_violation";
    case Errc::bad_gateway: return "bad_gateway";
    case Errc::keep_alive_refused: return "keep_alive_refused";
    case Errc::handshake_timeout: return "handshake_timeout";
    case Errc::malformed_message: return "malformed_message";
    case Errc::unknown_message_code: return "unknown_message_code";
    case Errc::call_target_not_local: return "call_target_not_local";
    case Errc::bad_keep_alive: return "bad_keep_alive";
    case Errc::keep_alive_spam: return "keep_alive_spam";
    case Errc::keep_alive_expired: return "keep_alive_expired";
    case Errc::too_many_pending_calls: return "too_many_pending_calls";
    case Errc::too_many_objects: return "too_many_objects";
    case Errc::link_closed: return "link_closed";
    case Errc::link_aborted: return "link_aborted";
    case Errc::peer_eof: return "peer_eof";
    case Errc::transport_error: return "transport_error";
    case Errc::call_error: return "call_error";
    case Errc::wrong_link: return "wrong_link";
    case Errc::gateway_unavailable: return "gateway_unavailable";
    case Errc::timeout: return "timeout";
  }
  return "unknown";
}

namespace {
class LinkCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "versile.link"; }
  std::string message(int ev) const override { return errc_name(static_cast<Errc>(ev)); }
};
}  // namespace

const std::error_category& link_category() noexcept {
  static const LinkCategory category;
  return category;
}

}  // namespace versile::link
