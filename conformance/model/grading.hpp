// Turning an observation into a graded verdict.
#pragma once

#include <string>
#include <vector>

#include "faults/fault_profile.hpp"
#include "model/scenario.hpp"

namespace vpstream::conformance {

struct Grade {
  Verdict verdict = Verdict::fail;
  std::string matched;  // label of the accepted outcome that matched ("SPEC", "REF", "CUT"), or ""
};

// The outcomes accepted under `profile`: the scenario's own, plus "link closed" when the
// profile cuts the connection and the scenario uses a transport.
std::vector<Outcome> accepted_outcomes(const Scenario& s, const FaultProfile& profile);

// UNIMPLEMENTED when the driver says so; the grade of the first accepted outcome with the
// observed category; otherwise by strictness (MUST → FAIL, SHOULD → NON-STRICT,
// REF → INFORMATIONAL). Harness-level failures (timeout, harness error, dead peer) always FAIL.
Grade grade(const Scenario& s, const Observation& o, const FaultProfile& profile);

}  // namespace vpstream::conformance
