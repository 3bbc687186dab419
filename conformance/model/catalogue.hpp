// The scenario catalogue: every family of scenarios registers into it; selection by glob.
#pragma once

#include <string>
#include <vector>

#include "model/context.hpp"
#include "model/scenario.hpp"

namespace vpstream::conformance {

class Catalogue {
 public:
  // Throws std::invalid_argument on a duplicate id or a scenario without outcome or driver.
  void add(Scenario s);
  const std::vector<Scenario>& all() const noexcept { return scenarios_; }
  const Scenario* find(const std::string& id) const;

  // Scenarios selected by `filters` (globs on the id; a leading '-' excludes; no include glob
  // means "all") that can run against `target` (an external peer only gets server-role
  // scenarios that use a transport). Sanity scenarios are never selected here.
  std::vector<const Scenario*> select(const std::vector<std::string>& filters,
                                      const Target& target) const;
  std::vector<const Scenario*> sanity() const;

 private:
  std::vector<Scenario> scenarios_;
};

// fnmatch-style glob (*, ?, [..]) on scenario ids.
bool glob_match(const std::string& pattern, const std::string& text);

// The full built-in catalogue (every family below), built once.
const Catalogue& builtin_catalogue();

// Families (conformance/scenarios/*.cpp).
void add_sanity_scenarios(Catalogue& c);
void add_vector_scenarios(Catalogue& c);
void add_entity_scenarios(Catalogue& c);
void add_call_scenarios(Catalogue& c);
void add_link_scenarios(Catalogue& c);
void add_stream_scenarios(Catalogue& c);
void add_recipe_scenarios(Catalogue& c);
void add_replay_scenarios(Catalogue& c);

}  // namespace vpstream::conformance
