#include "model/grading.hpp"

namespace vpstream::conformance {

namespace {
constexpr const char* kCutLabel = "CUT";
}

std::vector<Outcome> accepted_outcomes(const Scenario& s, const FaultProfile& profile) {
  auto out = s.outcomes;
  if (profile.cuts() && s.uses_transport) {
    // A cut link ends calls with a link error and fails any stream on it (stream.md §9.10).
    out.push_back({ErrorCategory::link_closed, Verdict::pass, kCutLabel});
    out.push_back({ErrorCategory::stream_failure, Verdict::pass, kCutLabel});
  }
  return out;
}

Observation attribute_to_cut(const Scenario& s, Observation o, const FaultProfile& profile, const FaultRecord& cuts) {
  if (!profile.cuts() || !s.uses_transport || o.unimplemented) return o;
  if (o.category != ErrorCategory::no_response || !cuts.cut_before(o.at)) return o;
  if (!cuts.losses_reported()) {
    o.log.push_back("the connection was cut before this observation, but the implementation did not report the link lost");
    return o;
  }
  o.category = ErrorCategory::link_closed;
  o.detail = "connection cut before the observable point (" + o.detail + ")";
  return o;
}

Grade grade(const Scenario& s, const Observation& o, const FaultProfile& profile, const FaultRecord* cuts) {
  if (o.unimplemented) return {Verdict::unimplemented, ""};
  const bool cut_fired = cuts && cuts->cut_before(o.at);
  for (const auto& accepted : accepted_outcomes(s, profile)) {
    if (accepted.label == kCutLabel && !cut_fired) continue;
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
