#include "model/verdict.hpp"

#include <array>
#include <utility>

namespace vpstream::conformance {
namespace {
constexpr std::array<std::pair<Verdict, std::string_view>, 5> kVerdicts{{
    {Verdict::pass, "PASS"},
    {Verdict::non_strict, "NON-STRICT"},
    {Verdict::informational, "INFORMATIONAL"},
    {Verdict::unimplemented, "UNIMPLEMENTED"},
    {Verdict::fail, "FAIL"},
}};
constexpr std::array<std::pair<ErrorCategory, std::string_view>, 15> kCategories{{
    {ErrorCategory::success, "success"},
    {ErrorCategory::wrong_result, "wrong_result"},
    {ErrorCategory::call_error, "call_error"},
    {ErrorCategory::call_exception, "call_exception"},
    {ErrorCategory::link_closed, "link_closed"},
    {ErrorCategory::decode_error, "decode_error"},
    {ErrorCategory::stream_error, "stream_error"},
    {ErrorCategory::stream_invalid_pos, "stream_invalid_pos"},
    {ErrorCategory::stream_failure, "stream_failure"},
    {ErrorCategory::stream_timeout, "stream_timeout"},
    {ErrorCategory::no_response, "no_response"},
    {ErrorCategory::mode_error, "mode_error"},
    {ErrorCategory::timeout, "timeout"},
    {ErrorCategory::harness_error, "harness_error"},
    {ErrorCategory::peer_dead, "peer_dead"},
}};
}  // namespace

std::string_view to_string(Verdict v) noexcept {
  for (const auto& [k, s] : kVerdicts) {
    if (k == v) return s;
  }
  return "?";
}

std::string_view to_string(Strictness s) noexcept {
  switch (s) {
    case Strictness::must: return "MUST";
    case Strictness::should: return "SHOULD";
    case Strictness::ref: return "REF";
  }
  return "?";
}

std::string_view to_string(Role r) noexcept {
  switch (r) {
    case Role::server: return "server";
    case Role::client: return "client";
    case Role::link: return "link";
  }
  return "?";
}

std::string_view to_string(ErrorCategory c) noexcept {
  for (const auto& [k, s] : kCategories) {
    if (k == c) return s;
  }
  return "?";
}

std::optional<Verdict> verdict_from_string(std::string_view s) noexcept {
  for (const auto& [k, name] : kVerdicts) {
    if (name == s) return k;
  }
  if (s == "NON_STRICT") return Verdict::non_strict;
  return std::nullopt;
}

std::optional<ErrorCategory> category_from_string(std::string_view s) noexcept {
  for (const auto& [k, name] : kCategories) {
    if (name == s) return k;
  }
  return std::nullopt;
}

}  // namespace vpstream::conformance
