// Drivers of the stream scenarios. Server-role scenarios speak the streamer protocol directly
// through the fake stream peer (peer/fake_stream_peer.hpp) against a streamer handed out by the
// conformance gateway; client-role scenarios use vpstream's Stream API against the gateway.
// Data comes from the gateway's patterns, so "25 bytes" in the spec is pattern(25, seed).
#include "scenarios/stream_drivers.hpp"

#include <algorithm>
#include <thread>

#include "scenarios/session.hpp"
#include "scenarios/stream_driver_kit.hpp"

namespace vpstream::conformance {

using namespace stream_kit;

std::map<std::string, StreamDriver> stream_drivers() {
  std::map<std::string, StreamDriver> d;
  add_streamer_setup_drivers(d);
  add_streamer_state_drivers(d);
  add_peer_drivers(d);

  // ---------------- server role: the fake peer drives the streamer ----------------
  d["STREAM-C04"] = {[](ScenarioContext& ctx) {
    auto r = open_raw(ctx, "bytes_fixed", I(10), I(0));
    const auto res = r.connect(15, 10, 1000000).as_tuple();
    require(res.size() == 5, "connect result is not a 5-tuple");
    require(res[1] == I(0) && res[2] == I(15) && res[3] == I(10) && res[4] == I(1000000),
            "byte streamer connect result is not [mode, 0, 15, 10, 1000000]");
    auto e = open_raw(ctx, "entities_fixed", Entity(Tuple{I(1)}));
    const auto eres = e.connect(15, 10, 1000).as_tuple();
    require(eres.size() == 5 && eres[4] == I(1000) && eres[2] == I(15), "entity streamer connect result differs");
    return Observation::ok();
  }};
  d["STREAM-C06"] = {[](ScenarioContext& ctx) {
    auto r = open_raw(ctx, "bytes_fixed", I(25), I(3));
    const auto data = pat(25, 3);
    r.connect(15, 3, 4);
    r.call("peer_read_start", I(0), kNull, kNull, Entity(true));
    r.call("peer_read_lim", I(1), I(10));
    require_arrived(r.wait_pushes(3), "fewer than 3 pushes for limit 10");
    require(r.quiet_after(3), "more than 3 pushes for limit 10");
    auto p = r.pushes();
    check_push(p[0], 0, Entity(slice(data, 0, 4)), false, "push 1");
    check_push(p[1], 0, Entity(slice(data, 4, 4)), false, "push 2");
    check_push(p[2], 0, Entity(slice(data, 8, 2)), false, "push 3");
    r.call("peer_read_lim", I(2), I(25));
    require_arrived(r.wait_pushes(7), "limit 25 did not give exactly 4 more pushes");
    require(r.quiet_after(7), "limit 25 did not give exactly 4 more pushes");
    p = r.pushes();
    check_push(p[6], 0, Entity(slice(data, 22, 3)), false, "push 7 (exhausts data at the limit: no eos)");
    r.call("peer_read_lim", I(3), I(26));
    require_arrived(r.wait_pushes(8), "no eos push after raising the limit");
    check_push(r.pushes()[7], 0, Entity(versile::Bytes()), true, "eos push");
    r.call("peer_read_lim", I(4), I(40));
    require(r.quiet_after(8), "push after eos");
    return Observation::ok();
  }};
  d["STREAM-C07"] = {[](ScenarioContext& ctx) {
    auto r = open_raw(ctx, "bytes_fixed", I(25), I(5));
    const auto data = pat(25, 5);
    r.connect(15, 10, 10);
    r.call("peer_read_start", I(0), kNull, kNull, Entity(false));
    r.call("peer_read_lim", I(1), I(100));
    require_arrived(r.wait_pushes(3), "expected exactly 3 pushes");
    require(r.quiet_after(3), "expected exactly 3 pushes");
    auto p = r.pushes();
    check_push(p[0], 0, Entity(slice(data, 0, 10)), false, "push 1");
    check_push(p[2], 0, Entity(slice(data, 20, 5)), false, "push 3 (eos=false context never sends eos)");
    r.call("peer_read_lim", I(2), I(200));
    require(r.quiet_after(3), "push after the data ended in an eos=false context");
    return Observation::ok();
  }};
  d["STREAM-C08"] = {[](ScenarioContext& ctx) {
    auto r = open_raw(ctx, "bytes_fixed", I(25), I(8));
    r.peer->hold_push_results(true);
    r.connect(15, 2, 4);
    r.call("peer_read_start", I(0), kNull, kNull, Entity(true));
    r.call("peer_read_lim", I(1), I(100));
    require_arrived(r.wait_pushes(2), "fewer than 2 pushes");
    require(r.quiet_after(2), "more than r_num=2 pushes outstanding");
    // Each round answers the held pushes and waits until the streamer has refilled its window
    // (2 new pushes) or sent the eos push. The wait is on the refill itself: counting pushes
    // after the release raced with their arrival and then waited for a push that only our next
    // release could allow (a 5 s stall per round, a timeout under load).
    const auto is_eos = [](const FakeStreamPeer::Call& c) { return c.args.size() == 4 && c.args[3] == Entity(true); };
    bool eos = false;
    for (std::size_t rounds = 0; !eos && rounds < 20; ++rounds) {
      const std::size_t before = r.peer->calls("peer_read_push").size();
      r.peer->release_held();
      require_arrived(r.peer->wait_for(
                          [&](const std::vector<FakeStreamPeer::Call>& cs) {
                            std::size_t pushes = 0;
                            for (const auto& c : cs) {
                              if (c.method != "peer_read_push") continue;
                              ++pushes;
                              eos = eos || is_eos(c);
                            }
                            return eos || pushes >= before + 2;
                          },
                          r.wait),
                      "the streamer sent no new pushes after its outstanding ones were answered");
      require(r.peer->held() <= 2, "more than 2 pushes outstanding");
    }
    const auto p = r.pushes();
    require(!p.empty() && is_eos(p.back()), "never reached eos");
    r.peer->release_held();
    return Observation::ok();
  }};
  d["STREAM-C21"] = {[](ScenarioContext& ctx) {
    auto r = open_raw(ctx, "entities_iter", I(4));
    r.connect(15, 10, 2);
    r.call("peer_read_start", I(0), kNull, kNull, Entity(true));
    r.call("peer_read_lim", I(1), I(4));
    require_arrived(r.wait_pushes(2), "limit 4 with r_size 2 must give 2 pushes");
    require(r.quiet_after(2), "limit 4 with r_size 2 must give 2 pushes");
    auto p = r.pushes();
    check_push(p[0], 0, Entity(Tuple{item(0), item(1)}), false, "push 1");
    check_push(p[1], 0, Entity(Tuple{item(2), item(3)}), false, "push 2");
    r.call("peer_read_lim", I(2), I(5));
    require_arrived(r.wait_pushes(3), "no eos push");
    check_push(r.pushes()[2], 0, Entity(Tuple{}), true, "eos push");
    return Observation::ok();
  }};
  d["STREAM-C22"] = {[](ScenarioContext& ctx) {
    const Tuple items{I(1), Entity("two"), Entity(versile::Bytes(std::string_view("3"))), Entity(Tuple{I(4), I(5)}),
                      Entity(), Entity(true), Entity(2.5)};
    auto r = open_raw(ctx, "entities_fixed", Entity(items));
    r.connect(15, 10, 4);
    r.call("peer_read_start", I(0), kNull, kNull, Entity(true));
    r.call("peer_read_lim", I(1), I(1000));
    require_arrived(r.wait_pushes(2), "expected 2 pushes");
    require(r.quiet_after(2), "expected 2 pushes");
    auto p = r.pushes();
    check_push(p[0], 0, Entity(Tuple{items[0], items[1], items[2], items[3]}), false, "push 1");
    check_push(p[1], 0, Entity(Tuple{items[4], items[5], items[6]}), true, "push 2 with eos");
    return Observation::ok();
  }};
  auto expect_peer_fail = [](Raw& r, const std::string& what) {
    require_arrived(r.peer->wait_count("peer_fail", 1, r.wait), what + ": the streamer did not send peer_fail");
    return Observation::failed(ErrorCategory::stream_failure, what + ": peer_fail received");
  };
  d["STREAM-C25"] = {[expect_peer_fail](ScenarioContext& ctx) {
    auto r = open_raw(ctx, "entities_iter", I(5));
    r.connect(15, 10, 100);
    r.try_call("peer_read_start", I(0), I(0), I(1), Entity(true));
    return expect_peer_fail(r, "positioned read_start on a non-seekable streamer");
  }};
  d["STREAM-C34"] = {[expect_peer_fail](ScenarioContext& ctx) {
    auto r = open_raw(ctx, "entities_iter", I(5));
    const auto res = r.connect(15, 10, 100).as_tuple();
    require(res[0] == I(0x1045), "iterator streamer mode is not 0x1045");
    r.try_call("peer_read_start", I(0), I(2), I(1), Entity(true));
    return expect_peer_fail(r, "positioned read_start on an iterator streamer");
  }};
  d["STREAM-C35"] = {[](ScenarioContext& ctx) {
    auto r = open_raw(ctx, "bytes_fixed", I(25), I(1));
    r.connect(15, 10, 100);
    const auto first = r.try_call("peer_read_start", I(0), I(100), I(1), Entity(true));
    require(r.peer->calls("peer_set_start_pos").empty(), "set_start_pos after an out-of-range start");
    require(r.peer->calls("peer_fail").empty(), "the streamer failed on a seek error");
    r.call("peer_read_start", I(1), I(3), I(1), Entity(true));
    require_arrived(r.peer->wait_count("peer_set_start_pos", 1, r.wait), "no set_start_pos for the valid start");
    const auto sp = r.peer->calls("peer_set_start_pos")[0];
    require(sp.args[1] == I(1) && sp.args[2] == I(3), "set_start_pos is not (ctx 1, pos 3)");
    return first == ErrorCategory::success ? Observation::failed(ErrorCategory::wrong_result, "out-of-range start accepted")
                                           : Observation::failed(first, "out-of-range start refused");
  }};
  d["STREAM-C54"] = {[expect_peer_fail](ScenarioContext& ctx) {
    auto r = open_raw(ctx, "bytes_fixed", I(25), I(1));
    r.connect(15, 10, 100);
    r.call("peer_read_start", I(0), kNull, kNull, Entity(true));
    r.call("peer_read_lim", I(1), I(5));
    r.try_call("peer_read_lim", I(2), I(5));
    return expect_peer_fail(r, "read_lim equal to the previous limit");
  }};
  d["STREAM-C55"] = {[expect_peer_fail](ScenarioContext& ctx) {
    auto r = open_raw(ctx, "bytes_fixed", I(25), I(1));
    r.connect(15, 10, 100);
    r.call("peer_read_start", I(0), kNull, kNull, Entity(true));
    r.try_call("peer_read_start", I(1), kNull, kNull, Entity(true));
    return expect_peer_fail(r, "read_start(null, null) while reading");
  }};
  d["STREAM-C56"] = {[](ScenarioContext& ctx) {
    auto r = open_raw(ctx, "bytes_fixed", I(25), I(1));
    r.connect(15, 10, 100);
    const auto second = outcome_of([&] { r.connect(15, 10, 100); });
    r.call("peer_read_start", I(0), kNull, kNull, Entity(true));
    r.call("peer_read_lim", I(1), I(25));
    require_arrived(r.wait_pushes(1), "streamer not healthy after a second connect");
    require(r.peer->calls("peer_fail").empty(), "streamer failed after a second connect");
    return Observation::failed(second, "second peer_connect");
  }};
  d["STREAM-C57"] = {[](ScenarioContext& ctx) {
    auto r = open_raw(ctx, "bytes_fixed", I(25), I(1));
    return Observation::failed(r.try_call("peer_connect", Entity(std::static_pointer_cast<versile::Object>(r.peer)), I(0), I(3), I(4)),
                               "peer_connect with call_lim 0");
  }};
  d["STREAM-C58"] = {[](ScenarioContext& ctx) {
    auto r = open_raw(ctx, "bytes_fixed", I(25), I(1));
    r.connect(15, 10, 100);
    return Observation::failed(r.try_call("peer_read_start", I(0), I(3), kNull, Entity(true)), "pos without pos_ref");
  }};
  d["STREAM-C59"] = {[](ScenarioContext& ctx) {
    auto r = open_raw(ctx, "bytes_fixed", I(25), I(1));
    r.connect(15, 10, 100);
    return Observation::failed(r.try_call("peer_read_lim", I(-1), I(10)), "negative msg_id");
  }};
  d["STREAM-C60"] = {[](ScenarioContext& ctx) {
    auto r = open_raw(ctx, "bytes_fixed", I(25), I(1));
    r.connect(15, 10, 100);
    r.call("peer_read_start", I(0), kNull, kNull, Entity(true));
    const auto dup = r.try_call("peer_read_start", I(0), kNull, kNull, Entity(true));
    r.call("peer_read_lim", I(1), I(25));
    require_arrived(r.wait_pushes(1), "no data after the duplicate id: state changed");
    require(r.peer->calls("peer_fail").empty(), "duplicate id failed the streamer");
    return Observation::failed(dup, "duplicate msg_id");
  }};
  d["STREAM-C61"] = {[](ScenarioContext& ctx) {
    auto r = open_raw(ctx, "bytes_fixed", I(25), I(1));
    r.connect(15, 10, 100);
    r.session->step("read_lim #1 before read_start #0");
    auto lim = r.streamer.call_async("peer_read_lim", I(1), I(10));
    if (lim.wait_for(std::chrono::milliseconds(200)) == std::future_status::ready) {
      // Settled early: a result is the deviation; a failed call is its own outcome (e.g. the
      // link lost under a cut).
      const auto early = outcome_of([&] { lim.get(); });
      if (early != ErrorCategory::success) return Observation::failed(early, "read_lim #1 failed before read_start #0 was sent");
      return Observation::failed(ErrorCategory::wrong_result, "read_lim #1 answered before read_start #0 arrived");
    }
    r.call("peer_read_start", I(0), kNull, kNull, Entity(true));
    require_arrived(lim.wait_for(r.wait) == std::future_status::ready, "deferred read_lim never answered");
    lim.get();
    require_arrived(r.wait_pushes(1), "no pushes after the deferred limit ran");
    return Observation::ok();
  }};
  d["STREAM-C62"] = {[](ScenarioContext& ctx) {
    auto r = open_raw(ctx, "bytes_fixed", I(25), I(1));
    r.connect(15, 10, 100);
    return Observation::failed(r.try_call("peer_read_lim", I(15), I(10)), "id 15 outside the window 0..14");
  }};
  d["STREAM-C64"] = {[](ScenarioContext& ctx) {
    auto r = open_raw(ctx, "bytes_fixed", I(25), I(1));
    r.connect(15, 10, 100);
    r.call("peer_close", I(0));
    require_arrived(r.peer->wait_count("peer_closed", 1, r.wait), "no peer_closed after peer_close");
    const auto after = r.call("peer_read_start", I(1), kNull, kNull, Entity(true));
    require(after.is_none(), "call after close did not return null");
    require(r.quiet_after(0), "data after close");
    const auto reconnect = outcome_of([&] { r.connect(15, 10, 100); });
    require(reconnect == ErrorCategory::call_exception, "peer_connect after close is not an exception");
    return Observation::ok();
  }};
  d["STREAM-C65"] = {[](ScenarioContext& ctx) {
    auto r = open_raw(ctx, "bytes_fixed", I(25), I(1));
    return Observation::failed(r.try_call("peer_read_start", I(0), kNull, kNull, Entity(true)), "read_start before connect");
  }};
  d["STREAM-C66"] = {[](ScenarioContext& ctx) {
    auto r = open_raw(ctx, "bytes_fixed", I(25), I(1));
    r.connect(15, 10, 100);
    const auto arity = r.try_call("peer_read_lim", I(0));
    const auto unknown = r.try_call("peer_no_such_method", I(0));
    require(arity == unknown, "wrong arity and unknown method answered differently");
    r.call("peer_read_start", I(0), kNull, kNull, Entity(true));
    r.call("peer_read_lim", I(1), I(25));
    require_arrived(r.wait_pushes(1), "state changed by the bad calls");
    return Observation::failed(arity, "wrong arity / unknown method");
  }};
  d["STREAM-C67"] = {[](ScenarioContext& ctx) {
    auto r = open_raw(ctx, "bytes_fixed", I(25), I(2));
    const Entity huge(*versile::Integer::from_decimal("1000000000000000000000000000000"));
    r.call("peer_connect", Entity(std::static_pointer_cast<versile::Object>(r.peer)), I(15), huge, huge);
    r.call("peer_read_start", I(0), kNull, kNull, Entity(true));
    r.call("peer_read_lim", I(1), huge);
    require_arrived(r.wait_pushes(1), "no data with huge limits");
    r.peer->wait_for([](const auto& cs) { return !cs.empty() && cs.back().args.size() == 4 && cs.back().args[3] == Entity(true); },
                     r.wait);
    std::string got;
    for (const auto& p : r.pushes()) got += str_of(bytes_of(p.args[2]));
    require(got == str_of(pat(25, 2)), "data differs under clamped huge limits");
    return Observation::ok();
  }};
  d["STREAM-C68"] = {[](ScenarioContext& ctx) {
    auto r = open_raw(ctx, "bytes_fixed", I(25), I(1));
    r.connect(15, 10, 100);
    return Observation::failed(r.try_call("peer_fail", I(0), I(5)), "peer_fail with a non-string message");
  }};

  // ---------------- client role / end to end: vpstream's Stream API ----------------
  d["STREAM-C01"] = {[](ScenarioContext& ctx) {
    auto c = open_client(ctx);
    auto streamer = c.gw.call("bytes_fixed", I(51), I(9)).as<vs::ByteStreamerProxy>();
    auto stream = streamer.connect({.readahead = true});
    std::string got;
    for (int i = 0; i < 100; ++i) {
      const auto b = stream.recv(4096, to(c.wait)).as_bytes();
      if (b.empty()) break;
      got += str_of(b);
    }
    require(got == str_of(pat(51, 9)), "recv loop returned different data");
    require(stream.recv(10, to(c.wait)).as_bytes().empty(), "recv after eos is not empty");
    stream.close();
    return Observation::ok();
  }};
  auto recipe_entity = [](ScenarioContext& ctx) {
    auto c = open_client(ctx);
    c.session->step("name_sorter()");
    auto sorter = c.gw.call("name_sorter").as<versile::Proxy>();
    for (int i : {5, 3, 4, 1, 2}) {
      c.session->step("add('John Doe #" + std::to_string(i) + "')");
      sorter.call("add", Entity("John Doe #" + std::to_string(i)));
    }
    c.session->step("reset()");
    auto streamer = sorter.call("reset").as<vs::EntityStreamerProxy>();
    c.session->step("connect(readahead)");
    auto stream = streamer.connect({.readahead = true});
    stream.set_eos_policy(true);
    require_arrived(stream.wait_status({.active = true}, to(c.wait)), "stream never became active");
    std::vector<std::string> names;
    c.session->step("iterate");
    for (const auto& e : stream.iterator(to(c.wait))) names.push_back(e.as_string());
    require(names == std::vector<std::string>{"John Doe #1", "John Doe #2", "John Doe #3", "John Doe #4", "John Doe #5"},
            "names not streamed in sorted order");
    require_arrived(stream.wait_status({.closed = true}, to(c.wait)), "stream not closed after the iterator ended");
    require(c.session->close(), "links did not close");
    return Observation::ok();
  };
  d["STREAM-C02"] = {recipe_entity};
  d["RECIPE-ENTITY"] = {recipe_entity};
  auto recipe_bytes = [](ScenarioContext& ctx) {
    auto c = open_client(ctx);
    c.session->step("bytes_file(b'')");
    const auto res = c.gw.call("bytes_file", Entity(versile::Bytes())).as_tuple();
    auto streamer = res[0].as<vs::ByteStreamerProxy>();
    const Entity token = res[1];
    auto stream = streamer.connect({.readahead = true});
    const versile::Bytes msg(std::string_view("Hello, this is a byte stream"));  // 28 bytes
    c.session->step("wseek(0); write(28 bytes)");
    stream.wseek(0, vs::PosRef::abs, to(c.wait));
    stream.write(Entity(msg));
    c.session->step("rseek(0); read()");
    stream.rseek(0, vs::PosRef::abs, to(c.wait));
    const auto back = stream.read().as_bytes();
    require(back == msg, "read() did not return the written bytes");
    stream.close();
    c.session->step("file_contents(token)");
    require(c.gw.call("file_contents", token).as_bytes() == msg, "file_contents differs from what was written");
    return Observation::ok();
  };
  d["STREAM-C03"] = {recipe_bytes};
  d["RECIPE-BYTES"] = {recipe_bytes};
  d["STREAM-C15"] = {[](ScenarioContext& ctx) {
    auto c = open_client(ctx);
    auto stream = c.gw.call("bytes_fixed", I(100), I(4)).as<vs::ByteStreamerProxy>().connect();
    stream.rseek(-3, vs::PosRef::end, to(c.wait));
    require(stream.read().as_bytes() == slice(pat(100, 4), 97, 3), "read() after rseek(-3, END) is not the last 3 bytes");
    require(stream.recv(5, to(c.wait)).as_bytes().empty(), "recv at the end is not empty");
    require(stream.pos(to(c.wait)) == 100, "pos() is not 100");
    stream.close();
    return Observation::ok();
  }};
  d["STREAM-C20"] = {[](ScenarioContext& ctx) {
    auto c = open_client(ctx);
    auto stream = c.gw.call("entities_iter", I(2500)).as<vs::EntityStreamerProxy>().connect({.readahead = true});
    std::size_t n = 0;
    for (const auto& e : stream.iterator(to(c.wait))) {
      require(e == item(n), "item " + std::to_string(n) + " differs");
      ++n;
    }
    require(n == 2500, "iterator yielded " + std::to_string(n) + " items");
    require_arrived(stream.wait_status({.closed = true}, to(c.wait)), "stream did not reach closed");
    return Observation::ok();
  }};
  d["STREAM-C31"] = {[](ScenarioContext& ctx) {
    auto c = open_client(ctx);
    auto stream = c.gw.call("entities_iter", I(3)).as<vs::EntityStreamerProxy>().connect();
    require_arrived(stream.wait_status({.active = true}, to(c.wait)), "not active");
    const auto rseek = outcome_of([&] { stream.rseek(0, vs::PosRef::abs, to(c.wait)); });
    const auto trunc = outcome_of([&] { stream.trunc_after(to(c.wait)); });
    require(rseek == trunc, "rseek and trunc_after fail differently");
    return Observation::failed(rseek, "seek on a non-seekable read-only stream");
  }};
  d["STREAM-C36"] = {[](ScenarioContext& ctx) {
    auto c = open_client(ctx);
    const auto res = c.gw.call("bytes_file", Entity(versile::Bytes(std::string_view("0123456789")))).as_tuple();
    auto stream = res[0].as<vs::ByteStreamerProxy>().connect();
    const auto beyond = outcome_of([&] {
      stream.rseek(11, vs::PosRef::abs, to(c.wait));
      stream.recv(5, to(c.wait));
    });
    stream.rseek(-3, vs::PosRef::end, to(c.wait));
    require(str_of(stream.read().as_bytes()) == "789", "read() after rseek(-3, END) is not 789");
    stream.close();
    return beyond == ErrorCategory::success ? Observation::failed(ErrorCategory::wrong_result, "seek beyond the end accepted")
                                            : Observation::failed(ErrorCategory::call_exception, "seek beyond the end refused");
  }};
  d["STREAM-C39"] = {[](ScenarioContext& ctx) {
    auto c = open_client(ctx);
    auto stream = c.gw.call("bytes_fixed", I(30), I(1)).as<vs::ByteStreamerProxy>().connect();
    require_arrived(stream.wait_status({.active = true}, to(c.wait)), "not active");
    stream.close();
    require(stream.done(), "done is not set after close()");
    const auto after = outcome_of([&] { stream.recv(5, to(c.wait)); });
    require_arrived(stream.wait_status({.closed = true}, to(c.wait)), "closed never became true");
    return Observation::failed(after, "recv after close()");
  }};
  d["STREAM-C44"] = {[](ScenarioContext& ctx) {
    auto c = open_client(ctx);
    {
      auto stream = c.gw.call("bytes_fixed", I(30), I(1)).as<vs::ByteStreamerProxy>().connect();
      require_arrived(stream.wait_status({.active = true}, to(c.wait)), "not active");
      c.session->step("drop the stream handle");
    }
    std::this_thread::sleep_for(ctx.scaled(300ms));
    c.session->close();
    require_arrived(!sent_calls(ctx, "peer_close").empty(), "dropping the handle sent no peer_close");
    return Observation::ok();
  }};
  d["STREAM-C46"] = {[](ScenarioContext& ctx) {
    auto c = open_client(ctx);
    auto stream = c.gw.call("entities_iter", I(3)).as<vs::EntityStreamerProxy>().connect({.eos_policy = false, .readahead = true});
    std::size_t n = 0;
    const auto end = outcome_of([&] {
      for (const auto& e : stream.iterator(to(ctx.scaled(300ms)))) {
        require(e == item(n), "wrong item");
        ++n;
      }
    });
    // Fewer items and an end other than the timeout: that end is the outcome (e.g. the link lost).
    if (n < 3 && end != ErrorCategory::stream_timeout && end != ErrorCategory::success)
      return Observation::failed(end, "the iterator ended after " + std::to_string(n) + " items");
    require(n == 3, "expected 3 items before the timeout, got " + std::to_string(n));
    return Observation::failed(end, "iterator without eos policy");
  }};
  d["STREAM-C47"] = {[](ScenarioContext& ctx) {
    auto c = open_client(ctx);
    auto stream = c.gw.call("entities_iter", I(10)).as<vs::EntityStreamerProxy>().connect();
    const auto a = stream.read(4).as_tuple();
    const auto b = stream.read(100).as_tuple();
    const auto e = stream.read().as_tuple();
    require(a.size() == 4 && a[0] == item(0) && a[3] == item(3), "read(4) differs");
    require(b.size() == 6 && b[0] == item(4) && b[5] == item(9), "read(100) differs");
    require(e.empty(), "read() at the end is not empty");
    std::size_t rest = 0;
    for (const auto& x : stream.iterator(to(c.wait))) {
      (void)x;
      ++rest;
    }
    require(rest == 0, "iterator after the end yielded items");
    require_arrived(stream.wait_status({.closed = true}, to(c.wait)), "not closed after the iterator");
    return Observation::ok();
  }};
  d["STREAM-C69"] = {[](ScenarioContext& ctx) {
    auto c = open_client(ctx);
    auto stream = c.gw.call("bytes_fixed", I(30), I(1)).as<vs::ByteStreamerProxy>().connect();
    require_arrived(stream.wait_status({.active = true}, to(c.wait)), "not active");
    const auto zero = outcome_of([&] { stream.recv(5, to(0ms)); });
    return Observation::failed(zero, "recv(5, timeout=0) with nothing buffered");
  }};
  d["STREAM-C70"] = {[](ScenarioContext& ctx) {
    auto c = open_client(ctx);
    auto stream = c.gw.call("bytes_fixed", I(30), I(1)).as<vs::ByteStreamerProxy>().connect();
    require(!stream.wait_status({.closed = true}, to(0ms)), "wait_status(closed, 0) is true on an open stream");
    require(!stream.wait_status({.closed = true}, to(ctx.scaled(100ms))), "wait_status(closed, 0.1) is true");
    return Observation::ok();
  }};
  d["STREAM-C73"] = {[](ScenarioContext& ctx) {
    auto c = open_client(ctx);
    const auto res = c.gw.call("bytes_file", Entity(versile::Bytes())).as_tuple();
    auto stream = res[0].as<vs::ByteStreamerProxy>().connect();
    require(stream.send(Entity(versile::Bytes()), to(c.wait)) == 0, "send(b'') did not return 0");
    return Observation::ok();
  }};
  d["STREAM-C09"] = {[](ScenarioContext& ctx) {
    auto c = open_client(ctx);
    auto stream = c.gw.call("bytes_fixed", I(8), I(6)).as<vs::ByteStreamerProxy>().connect();
    const auto first = stream.recv(5, to(c.wait)).as_bytes();
    require(first == slice(pat(8, 6), 0, 5), "recv(5) differs");
    require(stream.pos(to(c.wait)) == 5, "pos() is not 5");
    const auto second = stream.recv(5, to(c.wait)).as_bytes();
    require(second == slice(pat(8, 6), 5, 3), "second recv differs");
    for (int i = 0; i < 3; ++i) require(stream.recv(5, to(c.wait)).as_bytes().empty(), "recv after eos not empty");
    c.session->close();
    const auto limits = sent_calls(ctx, "peer_read_lim");
    require(!limits.empty() && limits[0][2] == nlohmann::json{{"int", "5"}}, "first read_lim is not 5");
    return Observation::ok();
  }};
  return d;
}

}  // namespace vpstream::conformance
