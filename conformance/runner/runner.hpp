// Runs selected scenarios (in parallel with --jobs, repeated with --repeat, once per fault
// profile), with the sanity case first and last so a peer that died mid-run is reported as such.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "faults/fault_profile.hpp"
#include "model/catalogue.hpp"
#include "model/grading.hpp"
#include "runner/expectations.hpp"
#include "trace.hpp"

namespace vpstream::conformance {

struct RunOptions {
  Target target;
  std::vector<FaultProfile> profiles{FaultProfile{}};
  std::vector<std::string> filters;
  double timeout_scale = 1.0;
  int jobs = 1;
  int repeat = 1;           // rounds; stops after the first round with a FAIL
  std::uint64_t seed = 1;
  Expectations expectations;
  bool keep_traces = false; // keep recorded traces in the results (for HTML / trace dirs)
  std::ostream* progress = nullptr;
  bool progress_inline = false;  // redraw one status line (TTY) instead of a line per case
};

struct CaseResult {
  const Scenario* scenario = nullptr;
  std::string name;          // id, or "id (first)" / "id (last)" for the sanity runs
  std::string profile = "none";
  int round = 1;
  Verdict verdict = Verdict::fail;
  std::string matched;       // accepted outcome label that matched
  Observation observed;
  std::vector<Outcome> expected;
  std::chrono::milliseconds duration{0};
  const Expectation* expectation = nullptr;
  ExpectationStatus expectation_status = ExpectationStatus::none;
  std::optional<traces::Trace> trace;

  // A FAIL that was not expected, or an unexpected pass: these make the run fail.
  bool counts_as_failure() const noexcept;
};

struct RunResult {
  std::vector<CaseResult> cases;
  int rounds = 0;
  bool peer_unreachable = false;  // sanity failed before anything ran
  bool peer_died = false;         // sanity passed first, failed last
  std::chrono::milliseconds duration{0};
  std::string target;
  std::vector<std::string> profiles;

  std::size_t count(Verdict v) const;
  std::size_t count(Verdict v, const std::string& profile) const;
  std::size_t failures() const;        // counts_as_failure()
  std::size_t unexpected_passes() const;
  // 0: all good; 1: a FAIL (or unexpected pass); 3: the peer was unreachable or died.
  int exit_code() const;
};

// Runs one scenario under one profile (a driver that overruns its budget is abandoned and
// graded FAIL with category `timeout`).
CaseResult run_case(const Scenario& s, const RunOptions& options, const FaultProfile& profile,
                    std::uint64_t seed);

RunResult run(const Catalogue& catalogue, const RunOptions& options);

// True if any case was abandoned on timeout (its thread may still be running): callers should
// leave the process with std::_Exit after writing reports.
bool abandoned_drivers() noexcept;

}  // namespace vpstream::conformance
