// RemoteException: the caller's view of a CALL_EXCEPTION (link.md §6.4). Carries the entity the
// peer sent, normally an Exception entity whose arguments describe the failure.
#pragma once

#include <exception>
#include <string>

#include "entity/entity.hpp"

namespace versile {

class RemoteException : public std::exception {
 public:
  explicit RemoteException(Entity value);

  // The entity as received (any entity is legal in CALL_EXCEPTION).
  const Entity& value() const noexcept { return value_; }
  // The exception entity, or nullptr when the peer sent some other value.
  const Exception* exception() const noexcept { return value_.get_if<Exception>(); }
  // The exception's arguments (empty when the value is not an exception entity).
  const Tuple& args() const noexcept;
  const char* what() const noexcept override { return text_.c_str(); }

 private:
  Entity value_;
  std::string text_;
};

}  // namespace versile
