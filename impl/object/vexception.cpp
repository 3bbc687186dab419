#include "object/vexception.hpp"

namespace versile {

std::string describe_exception_value(const Entity& value) {
  if (const Exception* exception = value.get_if<Exception>()) {
    if (exception->args.size() == 1 && exception->args[0].is<String>()) {
      return exception->args[0].as_string();
    }
  }
  return to_display_string(value);
}

VException::VException() : VException(Exception{}) {}

VException::VException(Exception exception) : VException(RawValue{}, Entity(std::move(exception))) {}

VException::VException(RawValue, Entity value)
    : value_(std::move(value)), text_(describe_exception_value(value_)) {}

VException VException::with_value(Entity value) { return VException(RawValue{}, std::move(value)); }

}  // namespace versile
