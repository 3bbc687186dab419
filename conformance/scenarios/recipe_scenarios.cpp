// RECIPE-*: the two seed recipes (stream.md §11, ARCHITECTURE.md "API shape") end to end.
#include <stdexcept>
#include <string>

#include "scenarios/stream_drivers.hpp"
#include "scenarios/support.hpp"

namespace vpstream::conformance {

void add_recipe_scenarios(Catalogue& c) {
  const auto drivers = stream_drivers();
  const ScenarioSpec specs[] = {
      {"RECIPE-ENTITY", "name_sorter: five add() calls, reset() streams the names sorted, iterate to the end, stream closed",
       "stream.md §11.1, conformance-gateway.md name_sorter", Role::server},
      {"RECIPE-BYTES", "bytes_file: wseek(0), write 28 bytes, rseek(0), read() returns them; file_contents agrees",
       "stream.md §11.2, conformance-gateway.md bytes_file", Role::server},
  };
  for (auto spec : specs) {
    spec.tags = {"recipe", "stream"};
    auto it = drivers.find(spec.id);
    if (it == drivers.end()) throw std::logic_error("no stream driver for " + spec.id);
    c.add(make_scenario(spec, it->second.driver));
  }
}

}  // namespace vpstream::conformance
