#include "model/grading.hpp"

namespace vpstream::conformance {

std::vector<Outcome> accepted_outcomes(const Scenario& s, const FaultProfile& profile) {
  auto out = s.outcomes;
  if (profile.cuts() && s.uses_transport) {
    // A cut link ends calls with a link error and fails any stream on it (stream.md §9.10).
    out.push_back({ErrorCategory::link_closed, Verdict::pass, "CUT"});
    out.push_back({ErrorCategory::stream_failure, Verdict::pass, "CUT"});
  }
  return out;
}

Grade grade(const Scenario& s, const Observation& o, const FaultProfile& profile) {
  if (o.unimplemented) return {Verdict::unimplemented, ""};
  for (const auto& accepted : accepted_outcomes(s, profile)) {
    if (accepted.category == o.category) return {accepted.grade, accepted.label};
  }
  switch (o.category) {
    case ErrorCategory::timeout:
    case ErrorCategory::harness_error:
    case ErrorCategory::peer_dead:
      return {Verdict::fail, ""};
    default:
      break;
  }
  switch (s.strictness) {
    case Strictness::must: return {Verdict::fail, ""};
    case Strictness::should: return {Verdict::non_strict, ""};
    case Strictness::ref: return {Verdict::informational, ""};
  }
  return {Verdict::fail, ""};
}

}  // namespace vpstream::conformance
