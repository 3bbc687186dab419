// Typed failures of remote calls seen by the caller (link.md §6.2, §6.4): the peer answered
// CALL_ERROR, or the call could not complete locally (link lost, timeout, bad arguments).
#pragma once

#include <stdexcept>
#include <string>
#include <system_error>

namespace versile {

enum class CallErrc {
  remote_error = 1,  // the peer answered CALL_ERROR (it gives no reason on the wire)
  link_lost,         // the link closed or failed before the outcome arrived
  timeout,           // the caller's deadline passed before the outcome arrived
  not_connected,     // empty proxy, or the link was already closed when calling
  bad_arguments,     // the arguments could not be converted or encoded; nothing was sent
  abandoned,         // the callee dropped the call without answering it
};

const std::error_category& call_category() noexcept;
inline std::error_code make_error_code(CallErrc e) noexcept {
  return {static_cast<int>(e), call_category()};
}

// Thrown by Proxy calls for every outcome other than a result or a remote exception.
// code() is a CallErrc; cause() keeps the lower layer's reason when there is one (for example
// the link error that ended the connection).
class CallError : public std::runtime_error {
 public:
  explicit CallError(CallErrc kind, std::error_code cause = {}, const std::string& detail = {});

  std::error_code code() const noexcept { return make_error_code(kind_); }
  CallErrc kind() const noexcept { return kind_; }
  const std::error_code& cause() const noexcept { return cause_; }

 private:
  CallErrc kind_;
  std::error_code cause_;
};

}  // namespace versile

template <>
struct std::is_error_code_enum<versile::CallErrc> : std::true_type {};
