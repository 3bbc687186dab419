// Live replays. call-basics is replayed generically: the trace's own client calls (method,
// arguments and call mode read from the recorded METHOD_CALL units of direction a, step by
// step) are issued through vpstream's Proxy API against a C++ CallGateway that serves what the
// trace header describes, with the reference recorder's pacing (50 ms of silence before each
// step). recipe-entity runs the recipe script against the NameSorter. The live trace is then
// compared with the recording (FORMAT.md: per direction, per step, multiset of signatures).
#include "scenarios/replay_live.hpp"

#include <thread>

#include "compare.hpp"
#include "model/reference_data.hpp"
#include "scenarios/session.hpp"
#include "trace_io.hpp"

#if VPSTREAM_CONF_HAVE_IO && VPSTREAM_CONF_HAVE_GATEWAY
#include "entity/vej.hpp"
#include "gateway/name_sorter.hpp"
#include "link/peer_object.hpp"
#include "object/external.hpp"
#include "object/vexception.hpp"
#include "vse/stream/stream.hpp"
#include "vse/stream/streamer_proxy.hpp"
#endif

namespace vpstream::conformance {

#if VPSTREAM_CONF_HAVE_IO && VPSTREAM_CONF_HAVE_GATEWAY

namespace {

using versile::Entity;
using namespace std::chrono_literals;

class Counter : public versile::External {
 public:
  Counter() {
    publish("increment", [this] {
      std::scoped_lock l{m_};
      return versile::Integer(++n_);
    });
  }

 private:
  std::mutex m_;
  std::int64_t n_ = 0;
};

// The gateway of call-basics, from its header: add, greet, divmod, echo, fail (VException),
// crash (a non-VException error), set_value / get_value, new_counter.
class CallGateway : public versile::External {
 public:
  CallGateway() {
    publish("add", [](versile::Integer a, versile::Integer b) { return versile::Integer(a.to_big() + b.to_big()); });
    publish("greet", [](std::string name) { return "Hello, " + name; });
    publish("divmod", [](std::int64_t a, std::int64_t b) {
      return Entity(versile::Tuple{Entity(a / b), Entity(a % b)});
    });
    publish("echo", [](Entity x) { return x; });
    publish("fail", [](std::string msg) -> Entity { throw versile::VException("failed", msg, 42); });
    publish("crash", []() -> Entity { throw std::invalid_argument("bad value"); });
    publish("set_value", [this](Entity v) {
      std::scoped_lock l{m_};
      value_ = std::move(v);
      return std::string("stored");
    });
    publish("get_value", [this] {
      std::scoped_lock l{m_};
      return value_;
    });
    publish("new_counter", [] { return std::static_pointer_cast<versile::Object>(std::make_shared<Counter>()); });
  }

 private:
  std::mutex m_;
  Entity value_;
};

traces::Trace load(const std::string& name) {
  try {
    return traces::read_trace_file(reference_dir() / (name + ".vptrace.jsonl"));
  } catch (const std::exception& e) {
    abort_with(ErrorCategory::harness_error, e.what());
  }
}

Observation compare_with(ScenarioContext& ctx, const traces::Trace& recorded) {
  ctx.recorder().wait_quiet(50ms, ctx.scaled(2000ms));
  const auto live = ctx.recorder().finish(true);
  const auto c = traces::compare(recorded, live);
  if (c.equivalent) return Observation::ok("equivalent to the recording");
  for (const auto& line : c.notes) ctx.log("note: " + line);
  for (const auto& d : c.differences) {
    for (const auto& s : d.only_left) ctx.log(std::string("recorded only, ") + traces::to_string(d.direction) + " step " + std::to_string(d.step) + ": " + s);
    for (const auto& s : d.only_right) ctx.log(std::string("live only, ") + traces::to_string(d.direction) + " step " + std::to_string(d.step) + ": " + s);
  }
  return Observation::failed(ErrorCategory::wrong_result,
                             std::to_string(c.differences.size()) + " step multiset(s) differ from the recording");
}

void paced_step(Session& s, ScenarioContext& ctx, std::string label) {
  ctx.recorder().wait_quiet(50ms, ctx.scaled(2000ms));
  s.step(std::move(label));
}

// Replays the recorded client calls of a call-only trace.
Observation replay_calls(ScenarioContext& ctx, const std::string& name, std::shared_ptr<versile::Object> gateway) {
  const auto recorded = load(name);
  const auto labels = recorded.step_labels();
  SessionOptions so;
  so.server_gateway = std::move(gateway);
  auto session = Session::open(ctx, so);  // step 0
  paced_step(*session, ctx, labels.size() > 1 ? labels[1] : "peer_gw");
  auto gw = session->gateway();
  // Recorded object ids (owned by b) → live proxies.
  std::map<std::string, versile::Proxy> objects{{"2", gw}};
  std::map<std::string, std::string> call_target;  // a msg id → recorded result object id
  for (int step = 2; step + 1 < static_cast<int>(labels.size()); ++step) {
    paced_step(*session, ctx, labels[static_cast<std::size_t>(step)]);
    for (const auto* u : recorded.units_of(traces::Direction::a)) {
      if (u->step != step || u->index <= 2 || !u->vej) continue;
      const auto& v = *u->vej;
      const std::string code = v[1]["int"];
      if (code == "7") {  // NOTIFY_DEREF: the client dropped its reference
        objects.erase(v[2][0]["int"].get<std::string>());
        continue;
      }
      if (code != "1" && code != "2" && code != "3") continue;
      const std::string target = v[2][0].value("remote", "");
      auto it = objects.find(target);
      require(it != objects.end(), "replay: unknown target object " + target);
      const auto args = versile::from_vej(v[2][1]).as_tuple();
      const auto mode = code == "1" ? versile::link::CallMode::normal
                        : code == "2" ? versile::link::CallMode::void_result
                                      : versile::link::CallMode::no_return;
      Entity result;
      try {
        result = it->second.invoke(args, mode, std::chrono::duration_cast<std::chrono::nanoseconds>(ctx.scaled(5000ms)));
      } catch (const std::exception& e) {
        if (category_of(e) == ErrorCategory::link_closed || category_of(e) == ErrorCategory::no_response) throw;
        continue;  // exceptions and errors are part of the recording
      }
      // A returned object: find its recorded id in b's CALL_RESULT for this call.
      if (auto ref = result.get_if<versile::ObjectRef>(); ref && ref->object()) {
        for (const auto* r : recorded.units_of(traces::Direction::b)) {
          if (!r->vej || r->index <= 2) continue;
          const auto& rv = *r->vej;
          if (rv[1]["int"] == "4" && rv[2][0] == v[0] && rv[2][1].contains("local")) {
            objects[rv[2][1]["local"].get<std::string>()] =
                versile::Proxy(std::dynamic_pointer_cast<versile::link::PeerObject>(ref->object()));
          }
        }
      }
    }
  }
  ctx.recorder().wait_quiet(50ms, ctx.scaled(2000ms));
  session->close();  // the last step: shutdown
  return compare_with(ctx, recorded);
}

Observation replay_recipe_entity(ScenarioContext& ctx) {
  const auto recorded = load("recipe-entity");
  const auto labels = recorded.step_labels();
  require(labels.size() == 16, "unexpected step count in recipe-entity");
  SessionOptions so;
  so.server_gateway = std::make_shared<NameSorter>();
  auto session = Session::open(ctx, so);
  paced_step(*session, ctx, labels[1]);
  auto service = session->gateway();
  std::size_t step = 2;
  for (int i : {5, 3, 4, 1, 2}) {
    paced_step(*session, ctx, labels[step++]);
    service.call("add", Entity("John Doe #" + std::to_string(i)));
  }
  paced_step(*session, ctx, labels[step++]);
  auto streamer = service.call("reset").as<versile::stream::EntityStreamerProxy>();
  paced_step(*session, ctx, labels[step++]);  // connect(readahead); set_eos_policy; wait_status(active)
  auto stream = streamer.connect({.readahead = true});
  stream.set_eos_policy(true);
  stream.wait_status({.active = true}, std::chrono::duration_cast<std::chrono::nanoseconds>(ctx.scaled(5000ms)));
  auto range = stream.iterator(std::chrono::duration_cast<std::chrono::nanoseconds>(ctx.scaled(5000ms)));
  paced_step(*session, ctx, labels[step++]);  // the first next()
  auto it = range.begin();
  while (step + 1 < labels.size()) {
    paced_step(*session, ctx, labels[step++]);  // next(): the sixth one ends the stream and closes it
    if (it != range.end()) ++it;
  }
  ctx.recorder().wait_quiet(50ms, ctx.scaled(2000ms));
  session->close();
  return compare_with(ctx, recorded);
}

}  // namespace

std::map<std::string, Driver> replay_live_drivers() {
  return {
      {"call-basics", [](ScenarioContext& ctx) { return replay_calls(ctx, "call-basics", std::make_shared<CallGateway>()); }},
      {"recipe-entity", replay_recipe_entity},
  };
}

#else

std::map<std::string, Driver> replay_live_drivers() { return {}; }

#endif

}  // namespace vpstream::conformance
