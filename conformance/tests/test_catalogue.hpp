// A small catalogue of fake scenarios for the harness's own tests.
#pragma once

#include <atomic>
#include <memory>
#include <thread>

#include "model/catalogue.hpp"

namespace vpstream::conformance::testing {

inline Scenario fake(std::string id, Observation o, Strictness s = Strictness::must,
                     std::vector<Outcome> outcomes = {Outcome::spec(ErrorCategory::success)}) {
  Scenario sc;
  sc.id = std::move(id);
  sc.statement = "fake " + sc.id;
  sc.spec = "test";
  sc.strictness = s;
  sc.outcomes = std::move(outcomes);
  sc.driver = [o](ScenarioContext&) { return o; };
  return sc;
}

}  // namespace vpstream::conformance::testing
