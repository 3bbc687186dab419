// CALL-*: remote calls against the conformance gateway (link.md §6, conformance-gateway.md):
// results, exceptions, errors, call modes, meta calls, objects and their lifetime.
// REF-*: reference behaviour recorded in the traces that a spec might not tell.
#include <algorithm>
#include <future>

#include "object/remote_exception.hpp"

#include "scenarios/session.hpp"
#include "scenarios/support.hpp"

namespace vpstream::conformance {
namespace {

using versile::Entity;

// Runs `body` on a fresh session; API exceptions become their error category.
Observation on_gateway(ScenarioContext& ctx, const std::function<void(Session&, versile::Proxy&)>& body) {
  auto session = Session::open(ctx);
  auto gw = session->gateway();
  try {
    body(*session, gw);
  } catch (const ScenarioAbort&) {
    throw;
  } catch (const std::exception& e) {
    return Observation::failed(category_of(e), e.what());
  }
  session->close();
  return Observation::ok();
}

versile::Integer big(const char* decimal) { return *versile::Integer::from_decimal(decimal); }

struct CallCase {
  const char* id;
  const char* statement;
  const char* section;
  std::vector<Outcome> outcomes;
  std::function<void(Session&, versile::Proxy&)> body;
  Strictness strictness = Strictness::must;
};

}  // namespace

void add_call_scenarios(Catalogue& c) {
  const auto ok = std::vector<Outcome>{Outcome::spec(ErrorCategory::success)};
  std::vector<CallCase> cases = {
      {"CALL-ADD-SMALL", "add(2, 3) returns 5", "conformance-gateway.md, link.md §6.1", ok,
       [](Session& s, versile::Proxy& gw) {
         s.step("add(2, 3)");
         require(gw.call("add", Entity(2), Entity(3)) == Entity(5), "add(2, 3) != 5");
       }},
      {"CALL-ADD-BIG", "add(10^40, -(2^70)) is exact", "conformance-gateway.md, entities.md §5.1", ok,
       [](Session& s, versile::Proxy& gw) {
         s.step("add(10^40, -2^70)");
         const auto r = gw.call("add", Entity(big("10000000000000000000000000000000000000000")),
                                Entity(big("-1180591620717411303424")));
         require(r == Entity(big("9999999999999999998819408379282588696576")), "wrong sum");
       }},
      {"CALL-FAIL-EXCEPTION", "fail('boom') raises a VException whose single argument is 'boom' (CALL_EXCEPTION)",
       "conformance-gateway.md, link.md §6.4", {Outcome::spec(ErrorCategory::call_exception)},
       [](Session& s, versile::Proxy& gw) {
         s.step("fail('boom')");
         try {
           gw.call("fail", Entity("boom"));
         } catch (const versile::RemoteException& e) {
           require(e.args().size() == 1 && e.args()[0] == Entity("boom"), "exception arguments differ");
           throw;
         }
       }},
      {"CALL-UNKNOWN-METHOD", "calling an unpublished method gives CALL_ERROR and the link stays up", "link.md §6.4, §10",
       {Outcome::spec(ErrorCategory::call_error)},
       [](Session& s, versile::Proxy& gw) {
         s.step("no_such_method()");
         try {
           gw.call("no_such_method", Entity(1));
         } catch (const std::exception&) {
           s.step("echo after CALL_ERROR");
           require(gw.call("echo", Entity(7)) == Entity(7), "link unusable after CALL_ERROR");
           throw;
         }
       }},
      {"CALL-WRONG-ARITY", "add(1) (wrong arity) gives CALL_ERROR, never a closed link", "link.md §10, stream.md C66",
       {Outcome::spec(ErrorCategory::call_error)},
       [](Session& s, versile::Proxy& gw) {
         s.step("add(1)");
         gw.call("add", Entity(1));
       }},
      {"CALL-WRONG-ARG-TYPES", "add('x', 1) (wrong argument types) gives CALL_ERROR", "link.md §10, §13.17",
       {Outcome::spec(ErrorCategory::call_error), Outcome{ErrorCategory::call_exception, Verdict::non_strict, "VEXC"}},
       [](Session& s, versile::Proxy& gw) {
         s.step("add('x', 1)");
         gw.call("add", Entity("x"), Entity(1));
       }},
      {"CALL-VOID-RESULT", "METHOD_CALL_VOID_RESULT completes with null", "link.md §6.2, §13.16", ok,
       [](Session& s, versile::Proxy& gw) {
         s.step("echo(1) void");
         gw.call_void("echo", Entity(1));
       }},
      {"CALL-VOID-RESULT-ERROR", "METHOD_CALL_VOID_RESULT still reports a CALL_ERROR", "link.md §13.16",
       {Outcome::spec(ErrorCategory::call_error)},
       [](Session& s, versile::Proxy& gw) {
         s.step("no_such_method() void");
         gw.call_void("no_such_method");
       }},
      {"CALL-NO-RETURN", "METHOD_CALL_NO_RETURN gets no answer and the next call works", "link.md §6.2, §13.16", ok,
       [](Session& s, versile::Proxy& gw) {
         s.step("echo(1) oneway");
         gw.call_oneway("echo", Entity(1));
         s.step("echo(2)");
         require(gw.call("echo", Entity(2)) == Entity(2), "call after oneway failed");
       }},
      {"CALL-META-METHODS", "the meta call methods lists the gateway's methods", "link.md §6.1", ok,
       [](Session& s, versile::Proxy& gw) {
         s.step("meta methods");
         const auto names = gw.meta_methods();
         for (const char* m : {"echo", "add", "fail", "bytes_fixed", "entities_fixed", "name_sorter"}) {
           require(std::ranges::find(names, std::string(m)) != names.end(), std::string("methods lacks ") + m);
         }
       }},
      {"CALL-CONCURRENT-100", "100 concurrent calls all complete with their own results (results may be unordered)",
       "link.md §6.3, §13.15", ok,
       [](Session& s, versile::Proxy& gw) {
         s.step("loop: 100 x add(i, i)");
         std::vector<std::future<Entity>> fs;
         for (int i = 0; i < 100; ++i) fs.push_back(gw.call_async("add", Entity(i), Entity(i)));
         for (int i = 0; i < 100; ++i) require(fs[static_cast<std::size_t>(i)].get() == Entity(2 * i), "wrong result");
       }},
      {"CALL-OBJECT-RESULT", "a returned object (name_sorter) can be called and returns its own state", "link.md §7.2", ok,
       [](Session& s, versile::Proxy& gw) {
         s.step("name_sorter()");
         auto sorter = gw.call("name_sorter").as<versile::Proxy>();
         s.step("sorter.add('b'), sorter.add('a')");
         sorter.call("add", Entity("b"));
         sorter.call("add", Entity("a"));
       }},
      {"CALL-OBJECT-ECHO-IDENTITY", "echoing a peer object back gives the same object (fd/fc relative to the sender)",
       "link.md §2, §13.3", ok,
       [](Session& s, versile::Proxy& gw) {
         s.step("name_sorter()");
         auto sorter = gw.call("name_sorter").as<versile::Proxy>();
         s.step("echo(sorter)");
         auto back = gw.call("echo", Entity(sorter.ref())).as<versile::Proxy>();
         require(back == sorter, "echoed object is a different proxy");
       }},
      {"CALL-AFTER-CLOSE", "a call after the link closed fails locally with a link error, nothing is sent", "link.md §9.2",
       {Outcome::spec(ErrorCategory::link_closed)},
       [](Session& s, versile::Proxy& gw) {
         s.close();
         gw.call("echo", Entity(1));
       }},
  };
  for (auto& cc : cases) {
    ScenarioSpec spec{cc.id, cc.statement, cc.section, Role::server, cc.strictness, cc.outcomes};
    spec.tags = {"call", "link"};
    auto body = cc.body;
    c.add(make_scenario(spec, [body](ScenarioContext& ctx) { return on_gateway(ctx, body); }));
  }
}

}  // namespace vpstream::conformance
