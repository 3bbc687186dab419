// Turning an observation into a graded verdict.
#pragma once

#include <string>
#include <vector>

#include "faults/fault_record.hpp"
#include "faults/fault_profile.hpp"
#include "model/scenario.hpp"

namespace vpstream::conformance {

struct Grade {
  Verdict verdict = Verdict::fail;
  std::string matched;  // label of the accepted outcome that matched ("SPEC", "REF", "CUT"), or ""
};

// The outcomes accepted under `profile`: the scenario's own, plus "link closed" and "stream
// failed" (label CUT) when the profile cuts the connection and the scenario uses a transport.
std::vector<Outcome> accepted_outcomes(const Scenario& s, const FaultProfile& profile);

// The cut rule, part 1 (before grading): under a cutting profile, a `no_response` (something
// the driver waited for never arrived) observed after a cut fired in the scenario's sessions is
// the cut's doing, provided the implementation reported every cut link as lost: it becomes
// `link_closed`. Anything else is left as observed — a value check that failed on data that did
// arrive (`wrong_result`), a stream that times out or ends as if complete, a harness timeout, or
// a cut the implementation never noticed still fail.
Observation attribute_to_cut(const Scenario& s, Observation o, const FaultProfile& profile, const FaultRecord& cuts);

// UNIMPLEMENTED when the driver says so; the grade of the first accepted outcome with the
// observed category; otherwise by strictness (MUST → FAIL, SHOULD → NON-STRICT,
// REF → INFORMATIONAL). Harness-level failures (timeout, harness error, dead peer) always FAIL.
// The cut rule, part 2: the CUT outcomes count only if a cut fired before the observation
// (`cuts`; none given = no cut fired) — a link lost without a cut is not excused.
Grade grade(const Scenario& s, const Observation& o, const FaultProfile& profile, const FaultRecord* cuts = nullptr);

}  // namespace vpstream::conformance
