// STREAM-C01…C79: every scenario of stream.md §12.2 as catalogue data (stream_table.inc), each
// with its driver (stream_drivers*.cpp).
#include <map>
#include <stdexcept>

#include "scenarios/stream_drivers.hpp"
#include "scenarios/support.hpp"

namespace vpstream::conformance {
namespace {

struct StreamRow {
  const char* id;
  const char* statement;
  const char* spec;
  Role role;
  Strictness strictness;
  std::vector<Outcome> outcomes;
};

std::vector<StreamRow> stream_rows() {
  return {
#include "scenarios/stream_table.inc"
  };
}

}  // namespace

void add_stream_scenarios(Catalogue& c) {
  const auto drivers = stream_drivers();
  for (auto& row : stream_rows()) {
    ScenarioSpec spec{row.id, row.statement, row.spec, row.role, row.strictness, row.outcomes};
    spec.tags = {"stream"};
    auto it = drivers.find(row.id);
    if (it == drivers.end()) throw std::logic_error("no stream driver for " + std::string(row.id));
    spec.uses_transport = it->second.uses_transport;
    c.add(make_scenario(spec, it->second.driver));
  }
}

}  // namespace vpstream::conformance
