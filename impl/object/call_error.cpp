#include "object/call_error.hpp"

namespace versile {

namespace {

class CallCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "versile.call"; }
  std::string message(int value) const override {
    switch (static_cast<CallErrc>(value)) {
      case CallErrc::remote_error: return "the peer answered with a call error";
      case CallErrc::link_lost: return "the link was lost before the call completed";
      case CallErrc::timeout: return "the call timed out";
      case CallErrc::not_connected: return "no link to call through";
      case CallErrc::bad_arguments: return "the call arguments could not be sent";
      case CallErrc::abandoned: return "the callee dropped the call without an answer";
    }
    return "unknown call error";
  }
};

std::string describe(CallErrc kind, const std::error_code& cause, const std::string& detail) {
  std::string text = make_error_code(kind).message();
  if (cause) text += " (" + cause.message() + ")";
  if (!detail.empty()) text += ": " + detail;
  return text;
}

}  // namespace

const std::error_category& call_category() noexcept {
  static const CallCategory category;
  return category;
}

CallError::CallError(CallErrc kind, std::error_code cause, const std::string& detail)
    : std::runtime_error(describe(kind, cause, detail)), kind_(kind), cause_(cause) {}

}  // namespace versile
