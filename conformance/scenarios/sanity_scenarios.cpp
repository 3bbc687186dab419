// The sanity case: one echo over a fresh session. It runs first (is the peer there at all?)
// and last (did it survive the run?).
#include "scenarios/session.hpp"
#include "scenarios/support.hpp"

namespace vpstream::conformance {

void add_sanity_scenarios(Catalogue& c) {
  ScenarioSpec spec{"SANITY-ECHO", "a fresh session completes the handshake and echo('sanity') returns 'sanity'",
                    "conformance-gateway.md, link.md §4", Role::server};
  spec.tags = {"sanity"};
  Scenario s = make_scenario(spec, [](ScenarioContext& ctx) {
    auto session = Session::open(ctx);
    auto gw = session->gateway();
    session->step("echo('sanity')");
    const versile::Entity r = gw.call("echo", versile::Entity("sanity"));
    require(r == versile::Entity("sanity"), "echo returned something else");
    require(session->close(), "links did not close after shutdown");
    return Observation::ok();
  });
  s.sanity = true;
  c.add(std::move(s));
}

}  // namespace vpstream::conformance
