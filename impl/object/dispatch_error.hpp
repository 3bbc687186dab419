// Why an External answered a call with CALL_ERROR (link.md §6.4). The wire carries only the call
// id; these codes are what the callee side reports to its Responder (for logs and tests).
#pragma once

#include <system_error>

namespace versile {

enum class DispatchErrc {
  no_arguments = 1,      // empty argument tuple
  bad_method_name,       // first argument neither a string nor null (e.g. bytes)
  not_published,         // no method published under that name
  bad_meta_call,         // meta call without a name, or with arguments its meta method rejects
  unknown_meta,          // meta name not provided
  wrong_arity,           // argument count differs from the method's parameter count
  bad_argument,          // an argument does not convert to the parameter type
  method_failed,         // the method threw something other than VException
  bad_result,            // the result does not convert to an entity
  not_callable,          // the object publishes nothing (plain gateway)
};

const std::error_category& dispatch_category() noexcept;
inline std::error_code make_error_code(DispatchErrc e) noexcept {
  return {static_cast<int>(e), dispatch_category()};
}

}  // namespace versile

template <>
struct std::is_error_code_enum<versile::DispatchErrc> : std::true_type {};
