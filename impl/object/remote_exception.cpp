#include "object/remote_exception.hpp"

#include "object/vexception.hpp"

namespace versile {

RemoteException::RemoteException(Entity value)
    : value_(std::move(value)), text_("remote exception: " + describe_exception_value(value_)) {}

const Tuple& RemoteException::args() const noexcept {
  static const Tuple no_args;
  const Exception* e = exception();
  return e ? e->args : no_args;
}

}  // namespace versile
