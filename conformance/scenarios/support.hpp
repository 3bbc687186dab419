// Small helpers shared by the scenario families: building catalogue entries tersely and the
// "needs an API that is not there" driver.
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include "model/catalogue.hpp"

namespace vpstream::conformance {

struct ScenarioSpec {
  ScenarioSpec(std::string id_, std::string statement_, std::string spec_, Role role_ = Role::server,
               Strictness strictness_ = Strictness::must,
               std::vector<Outcome> outcomes_ = {Outcome::spec(ErrorCategory::success)})
      : id(std::move(id_)), statement(std::move(statement_)), spec(std::move(spec_)), role(role_),
        strictness(strictness_), outcomes(std::move(outcomes_)) {}

  std::string id;
  std::string statement;
  std::string spec;
  Role role = Role::server;
  Strictness strictness = Strictness::must;
  std::vector<Outcome> outcomes{Outcome::spec(ErrorCategory::success)};
  std::vector<std::string> tags;
  bool uses_transport = true;
};

inline Scenario make_scenario(ScenarioSpec spec, Driver driver) {
  Scenario s;
  s.id = std::move(spec.id);
  s.statement = std::move(spec.statement);
  s.spec = std::move(spec.spec);
  s.role = spec.role;
  s.strictness = spec.strictness;
  s.outcomes = std::move(spec.outcomes);
  s.tags = std::move(spec.tags);
  s.uses_transport = spec.uses_transport;
  s.driver = std::move(driver);
  return s;
}

// A driver that reports the scenario UNIMPLEMENTED because `what` is missing.
inline Driver needs(std::string what) {
  return [what](ScenarioContext&) { return Observation::missing(what); };
}

}  // namespace vpstream::conformance
