// The caller's view of how a call ended: a result, a remote exception (CALL_EXCEPTION) or a call
// error (CALL_ERROR or a local failure), as delivered to Proxy completion handlers.
#pragma once

#include <exception>
#include <system_error>

#include "entity/entity.hpp"
#include "link/call_types.hpp"
#include "object/call_error.hpp"

namespace versile {

// The CallErrc for an error the link reported for an outgoing call (link::Errc::call_error
// when the peer answered CALL_ERROR, otherwise the local reason).
CallErrc classify_call_failure(std::error_code link_error) noexcept;

class CallResult {
 public:
  enum class Kind : std::uint8_t { result, exception, error };

  static CallResult from_outcome(link::CallOutcome outcome);
  static CallResult failure(CallErrc kind, std::error_code cause = {});

  Kind kind() const noexcept { return kind_; }
  bool ok() const noexcept { return kind_ == Kind::result; }
  bool is_exception() const noexcept { return kind_ == Kind::exception; }
  bool is_error() const noexcept { return kind_ == Kind::error; }
  // The result, or the exception value for Kind::exception (None for errors).
  const Entity& value() const noexcept { return value_; }
  // For Kind::error: the CallErrc, and the lower layer's reason if any.
  std::error_code error() const noexcept { return is_error() ? make_error_code(error_kind_) : std::error_code{}; }
  const std::error_code& cause() const noexcept { return cause_; }

  // The result, or throws RemoteException / CallError.
  Entity get() const;
  // The exception get() would throw (null for a result).
  std::exception_ptr exception_ptr() const;

 private:
  CallResult(Kind kind, Entity value, CallErrc error_kind, std::error_code cause)
      : kind_(kind), value_(std::move(value)), error_kind_(error_kind), cause_(cause) {}
  Kind kind_;
  Entity value_;
  CallErrc error_kind_ = CallErrc::remote_error;
  std::error_code cause_;
};

}  // namespace versile
