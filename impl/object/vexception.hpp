// VException: what a published method throws to make the call end in CALL_EXCEPTION
// (link.md §6.4). The thrown value travels as the exception entity; its arguments are any
// values to_call_entity accepts, e.g. `throw versile::VException("no such file", path);`.
#pragma once

#include <concepts>
#include <exception>
#include <string>
#include <type_traits>

#include "entity/entity.hpp"
#include "object/argument_conversion.hpp"

namespace versile {

// Human text for an exception value: a single string argument is shown as its text, anything
// else in the entity display form, e.g. "VException('bad', 7)".
std::string describe_exception_value(const Entity& value);

class VException : public std::exception {
 public:
  VException();  // no arguments
  explicit VException(Exception exception);
  template <class First, class... Rest>
    requires(sizeof...(Rest) > 0 || (!std::derived_from<std::remove_cvref_t<First>, VException> &&
                                     !std::same_as<std::remove_cvref_t<First>, Exception>))
  explicit VException(First&& first, Rest&&... rest)
      : VException(Exception{Tuple{to_call_entity(std::forward<First>(first)),
                                   to_call_entity(std::forward<Rest>(rest))...}}) {}

  // The reference's "simulated exception": CALL_EXCEPTION carrying an arbitrary value instead
  // of an exception entity (link.md §6.4).
  static VException with_value(Entity value);

  // The entity sent in CALL_EXCEPTION (an Exception entity unless made by with_value).
  const Entity& value() const noexcept { return value_; }
  const char* what() const noexcept override { return text_.c_str(); }

 private:
  struct RawValue {};
  VException(RawValue, Entity value);
  Entity value_;
  std::string text_;
};

}  // namespace versile
