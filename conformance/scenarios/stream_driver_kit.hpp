// Shared toolkit of the stream scenario drivers: a raw streamer session driven by the fake stream
// peer (server role), a client session using vpstream's Stream API (client role), and small
// helpers for pushes, patterns and the calls seen on the recorded transport.
//
// Every driver must keep its verdict under each fault profile (conformance/README.md, "Fault
// profiles"). For the `cut` profile that means: a wait for something to arrive (wait_pushes,
// peer->wait_count, wait_status, a future) fails with require_arrived(...) — no_response, which
// the runner attributes to the cut when one fired before it — while a check of data that did
// arrive uses require(...) — wrong_result, never excused. A call whose failure the driver
// swallows (try_call, outcome_of) must not be mistaken for the behaviour under test: when it
// settles early with an error, return that error's category.
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "gateway/patterns.hpp"
#include "link/peer_object.hpp"
#include "object/external.hpp"
#include "model/scenario.hpp"
#include "peer/fake_stream_peer.hpp"
#include "scenarios/session.hpp"
#include "vse/stream/stream.hpp"
#include "vse/stream/streamer_proxy.hpp"

namespace vpstream::conformance::stream_kit {

using versile::Entity;
using versile::Tuple;
using namespace std::chrono_literals;
namespace vs = versile::stream;

inline Entity I(std::int64_t v) { return Entity(v); }
inline const Entity kNull{};

// The outcome of `f` as an error category (success when it returns normally).
inline ErrorCategory outcome_of(const std::function<void()>& f) {
  try {
    f();
    return ErrorCategory::success;
  } catch (const ScenarioAbort&) {
    throw;
  } catch (const std::exception& e) {
    return category_of(e);
  }
}

inline versile::Proxy proxy_of(const Entity& streamer_tag) {
  const auto& tagged = streamer_tag.get<versile::Tagged>();
  auto peer = tagged.value().get<versile::ObjectRef>().as<versile::link::PeerObject>();
  require(peer != nullptr, "streamer tag does not hold a peer object");
  return versile::Proxy(peer);
}

// A raw streamer session: the gateway hands out a streamer, the fake peer drives it.
struct Raw {
  std::unique_ptr<Session> session;
  versile::Proxy gw;
  versile::Proxy streamer;
  Entity tag;
  Entity token;  // bytes_file: the file token for file_contents (null otherwise)
  std::shared_ptr<FakeStreamPeer> peer = std::make_shared<FakeStreamPeer>();
  std::chrono::milliseconds wait{0};

  template <class... A>
  Entity call(const char* method, A&&... args) {
    if (session) session->step(method);
    return streamer.call_for(wait, method, std::forward<A>(args)...);
  }
  template <class... A>
  ErrorCategory try_call(const char* method, A&&... args) {
    return outcome_of([&] { call(method, std::forward<A>(args)...); });
  }
  Entity connect(std::int64_t call_lim, std::int64_t r_num, std::int64_t r_size) {
    return call("peer_connect", Entity(std::static_pointer_cast<versile::Object>(peer)), I(call_lim), I(r_num), I(r_size));
  }
  // Pushes seen so far: (ctx, data, eos).
  // In the streamer's sequence order: the pushes run on the worker pool and may be recorded
  // in any order.
  std::vector<FakeStreamPeer::Call> pushes() const {
    auto p = peer->calls("peer_read_push");
    std::ranges::stable_sort(p, [](const FakeStreamPeer::Call& a, const FakeStreamPeer::Call& b) {
      return a.args.size() && b.args.size() && a.args[0].get_if<versile::Integer>() && b.args[0].get_if<versile::Integer>() &&
             *a.args[0].get_if<versile::Integer>() < *b.args[0].get_if<versile::Integer>();
    });
    return p;
  }
  bool wait_pushes(std::size_t n) const { return peer->wait_count("peer_read_push", n, wait); }
  // Nothing more arrives within a short quiet period.
  bool quiet_after(std::size_t pushes_now) const {
    return !peer->wait_count("peer_read_push", pushes_now + 1, std::chrono::milliseconds(200));
  }
};

// Waits on the fake peer end soon after the link closes (nothing can arrive any more).
inline void end_peer_waits_with_link(Raw& r) {
  r.session->client()->link()->add_close_listener([peer = r.peer](std::error_code) { peer->link_closed(); });
}

// Takes a gateway result as `r`'s streamer: a streamer tag, or bytes_file's [proxy, token].
inline void adopt_streamer(Raw& r, Entity got) {
  if (got.is<Tuple>()) {
    r.token = got.as_tuple()[1];
    Entity proxy = got.as_tuple()[0];  // a copy first: assigning a part of `got` to it would dangle
    got = std::move(proxy);
  }
  r.tag = got;
  r.streamer = proxy_of(got);
}

template <class... A>
inline Raw open_raw(ScenarioContext& ctx, const char* gateway_method, A&&... args) {
  Raw r;
  r.session = Session::open(ctx);
  end_peer_waits_with_link(r);
  r.wait = ctx.scaled(5000ms);
  r.gw = r.session->gateway();
  r.session->step(gateway_method);
  Entity got = r.gw.call(gateway_method, std::forward<A>(args)...);
  adopt_streamer(r, std::move(got));
  return r;
}

// A session whose server gateway is `gw` plus `harness_streamer()`, which returns make() (one
// new streamer per call). Loopback only: an external peer has no such method, so the scenario
// is UNIMPLEMENTED there.
inline Raw open_harness_session(ScenarioContext& ctx, std::shared_ptr<versile::External> gw,
                                std::function<Entity()> make) {
  if (ctx.target().kind != Target::Kind::loopback)
    throw ScenarioAbort(Observation::missing("a harness-built streamer (loopback only: not in the conformance gateway)"));
  gw->publish("harness_streamer", [make = std::move(make)] { return make(); });
  SessionOptions options;
  options.server_gateway = std::move(gw);
  Raw r;
  r.session = Session::open(ctx, std::move(options));
  end_peer_waits_with_link(r);
  r.wait = ctx.scaled(5000ms);
  r.gw = r.session->gateway();
  return r;
}

// A raw session against a streamer built by the harness itself (special caps, modes or data the
// standard gateway cannot serve). Loopback only: the in-process server side gets a one-method
// gateway, `harness_streamer()`, that returns `make()` — so the streamer lives across the link
// from the fake peer, as with the standard gateway. Against an external peer the scenario is
// UNIMPLEMENTED (the conformance gateway has no way to build such streamers).
inline Raw open_raw_harness(ScenarioContext& ctx, std::function<Entity()> make) {
  Raw r = open_harness_session(ctx, std::make_shared<versile::External>("harness streamer gateway"),
                               std::move(make));
  r.session->step("harness_streamer");
  r.tag = r.gw.call("harness_streamer");
  r.streamer = proxy_of(r.tag);
  return r;
}

inline versile::Bytes bytes_of(const Entity& e) { return e.as_bytes(); }
inline std::string str_of(const versile::Bytes& b) { return std::string(b.view()); }
inline versile::Bytes pat(std::size_t n, std::int64_t seed) { return pattern(n, seed); }
inline versile::Bytes slice(const versile::Bytes& b, std::size_t off, std::size_t n) { return b.slice(off, n); }

// Checks push i: data equals `want` (bytes or tuple), eos as given, ctx as given.
inline void check_push(const FakeStreamPeer::Call& p, std::int64_t ctx, const Entity& want, bool eos, const std::string& what) {
  require(p.args.size() == 4, what + ": push arity");
  require(p.args[1] == I(ctx), what + ": push ctx");
  require(p.args[2] == want, what + ": push data");
  require(p.args[3] == Entity(eos), what + ": push eos flag");
}


// ---- client-side helpers ----
struct Client {
  std::unique_ptr<Session> session;
  versile::Proxy gw;
  std::chrono::milliseconds wait{0};
};
inline Client open_client(ScenarioContext& ctx) {
  Client c;
  c.session = Session::open(ctx);
  c.wait = ctx.scaled(5000ms);
  c.gw = c.session->gateway();
  return c;
}
inline vs::Timeout to(std::chrono::milliseconds ms) { return std::chrono::duration_cast<std::chrono::nanoseconds>(ms); }

inline std::vector<nlohmann::json> sent_calls(ScenarioContext& ctx, const std::string& method) {
  const auto t = ctx.recorder().finish(true);
  std::vector<nlohmann::json> out;
  for (const auto* u : t.units_of(traces::Direction::a)) {
    if (u->index <= 2 || !u->vej) continue;
    const auto& v = *u->vej;
    if (v[1]["int"] == "1" && v[2][1][0].is_object() && v[2][1][0].value("str", "") == method) out.push_back(v[2][1]);
  }
  return out;
}

}  // namespace vpstream::conformance::stream_kit
