#include "object/call_result.hpp"

#include "codec/error.hpp"
#include "link/link_error.hpp"
#include "object/remote_exception.hpp"

namespace versile {

CallErrc classify_call_failure(std::error_code error) noexcept {
  if (error == link::Errc::call_error) return CallErrc::remote_error;
  if (error == link::Errc::timeout) return CallErrc::timeout;
  if (error == link::Errc::wrong_link || error == link::Errc::gateway_unavailable) {
    return CallErrc::not_connected;
  }
  // Nothing was sent: the arguments hold something that cannot be encoded on this link.
  if (error == codec::Errc::unencodable || error == codec::Errc::references_unsupported) {
    return CallErrc::bad_arguments;
  }
  // Everything else is a reason the link ended (closed, aborted, EOF, protocol errors).
  return CallErrc::link_lost;
}

CallResult CallResult::from_outcome(link::CallOutcome outcome) {
  switch (outcome.kind()) {
    case link::CallOutcome::Kind::result:
      return {Kind::result, std::move(outcome.value()), CallErrc::remote_error, {}};
    case link::CallOutcome::Kind::exception:
      return {Kind::exception, std::move(outcome.value()), CallErrc::remote_error, {}};
    case link::CallOutcome::Kind::error:
      break;
  }
  const std::error_code cause = outcome.error();
  return failure(classify_call_failure(cause), cause);
}

CallResult CallResult::failure(CallErrc kind, std::error_code cause) {
  return {Kind::error, Entity{}, kind, cause};
}

Entity CallResult::get() const {
  switch (kind_) {
    case Kind::result: return value_;
    case Kind::exception: throw RemoteException(value_);
    case Kind::error: break;
  }
  throw CallError(error_kind_, cause_);
}

std::exception_ptr CallResult::exception_ptr() const {
  switch (kind_) {
    case Kind::result: return nullptr;
    case Kind::exception: return std::make_exception_ptr(RemoteException(value_));
    case Kind::error: break;
  }
  return std::make_exception_ptr(CallError(error_kind_, cause_));
}

}  // namespace versile
