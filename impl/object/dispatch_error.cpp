#include "object/dispatch_error.hpp"

#include <string>

namespace versile {

namespace {

class DispatchCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "versile.dispatch"; }
  std::string message(int value) const override {
    switch (static_cast<DispatchErrc>(value)) {
      case DispatchErrc::no_arguments: return "call without a method name";
      case DispatchErrc::bad_method_name: return "method name is not a string";
      case DispatchErrc::not_published: return "no method published under that name";
      case DispatchErrc::bad_meta_call: return "malformed meta call";
      case DispatchErrc::unknown_meta: return "unknown meta method";
      case DispatchErrc::wrong_arity: return "wrong number of arguments";
      case DispatchErrc::bad_argument: return "argument of the wrong type";
      case DispatchErrc::method_failed: return "the method failed";
      case DispatchErrc::bad_result: return "the result cannot be sent as an entity";
      case DispatchErrc::not_callable: return "the object publishes no methods";
    }
    return "unknown dispatch error";
  }
};

}  // namespace

const std::error_category& dispatch_category() noexcept {
  static const DispatchCategory category;
  return category;
}

}  // namespace versile
