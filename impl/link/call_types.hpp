// Value types shared by both call directions: the call mode (message codes 1–3, link.md §6.2)
// and the outcome of a call (CALL_RESULT / CALL_EXCEPTION / CALL_ERROR or a local failure).
#pragma once

#include <cstdint>
#include <system_error>

#include "entity/entity.hpp"

namespace versile::link {

// The three call messages; the values are the VOL message codes.
enum class CallMode : std::uint8_t {
  normal = 1,       // METHOD_CALL: result, exception or error comes back
  void_result = 2,  // METHOD_CALL_VOID_RESULT: result forced to null; exceptions/errors still come back
  no_return = 3,    // METHOD_CALL_NO_RETURN: nothing ever comes back
};

// How a call ended. Caller side: what the peer answered, or why the call failed locally
// (link closed, unencodable arguments ...). Callee side: what the Responder reports.
class CallOutcome {
 public:
  enum class Kind : std::uint8_t { result, exception, error };

  static CallOutcome result(Entity value) { return {Kind::result, std::move(value), {}}; }
  // Normally a versile::Exception entity; any entity is legal on the wire (§5.2).
  static CallOutcome exception(Entity value) { return {Kind::exception, std::move(value), {}}; }
  // Callee side: every error becomes a bare CALL_ERROR (the code is not transmitted).
  // Caller side: Errc::call_error when the peer sent CALL_ERROR, otherwise the local reason.
  static CallOutcome failure(std::error_code error) { return {Kind::error, Entity{}, error}; }

  Kind kind() const noexcept { return kind_; }
  bool is_result() const noexcept { return kind_ == Kind::result; }
  bool is_exception() const noexcept { return kind_ == Kind::exception; }
  bool is_error() const noexcept { return kind_ == Kind::error; }
  // The result or exception value (None for errors).
  const Entity& value() const noexcept { return value_; }
  Entity& value() noexcept { return value_; }
  std::error_code error() const noexcept { return error_; }

 private:
  CallOutcome(Kind k, Entity v, std::error_code e) : kind_(k), value_(std::move(v)), error_(e) {}
  Kind kind_;
  Entity value_;
  std::error_code error_;
};

}  // namespace versile::link
