#include "model/catalogue.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <stdexcept>

namespace vpstream::conformance {

void Catalogue::add(Scenario s) {
  if (s.id.empty() || s.outcomes.empty() || !s.driver) {
    throw std::invalid_argument("scenario '" + s.id + "' needs an id, an outcome and a driver");
  }
  if (find(s.id)) throw std::invalid_argument("duplicate scenario id " + s.id);
  scenarios_.push_back(std::move(s));
}

const Scenario* Catalogue::find(const std::string& id) const {
  auto it = std::ranges::find(scenarios_, id, &Scenario::id);
  return it == scenarios_.end() ? nullptr : &*it;
}

bool glob_match(const std::string& pattern, const std::string& text) {
  return ::fnmatch(pattern.c_str(), text.c_str(), 0) == 0;
}

std::vector<const Scenario*> Catalogue::select(const std::vector<std::string>& filters,
                                               const Target& target) const {
  std::vector<std::string> include, exclude;
  for (const auto& f : filters) {
    if (!f.empty() && f[0] == '-') {
      exclude.push_back(f.substr(1));
    } else {
      include.push_back(f);
    }
  }
  std::vector<const Scenario*> out;
  for (const auto& s : scenarios_) {
    if (s.sanity) continue;
    if (target.kind == Target::Kind::peer && (s.role != Role::server || !s.uses_transport)) continue;
    const bool in = include.empty() || std::ranges::any_of(include, [&](const std::string& g) {
                      return glob_match(g, s.id);
                    });
    const bool out_ = std::ranges::any_of(exclude, [&](const std::string& g) { return glob_match(g, s.id); });
    if (in && !out_) out.push_back(&s);
  }
  return out;
}

std::vector<const Scenario*> Catalogue::sanity() const {
  std::vector<const Scenario*> out;
  for (const auto& s : scenarios_) {
    if (s.sanity) out.push_back(&s);
  }
  return out;
}

const Catalogue& builtin_catalogue() {
  static const Catalogue catalogue = [] {
    Catalogue c;
    add_sanity_scenarios(c);
    add_vector_scenarios(c);
    add_entity_scenarios(c);
    add_call_scenarios(c);
    add_link_scenarios(c);
    add_recipe_scenarios(c);
    add_stream_scenarios(c);
    add_replay_scenarios(c);
    return c;
  }();
  return catalogue;
}

}  // namespace vpstream::conformance
