// A conformance scenario: data (id, statement, spec pointer, role, strictness, acceptable
// outcomes) plus a small driver that exercises the implementation and reports what it observed.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/verdict.hpp"

namespace vpstream::conformance {

class ScenarioContext;

// One outcome the scenario accepts. `grade` is the verdict given when this outcome is
// observed: pass for the specified behaviour, non_strict for a tolerated alternative (typically
// the reference's defective behaviour, labelled "REF").
struct Outcome {
  ErrorCategory category = ErrorCategory::success;
  Verdict grade = Verdict::pass;
  std::string label = "SPEC";

  static Outcome spec(ErrorCategory c) { return {c, Verdict::pass, "SPEC"}; }
  static Outcome ref(ErrorCategory c) { return {c, Verdict::non_strict, "REF"}; }
};

// What a driver saw. `category` is compared against the acceptable outcomes; `detail` and
// `log` are for people (reports), never graded.
struct Observation {
  ErrorCategory category = ErrorCategory::success;
  std::string detail;
  bool unimplemented = false;
  std::vector<std::string> log;
  // The observable point: when the driver made the observation. Under the `cut` profile a
  // no_response observed after the cut is attributed to it (model/grading.hpp).
  std::chrono::steady_clock::time_point at = std::chrono::steady_clock::now();

  static Observation ok(std::string detail = {}) {
    return {ErrorCategory::success, std::move(detail), false, {}};
  }
  static Observation failed(ErrorCategory c, std::string detail) {
    return {c, std::move(detail), false, {}};
  }
  static Observation missing(std::string what) {
    return {ErrorCategory::harness_error, "needs " + std::move(what), true, {}};
  }
};

// Thrown by drivers (or helpers) to end a scenario early with an observation.
struct ScenarioAbort : std::runtime_error {
  Observation observation;
  explicit ScenarioAbort(Observation o)
      : std::runtime_error(o.detail), observation(std::move(o)) {}
};

using Driver = std::function<Observation(ScenarioContext&)>;

struct Scenario {
  std::string id;         // stable, derived from the spec: STREAM-C09, LINK-HOSTILE-…
  std::string statement;  // one line: what is checked
  std::string spec;       // "stream.md §12.2 C09"
  Role role = Role::server;
  Strictness strictness = Strictness::must;
  std::vector<Outcome> outcomes;  // at least one; the first is the specified one
  std::vector<std::string> tags;  // family tags: entity, vectors, link, call, stream, replay…
  Driver driver;
  // Under a fault profile that cuts the connection the scenario may legitimately end with the
  // link closed; when false the scenario does not touch a transport and must keep its verdict.
  bool uses_transport = true;
  std::chrono::milliseconds budget{10000};  // scaled by --timeout-scale
  bool sanity = false;                      // the sanity case runs first and last
};

}  // namespace vpstream::conformance
