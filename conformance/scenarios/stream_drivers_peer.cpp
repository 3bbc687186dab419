// Client-role drivers: vpstream's stream peer (Stream API) against a scripted fake streamer
// (peer/fake_streamer.hpp) that lives on the server side of a loopback session, so every call
// crosses the real link (and the fault profile). The fake records the peer's calls; the driver
// answers with exact message ids and contexts, and checks the calls (ids and arguments), the
// local results and the observer events that stream.md §12.2 names.
#include "scenarios/stream_drivers.hpp"

#include <future>
#include <thread>
#include <type_traits>

#include "peer/fake_streamer.hpp"
#include "scenarios/stream_driver_kit.hpp"

namespace vpstream::conformance {

using namespace stream_kit;

namespace {

using Kind = FakeStreamer::Kind;
using Calls = std::vector<std::string>;

// Modes (stream.md §3.1) of the streamers the fakes pretend to be.
constexpr std::int64_t kFixedBytes = 0x1045;  // READABLE|START_BOUNDED|END_BOUNDED|FIXED_DATA
constexpr std::int64_t kFixedSeek = 0x1C45;   // + SEEK_REW|SEEK_FWD
constexpr std::int64_t kFileRw = 0x0FC7;      // r+ file with both seeks (recipe b)
constexpr std::int64_t kWriteOnly = 0x0046;   // WRITABLE|START_BOUNDED|END_BOUNDED

struct FakeSpec {
  Kind kind = Kind::bytes;
  std::int64_t tag_mode = kFixedBytes;
  // The mode the fake answers peer_connect with (default: the tag mode).
  std::optional<std::int64_t> result_mode{};
  // Hold the peer_connect answer until the driver gives it.
  bool hold_connect = false;
};

// Runs `f(stream)` on its own thread; the future does not block on destruction, so a driver can
// give up on an operation that never returns (a REF-like hang) and report it. The thread drops
// its copy of the stream handle before the result is ready, so the driver's own handle stays
// the last one (dropping the last handle closes the stream, §9.9, and must happen while the
// session is still up).
template <class F>
auto background(vs::Stream stream, F f) -> std::future<std::invoke_result_t<F, vs::Stream&>> {
  using R = std::invoke_result_t<F, vs::Stream&>;
  auto promise = std::make_shared<std::promise<R>>();
  auto fut = promise->get_future();
  std::thread([promise, held = std::optional<vs::Stream>(std::move(stream)), f = std::move(f)]() mutable {
    std::optional<R> value;
    std::exception_ptr error;
    try {
      value.emplace(f(*held));
    } catch (...) {
      error = std::current_exception();
    }
    held.reset();
    if (error) {
      promise->set_exception(error);
    } else {
      promise->set_value(std::move(*value));
    }
  }).detach();
  return fut;
}

// Observer notifications, in order.
struct RecordingObserver : vs::StreamObserver {
  std::mutex mutex;
  Calls events;
  void add(const char* e) {
    std::scoped_lock l(mutex);
    events.emplace_back(e);
  }
  void can_recv() override { add("can_recv"); }
  void can_send() override { add("can_send"); }
  void closed() override { add("closed"); }
  void ctx_error() override { add("ctx_error"); }
  void failed() override { add("failed"); }
  Calls take() {
    std::scoped_lock l(mutex);
    return std::exchange(events, {});
  }
};

std::string join(const Calls& calls) {
  std::string out = "[";
  for (std::size_t i = 0; i < calls.size(); ++i) out += (i ? ", " : "") + calls[i];
  return out + "]";
}

// Checks of a driver on a live session, following the cut rule of conformance/README.md: a
// wait that did not see what it waited for is no_response (the grader attributes it to a cut
// that fired before it); a value that arrived but differs is wrong_result; local stream state
// and swallowed operation outcomes that a lost link legitimately changes (stream.md §9.10)
// report the lost link instead of a wrong value.
class Checks {
 public:
  Checks(ScenarioContext& ctx, Session& session) : wait(ctx.scaled(5000ms)), ctx_(ctx), session_(session) {}

  bool link_lost() const {
    const auto& client = session_.client();
    return client->closed() || (ctx_.faults().cuts() && client->wait_closed(ctx_.scaled(500ms)));
  }
  [[noreturn]] void missing(const std::string& what) const { abort_with(ErrorCategory::no_response, what); }
  void arrived(bool cond, const std::string& what) const {
    if (!cond) missing(what);
  }
  void expect(bool cond, const std::string& what) const {
    if (!cond) abort_with(ErrorCategory::wrong_result, what);
  }
  // A check of local stream state (status flags, observer events), which a lost link
  // legitimately changes (stream.md §9.10).
  void state(bool cond, const std::string& what) const {
    if (cond) return;
    if (link_lost()) abort_with(ErrorCategory::link_closed, what + " (the link closed)");
    abort_with(ErrorCategory::wrong_result, what);
  }
  // An operation ended with `got` where `want` was specified. A stream failure or a lost link
  // after the link closed is the lost link's doing and is reported as such.
  void expect_outcome(ErrorCategory got, ErrorCategory want, const std::string& what) const {
    if (got == want) return;
    const std::string msg = what + ": " + std::string(to_string(got)) + ", expected " + std::string(to_string(want));
    if ((got == ErrorCategory::stream_failure || got == ErrorCategory::link_closed) && link_lost()) abort_with(got, msg);
    abort_with(ErrorCategory::wrong_result, msg);
  }
  // Waits up to `wait` for `ready_within(slice)` to hold, in short slices, and gives up early
  // once the link has closed (nothing more can arrive).
  bool poll(const std::function<bool(std::chrono::milliseconds)>& ready_within) const {
    const auto deadline = std::chrono::steady_clock::now() + wait;
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left <= 0ms) return false;
      if (ready_within(std::min(left, 50ms))) return true;
      if (session_.client()->closed()) return ready_within(0ms);
    }
  }
  template <class T>
  bool ready(std::future<T>& f) const {
    return poll([&](std::chrono::milliseconds slice) { return f.wait_for(slice) == std::future_status::ready; });
  }
  template <class T>
  T get(std::future<T>& f, const std::string& what) const {
    if (!ready(f)) missing(what + ": did not return");
    return f.get();  // an error escapes: graded by its category
  }

  std::chrono::milliseconds wait;

 private:
  ScenarioContext& ctx_;
  Session& session_;
};

// The server side of a fake-streamer session: the fakes and the session whose gateway hands
// them out (`harness_streamer(i)` returns fake i's streamer proxy entity). Loopback only (an
// external peer cannot host the harness's fake); client-role scenarios do not run against a
// peer anyway.
struct FakesState {
  FakesState(ScenarioContext& ctx, std::vector<FakeSpec> specs) : specs_(std::move(specs)) {
    if (ctx.target().kind != Target::Kind::loopback)
      throw ScenarioAbort(Observation::missing("a harness fake streamer (loopback only)"));
    std::vector<Entity> tags;
    for (const auto& s : specs_) {
      auto fake = std::make_shared<FakeStreamer>();
      tags.push_back(fake->tag(s.kind, s.tag_mode));
      if (!s.hold_connect) fake->answer_connect(FakeStreamer::connect_result(s.result_mode.value_or(s.tag_mode)));
      fakes_.push_back(std::move(fake));
    }
    auto gw = std::make_shared<versile::External>("harness fake streamer gateway");
    gw->publish("harness_streamer", [tags](std::int64_t i) {
      if (i < 0 || static_cast<std::size_t>(i) >= tags.size()) throw std::out_of_range("no such fake streamer");
      return tags[static_cast<std::size_t>(i)];
    });
    SessionOptions options;
    options.server_gateway = gw;
    owned_session_ = Session::open(ctx, std::move(options));
    gw_ = owned_session_->gateway();
  }
  std::vector<FakeSpec> specs_;
  std::vector<std::shared_ptr<FakeStreamer>> fakes_;
  std::unique_ptr<Session> owned_session_;
  versile::Proxy gw_;
};

// vpstream's stream peer against fake streamers, with the checks.
class Fakes : private FakesState, public Checks {
 public:
  Fakes(ScenarioContext& ctx, std::vector<FakeSpec> specs) : FakesState(ctx, std::move(specs)), Checks(ctx, *owned_session_) {}

  FakeStreamer& fake(std::size_t i) { return *fakes_.at(i); }
  Session& session() { return *owned_session_; }

  // Connects vpstream's stream peer to fake i through the proxy entity the gateway returns.
  vs::Stream connect(std::size_t i, const vs::ConnectOptions& options = {}) {
    owned_session_->step("harness_streamer(" + std::to_string(i) + ").connect()");
    const Entity tag = gw_.call("harness_streamer", I(static_cast<std::int64_t>(i)));
    return specs_.at(i).kind == Kind::bytes ? tag.as<vs::ByteStreamerProxy>().connect(options)
                                            : tag.as<vs::EntityStreamerProxy>().connect(options);
  }
  // Connects to fake i and waits until the stream is active.
  vs::Stream active(std::size_t i, const vs::ConnectOptions& options = {}) {
    auto stream = connect(i, options);
    arrived(poll([&](auto slice) { return fake(i).wait_connected(slice); }), "no peer_connect reached the streamer");
    arrived(poll([&](auto slice) { return stream.wait_status({.active = true}, to(slice)); }),
            "the stream did not become active after the handshake");
    return stream;
  }

  // The outcome of a streamer→peer call the fake made.
  ErrorCategory outcome(std::future<Entity> f, const std::string& what) {
    if (!ready(f)) missing(what + ": the peer never answered");
    return outcome_of([&] { f.get(); });
  }
  // A streamer→peer call that must be answered with null.
  void ok(std::future<Entity> f, const std::string& what) {
    const Entity r = get(f, what + " (no answer)");
    expect(r.is_none(), what + ": result is not null");
  }

  // The peer's sequenced calls so far are exactly `want` (waits for that many to arrive).
  void expect_calls(FakeStreamer& f, const Calls& want, const std::string& what) {
    const bool all = poll([&](auto slice) { return f.wait_sequenced(want.size(), slice); });
    const auto got = f.sequenced();
    if (!all) missing(what + ": peer calls " + join(got) + ", waiting for " + join(want));
    expect(got == want, what + ": peer calls " + join(got) + ", expected " + join(want));
  }
  // Waits for the n-th sequenced call and returns the calls so far.
  Calls calls_after(FakeStreamer& f, std::size_t n) {
    arrived(poll([&](auto slice) { return f.wait_sequenced(n, slice); }), "fewer than " + std::to_string(n) + " peer calls: " + join(f.sequenced()));
    return f.sequenced();
  }
};

Entity B(std::string_view s) { return Entity(versile::Bytes(s)); }
std::string text(const Entity& e) { return std::string(e.as_bytes().view()); }

// The message of a peer_fail the peer sent: peer_fail(<id>, "<msg>").
std::string fail_call(std::int64_t id, const std::string& msg) {
  return "peer_fail(" + std::to_string(id) + ", \"" + msg + "\")";
}

// Starts a read context by a recv(n) in the background (no read-ahead): the peer sends
// read_start(0, null, null, true) and read_lim(1, n). The recv's own result is not graded.
std::future<Entity> reading(Fakes& f, FakeStreamer& s, vs::Stream stream, std::int64_t n) {
  const auto w = to(f.wait);
  auto pending = background(stream, [n, w](vs::Stream& st) { return st.recv(static_cast<std::size_t>(n), w); });
  f.expect_calls(s, {"peer_read_start(0, null, null, true)", "peer_read_lim(1, " + std::to_string(n) + ")"}, "recv(" + std::to_string(n) + ")");
  return pending;
}

// The peer failed itself: its last sequenced call is peer_fail(id, msg) and it is failed.
void expect_peer_fail(Fakes& f, FakeStreamer& s, vs::Stream& stream, std::int64_t id, const std::string& msg, Calls before) {
  f.arrived(f.poll([&](auto slice) { return s.wait_count("peer_fail", 1, slice); }), "no peer_fail (expected \"" + msg + "\")");
  before.push_back(fail_call(id, msg));
  f.expect_calls(s, before, "failure \"" + msg + "\"");
  f.arrived(f.poll([&](auto slice) { return stream.wait_status({.failed = true}, to(slice)); }), "the stream is not failed after \"" + msg + "\"");
}

}  // namespace

void add_peer_drivers(StreamDriverMap& d) {
  // C10: read-ahead limits with set_readahead(10, 4) — 8 at start, 12 after 2 consumed, 16
  // after 6 (§8.1 worked example); set_readahead(20) at rel 7 → 20.
  d["STREAM-C10"] = {[](ScenarioContext& ctx) {
    Fakes f(ctx, {{Kind::bytes, kFixedBytes}});
    auto& s = f.fake(0);
    auto stream = f.active(0, {.readahead = true});
    stream.set_readahead(10, 4);
    const auto w = to(f.wait);
    auto first = background(stream, [w](vs::Stream& st) { return st.recv(1, w); });
    f.expect_calls(s, {"peer_read_start(0, null, null, true)", "peer_read_lim(1, 8)"}, "read context start");
    f.ok(s.seq("peer_set_start_pos", I(0), I(0)), "set_start_pos");
    f.ok(s.seq("peer_read_push", I(0), B("abcdefgh"), false), "push of 8");
    std::string got = text(f.get(first, "recv(1)"));
    Calls want{"peer_read_start(0, null, null, true)", "peer_read_lim(1, 8)"};
    for (int consumed = 1; consumed <= 7; ++consumed) {
      if (consumed > 1) got += text(stream.recv(1, w));
      if (consumed == 2) want.push_back("peer_read_lim(2, 12)");
      if (consumed == 6) want.push_back("peer_read_lim(3, 16)");
      f.expect_calls(s, want, "after " + std::to_string(consumed) + " consumed");
      // No limit may be issued early: let any stray call arrive before the next recv.
      std::this_thread::sleep_for(ctx.scaled(50ms));
      f.expect_calls(s, want, "after " + std::to_string(consumed) + " consumed (settled)");
    }
    f.expect(got == "abcdefg", "recv(1) x7 returned '" + got + "'");
    stream.set_readahead(20);
    want.push_back("peer_read_lim(4, 20)");
    f.expect_calls(s, want, "set_readahead(20) at rel 7");
    return Observation::ok();
  }};

  // C14: read-ahead 20/5 with r_size 7; a seek discards the old context's pushes.
  d["STREAM-C14"] = {[](ScenarioContext& ctx) {
    Fakes f(ctx, {{Kind::bytes, kFixedSeek}});
    auto& s = f.fake(0);
    auto stream = f.active(0, {.readahead = true, .r_size = 7});
    const auto connect = s.calls("peer_connect");
    f.expect(connect.size() == 1 && FakeStreamer::render("peer_connect", connect[0].args) == "peer_connect(<ref>, 15, 10, 7)",
             "peer_connect does not offer r_size 7");
    stream.set_readahead(20, 5);
    const auto w = to(f.wait);
    auto first = background(stream, [w](vs::Stream& st) { return st.recv(3, w); });
    f.expect_calls(s, {"peer_read_start(0, null, null, true)", "peer_read_lim(1, 20)"}, "read context start");
    f.ok(s.seq("peer_set_start_pos", I(0), I(0)), "set_start_pos");
    f.ok(s.seq("peer_read_push", I(0), B("ABCDEFG"), false), "push ABCDEFG");
    f.expect(text(f.get(first, "recv(3)")) == "ABC", "recv(3) is not ABC");
    f.ok(s.seq("peer_read_push", I(0), B("HIJKLMN"), false), "push HIJKLMN");
    stream.rseek(50, vs::PosRef::abs, w);
    f.expect_calls(s,
                   {"peer_read_start(0, null, null, true)", "peer_read_lim(1, 20)", "peer_read_start(2, 50, 1, true)",
                    "peer_read_lim(3, 20)"},
                   "rseek(50) with read-ahead");
    f.ok(s.seq("peer_read_push", I(0), B("OPQRST"), false), "stale push for context 0");
    f.ok(s.seq("peer_set_start_pos", I(2), I(50)), "set_start_pos of context 2");
    f.ok(s.seq("peer_read_push", I(2), B("YZABCDE"), false), "push YZABCDE");
    const std::string second = text(stream.recv(5, w));
    f.expect(second == "YZABC", "recv(5) after the seek is '" + second + "', not YZABC");
    f.expect(stream.pos(w) == 55, "pos() is not 55");
    f.state(!stream.failed(), "the stream failed");
    return Observation::ok();
  }};

  // C16: two delayed seeks with no context; the next recv starts the context at the last one.
  d["STREAM-C16"] = {[](ScenarioContext& ctx) {
    Fakes f(ctx, {{Kind::bytes, kFixedSeek}});
    auto& s = f.fake(0);
    auto stream = f.active(0);
    const auto w = to(f.wait);
    stream.seek(5, vs::PosRef::abs, w);
    stream.seek(-2, vs::PosRef::end, w);
    auto pending = background(stream, [w](vs::Stream& st) { return st.recv(4, w); });
    f.expect_calls(s, {"peer_read_start(0, -2, 3, true)", "peer_read_lim(1, 4)"}, "recv after seek(5), seek(-2, END)");
    f.ok(s.seq("peer_set_start_pos", I(0), I(98)), "set_start_pos");
    f.ok(s.seq("peer_read_push", I(0), B("xy"), true), "push xy + eos");
    f.expect(text(f.get(pending, "recv(4)")) == "xy", "recv(4) did not return the pushed data");
    return Observation::ok();
  }};

  // C17: seek(2, CURRENT) in a read context at spos 8 → read_start(#, 10, ABS); no read_lim.
  d["STREAM-C17"] = {[](ScenarioContext& ctx) {
    Fakes f(ctx, {{Kind::bytes, kFixedSeek}});
    auto& s = f.fake(0);
    auto stream = f.active(0);
    const auto w = to(f.wait);
    stream.rseek(8, vs::PosRef::abs, w);
    f.expect_calls(s, {"peer_read_start(0, 8, 1, true)"}, "rseek(8)");
    f.ok(s.seq("peer_set_start_pos", I(0), I(8)), "set_start_pos 8");
    stream.seek(2, vs::PosRef::current, w);
    f.expect_calls(s, {"peer_read_start(0, 8, 1, true)", "peer_read_start(1, 10, 1, true)"}, "seek(2, CURRENT)");
    // The next call must carry id 2: a read_lim after the seek would have taken it.
    stream.close();
    f.expect_calls(s, {"peer_read_start(0, 8, 1, true)", "peer_read_start(1, 10, 1, true)", "peer_close(2)"},
                   "no read_lim without read-ahead");
    return Observation::ok();
  }};

  // C18 (end to end with the gateway's file streamer): read-ahead 4/2 skews the write position;
  // write() without wseek starts the write context at the streamer's position.
  d["STREAM-C18"] = {[](ScenarioContext& ctx) {
    auto c = open_client(ctx);
    const Checks check(ctx, *c.session);
    c.session->step("bytes_file(b'0123456789')");
    const auto res = c.gw.call("bytes_file", Entity(versile::Bytes(std::string_view("0123456789")))).as_tuple();
    const Entity token = res[1];
    auto stream = res[0].as<vs::ByteStreamerProxy>().connect({.readahead = true});
    stream.set_readahead(4, 2);
    c.session->step("recv(2)");
    const std::string first = text(stream.recv(2, to(c.wait)));
    require(first == "01", "recv(2) returned '" + first + "'");
    c.session->step("write(b'XY')");
    stream.write(B("XY"));
    stream.close();
    check.arrived(stream.wait_status({.closed = true}, to(c.wait)), "the stream did not close");
    c.session->step("file_contents(token)");
    const std::string file = text(c.gw.call("file_contents", token));
    require(file == "012345XY89", "the file holds '" + file + "', not 012345XY89");
    c.session->close();
    const auto starts = sent_calls(ctx, "peer_write_start");
    const nlohmann::json want = nlohmann::json::array({{{"str", "peer_write_start"}}, {{"int", "3"}}, nullptr, nullptr});
    require(starts.size() == 1 && starts[0] == want,
            "the write context did not start with peer_write_start(3, null, null): " + nlohmann::json(starts).dump());
    return Observation::ok();
  }};

  // C32: the connect result's mode differs from the proxy tag's → failed, not connected; SPEC
  // sends peer_fail "Streamer peer mode mismatch" (REF loses it, D8).
  d["STREAM-C32"] = {[](ScenarioContext& ctx) {
    Fakes f(ctx, {{Kind::bytes, kFixedBytes, kFixedSeek}});
    auto& s = f.fake(0);
    auto stream = f.connect(0);
    f.arrived(f.poll([&](auto slice) { return stream.wait_status({.active = true, .failed = true}, to(slice)); }), "the stream neither failed nor became active");
    f.state(stream.failed(), "a mode mismatch did not fail the stream");
    f.state(!stream.connected(), "connected is true after a mode mismatch");
    f.expect_outcome(outcome_of([&] { stream.recv(1, to(0ms)); }), ErrorCategory::stream_failure, "recv on the failed stream");
    if (!f.poll([&](auto slice) { return s.wait_count("peer_fail", 1, slice); })) return Observation::failed(ErrorCategory::no_response, "failed, but no peer_fail reached the streamer");
    f.expect_calls(s, {fail_call(0, "Streamer peer mode mismatch")}, "peer_fail after the mismatch");
    return Observation::failed(ErrorCategory::stream_failure, "failed with peer_fail");
  }};

  // C33: a connect result mode with neither READABLE nor WRITABLE → SPEC fail "Invalid stream
  // mode" (REF stays unconnected and unfailed, D9).
  d["STREAM-C33"] = {[](ScenarioContext& ctx) {
    Fakes f(ctx, {{Kind::bytes, 0x0004}});
    auto& s = f.fake(0);
    auto stream = f.connect(0);
    if (!f.poll([&](auto slice) { return stream.wait_status({.active = true, .failed = true}, to(slice)); })) {
      f.arrived(s.wait_connected(0ms), "no peer_connect reached the streamer");
      return Observation::failed(ErrorCategory::no_response, "neither connected nor failed");
    }
    f.state(!stream.active() && !stream.connected(), "an invalid mode was accepted");
    f.arrived(f.poll([&](auto slice) { return s.wait_count("peer_fail", 1, slice); }), "no peer_fail reached the streamer");
    f.expect_calls(s, {fail_call(0, "Invalid stream mode")}, "peer_fail after an invalid mode");
    return Observation::failed(ErrorCategory::stream_failure, "failed \"Invalid stream mode\"");
  }};

  // C38: context errors — INVALID_POS raises VStreamInvalidPos from recv and pos, notifies
  // ctx_error; a new context clears it; errors for other contexts are ignored; another code is a
  // general VStreamError.
  d["STREAM-C38"] = {[](ScenarioContext& ctx) {
    Fakes f(ctx, {{Kind::bytes, kFixedSeek}});
    auto& s = f.fake(0);
    auto stream = f.active(0);
    auto obs = std::make_shared<RecordingObserver>();
    stream.add_observer(obs);
    const auto w = to(f.wait);
    const auto brief = to(ctx.scaled(100ms));
    stream.rseek(0, vs::PosRef::abs, w);
    f.expect_calls(s, {"peer_read_start(0, 0, 1, true)"}, "rseek(0)");
    f.ok(s.seq("peer_set_start_pos", I(0), I(0)), "set_start_pos");
    f.ok(s.seq("peer_error", I(0), I(2)), "peer_error(ctx 0, INVALID_POS)");
    const auto recv_err = outcome_of([&] { stream.recv(1, brief); });
    f.expect_outcome(recv_err, ErrorCategory::stream_invalid_pos, "recv after INVALID_POS");
    const auto pos_err = outcome_of([&] { stream.pos(brief); });
    f.expect_outcome(pos_err, ErrorCategory::stream_invalid_pos, "pos after INVALID_POS");
    f.state(obs->take() == Calls{"ctx_error"}, "observer did not get exactly ctx_error");
    stream.rseek(0, vs::PosRef::abs, w);
    f.expect_outcome(outcome_of([&] { stream.recv(1, brief); }), ErrorCategory::stream_timeout, "recv after rseek(0) (the error must be cleared)");
    f.ok(s.seq("peer_error", I(0), I(2)), "peer_error for the old context");
    f.expect_outcome(outcome_of([&] { stream.recv(1, brief); }), ErrorCategory::stream_timeout, "recv after an error for another context");
    f.state(obs->take().empty(), "observer notified for another context's error");
    f.ok(s.seq("peer_error", I(1), I(7)), "peer_error(ctx 1, code 7)");
    const auto general = outcome_of([&] { stream.recv(1, brief); });
    f.expect_outcome(general, ErrorCategory::stream_error, "recv after code 7");
    f.state(obs->take() == Calls{"ctx_error"}, "observer did not get ctx_error for code 7");
    f.state(!stream.failed(), "a context error failed the stream");
    f.expect_calls(s, {"peer_read_start(0, 0, 1, true)", "peer_read_start(1, 0, 1, true)", "peer_read_lim(2, 1)"},
                   "calls of the two contexts");
    return Observation::failed(ErrorCategory::stream_invalid_pos, "recv and pos raised VStreamInvalidPos");
  }};

  // C42: a remote peer_fail wakes a recv() blocked without timeout (SPEC; REF stays blocked, D7).
  d["STREAM-C42"] = {[](ScenarioContext& ctx) {
    Fakes f(ctx, {{Kind::bytes, kFixedBytes}});
    auto& s = f.fake(0);
    auto stream = f.active(0);
    auto obs = std::make_shared<RecordingObserver>();
    stream.add_observer(obs);
    auto blocked = background(stream, [](vs::Stream& st) { return st.recv(10); });
    f.expect_calls(s, {"peer_read_start(0, null, null, true)", "peer_read_lim(1, 10)"}, "recv(10)");
    f.ok(s.seq("peer_fail", Entity("boom")), "peer_fail");
    if (!f.ready(blocked))
      return Observation::failed(ErrorCategory::no_response, "recv() stayed blocked after peer_fail");
    const auto woke = outcome_of([&] { blocked.get(); });
    f.state(stream.failed(), "failed is not set after peer_fail");
    f.state(obs->take() == Calls{"failed"}, "observer did not get exactly failed");
    return Observation::failed(woke, "blocked recv() after a remote peer_fail");
  }};

  // C43: an unsolicited peer_closed wakes a blocked recv() with VStreamError("Local context
  // changed"); closed, not active, not done.
  d["STREAM-C43"] = {[](ScenarioContext& ctx) {
    Fakes f(ctx, {{Kind::bytes, kFixedBytes}});
    auto& s = f.fake(0);
    auto stream = f.active(0);
    auto blocked = background(stream, [](vs::Stream& st) -> std::pair<ErrorCategory, std::string> {
      try {
        st.recv(10);
        return {ErrorCategory::success, "recv returned"};
      } catch (const std::exception& e) {
        return {category_of(e), e.what()};
      }
    });
    f.expect_calls(s, {"peer_read_start(0, null, null, true)", "peer_read_lim(1, 10)"}, "recv(10)");
    f.ok(s.seq("peer_closed"), "peer_closed");
    if (!f.ready(blocked))
      return Observation::failed(ErrorCategory::no_response, "recv() stayed blocked after peer_closed");
    const auto [woke, message] = blocked.get();
    const auto st = stream.status();
    f.state(st.closed && !st.active && !st.done, "status after an unsolicited peer_closed is not closed, inactive, not done");
    if (woke == ErrorCategory::stream_error)
      f.expect(message == "Local context changed", "recv raised VStreamError('" + message + "'), not \"Local context changed\"");
    return Observation::failed(woke, "blocked recv() after an unsolicited peer_closed: " + message);
  }};

  // C48: a push beyond the granted read limit fails the peer; recv raises VStreamFailure.
  d["STREAM-C48"] = {[](ScenarioContext& ctx) {
    Fakes f(ctx, {{Kind::bytes, kFixedBytes}});
    auto& s = f.fake(0);
    auto stream = f.active(0);
    auto pending = reading(f, s, stream, 5);
    f.ok(s.seq("peer_set_start_pos", I(0), I(0)), "set_start_pos");
    s.seq("peer_read_push", I(0), B("abcdef"), false);
    expect_peer_fail(f, s, stream, 2, "Read push limit exceeded",
                     {"peer_read_start(0, null, null, true)", "peer_read_lim(1, 5)"});
    if (!f.ready(pending)) f.missing("the blocked recv(5) was not woken by the failure");
    return Observation::failed(outcome_of([&] { pending.get(); }), "recv after a push beyond the limit");
  }};

  // C49: read push violations, one fresh stream each.
  d["STREAM-C49"] = {[](ScenarioContext& ctx) {
    Fakes f(ctx, {{Kind::bytes, kFixedBytes},
                  {Kind::bytes, kFixedBytes},
                  {Kind::bytes, kFixedBytes},
                  {Kind::bytes, kFixedBytes},
                  {Kind::bytes, kFixedBytes}});
    const Calls start{"peer_read_start(0, null, null, true)", "peer_read_lim(1, 5)"};
    {
      auto& s = f.fake(0);
      auto stream = f.active(0);
      auto pending = reading(f, s, stream, 5);
      s.seq("peer_read_push", I(0), B("ab"), false);
      expect_peer_fail(f, s, stream, 2, "Read push without position", start);
      (void)f.ready(pending);  // the recv ends before its stream handle goes
    }
    {
      auto& s = f.fake(1);
      auto stream = f.active(1);
      auto pending = reading(f, s, stream, 5);
      f.ok(s.seq("peer_set_start_pos", I(0), I(0)), "set_start_pos");
      f.ok(s.seq("peer_read_push", I(0), B("ab"), true), "push ab + eos");
      s.seq("peer_read_push", I(0), B("c"), false);
      expect_peer_fail(f, s, stream, 2, "Read push after end-of-stream", start);
      (void)f.ready(pending);  // the recv ends before its stream handle goes
    }
    {
      auto& s = f.fake(2);
      auto stream = f.active(2);
      auto pending = reading(f, s, stream, 5);
      f.ok(s.seq("peer_set_start_pos", I(0), I(0)), "set_start_pos");
      s.seq("peer_read_push", I(0), B(""), false);
      expect_peer_fail(f, s, stream, 2, "Invalid read push package", start);
      (void)f.ready(pending);  // the recv ends before its stream handle goes
    }
    {
      auto& s = f.fake(3);
      auto stream = f.active(3, {.r_size = 4});
      auto pending = reading(f, s, stream, 3);
      f.ok(s.seq("peer_set_start_pos", I(0), I(0)), "set_start_pos");
      s.seq("peer_read_push", I(0), B("abcde"), false);
      expect_peer_fail(f, s, stream, 2, "Read push package too large",
                       {"peer_read_start(0, null, null, true)", "peer_read_lim(1, 3)"});
      (void)f.ready(pending);  // the recv ends before its stream handle goes
    }
    {
      auto& s = f.fake(4);
      auto stream = f.active(4);
      auto pending = reading(f, s, stream, 5);
      f.ok(s.seq("peer_set_start_pos", I(0), I(0)), "set_start_pos");
      const auto text_push = f.outcome(s.seq("peer_read_push", I(0), Entity("text"), false), "text push");
      f.expect_outcome(text_push, ErrorCategory::call_exception, "the answer to a text push on a byte stream");
      expect_peer_fail(f, s, stream, 2, "Invalid peer_read_push arguments", start);
      (void)f.ready(pending);  // the recv ends before its stream handle goes
    }
    return Observation::failed(ErrorCategory::stream_failure, "every violation failed the stream with its message");
  }};

  // C50: a second set_start_pos for the current context fails the peer.
  d["STREAM-C50"] = {[](ScenarioContext& ctx) {
    Fakes f(ctx, {{Kind::bytes, kFixedBytes}});
    auto& s = f.fake(0);
    auto stream = f.active(0);
    auto pending = reading(f, s, stream, 5);
    f.ok(s.seq("peer_set_start_pos", I(0), I(0)), "set_start_pos");
    s.seq("peer_set_start_pos", I(0), I(0));
    expect_peer_fail(f, s, stream, 2, "Too many position notifications",
                     {"peer_read_start(0, null, null, true)", "peer_read_lim(1, 5)"});
    (void)f.ready(pending);  // the recv ends before its stream handle goes
    return Observation::failed(ErrorCategory::stream_failure, "failed \"Too many position notifications\"");
  }};

  // C51: write limit violations; a limit for another context is ignored.
  d["STREAM-C51"] = {[](ScenarioContext& ctx) {
    Fakes f(ctx, {{Kind::bytes, kFileRw}, {Kind::bytes, kFileRw}, {Kind::bytes, kFileRw}, {Kind::bytes, kFileRw}});
    const auto w = to(f.wait);
    const Calls wstart{"peer_write_start(0, 0, 1)"};
    {
      auto& s = f.fake(0);
      auto stream = f.active(0);
      stream.wseek(0, vs::PosRef::abs, w);
      f.expect_calls(s, wstart, "wseek(0)");
      f.ok(s.seq("peer_set_start_pos", I(0), I(0)), "set_start_pos");
      f.ok(s.seq("peer_write_lim", I(0), I(10)), "write_lim 10");
      s.seq("peer_write_lim", I(0), I(10));
      expect_peer_fail(f, s, stream, 1, "Illegal write limit", wstart);
    }
    {
      auto& s = f.fake(1);
      auto stream = f.active(1);
      stream.wseek(0, vs::PosRef::abs, w);
      f.expect_calls(s, wstart, "wseek(0)");
      s.seq("peer_write_lim", I(0), I(10));
      expect_peer_fail(f, s, stream, 1, "Write limit without position", wstart);
    }
    {
      auto& s = f.fake(2);
      auto stream = f.active(2);
      stream.rseek(0, vs::PosRef::abs, w);
      const Calls rstart{"peer_read_start(0, 0, 1, true)"};
      f.expect_calls(s, rstart, "rseek(0)");
      f.ok(s.seq("peer_set_start_pos", I(0), I(0)), "set_start_pos");
      s.seq("peer_write_lim", I(0), I(10));
      expect_peer_fail(f, s, stream, 1, "Write limit requires write mode", rstart);
    }
    {
      auto& s = f.fake(3);
      auto stream = f.active(3);
      stream.wseek(0, vs::PosRef::abs, w);
      f.expect_calls(s, wstart, "wseek(0)");
      f.ok(s.seq("peer_set_start_pos", I(0), I(0)), "set_start_pos");
      f.ok(s.seq("peer_write_lim", I(5), I(10)), "write_lim for another context");
      f.state(!stream.failed(), "a write limit for another context failed the stream");
      const auto send = outcome_of([&] { stream.send(B("x"), to(ctx.scaled(100ms))); });
      f.expect_outcome(send, ErrorCategory::stream_timeout, "send after a write limit for another context (must not be granted)");
      f.expect_calls(s, wstart, "nothing sent without a grant");
    }
    return Observation::failed(ErrorCategory::stream_failure, "each violation failed the stream with its message");
  }};

  // C71: trunc_after(timeout=0) before the start position is known → SPEC VStreamTimeout and
  // nothing sent (REF issues peer_trunc_after anyway, D19).
  d["STREAM-C71"] = {[](ScenarioContext& ctx) {
    Fakes f(ctx, {{Kind::bytes, kFileRw}});
    auto& s = f.fake(0);
    auto stream = f.active(0);
    stream.wseek(0, vs::PosRef::abs, to(f.wait));
    f.expect_calls(s, {"peer_write_start(0, 0, 1)"}, "wseek(0)");
    const auto trunc = outcome_of([&] { stream.trunc_after(to(0ms)); });
    // The next call must carry id 1: a truncation sent anyway would have taken it.
    stream.close();
    const auto calls = f.calls_after(s, 2);
    if (calls.size() >= 2 && calls[1] == "peer_trunc_after(1)")
      return Observation::failed(ErrorCategory::wrong_result, "REF behaviour: peer_trunc_after sent without a start position");
    f.expect_outcome(trunc, ErrorCategory::stream_timeout, "trunc_after(timeout=0) before the start position");
    f.expect_calls(s, {"peer_write_start(0, 0, 1)", "peer_close(1)"}, "nothing sent by trunc_after(timeout=0)");
    return Observation::ok("VStreamTimeout, nothing sent");
  }};

  // C72: iterator() on a write-only stream raises VStreamError("Stream not readable"); recv
  // there still sends read_start (and the streamer fails it).
  d["STREAM-C72"] = {[](ScenarioContext& ctx) {
    Fakes f(ctx, {{Kind::bytes, kWriteOnly}});
    auto& s = f.fake(0);
    auto stream = f.active(0);
    std::string message;
    const auto iter = outcome_of([&] {
      try {
        for (const auto& e : stream.iterator(to(0ms))) (void)e;
      } catch (const vs::StreamError& e) {
        message = e.what();
        throw;
      }
    });
    if (iter == ErrorCategory::stream_error)
      f.expect(message == "Stream not readable", "iterator() raised VStreamError('" + message + "')");
    f.expect(s.sequenced().empty(), "iterator() on a write-only stream sent calls");
    auto pending = reading(f, s, stream, 1);
    f.ok(s.seq("peer_fail", Entity("Stream not readable")), "peer_fail from the streamer");
    if (!f.ready(pending)) f.missing("recv was not woken by the streamer's peer_fail");
    const auto recv = outcome_of([&] { pending.get(); });
    f.expect_outcome(recv, ErrorCategory::stream_failure, "recv after the streamer failed");
    return Observation::failed(iter, "iterator() on a write-only stream");
  }};

  // C74: observer notifications for pushes and write limits.
  d["STREAM-C74"] = {[](ScenarioContext& ctx) {
    Fakes f(ctx, {{Kind::bytes, kFileRw}});
    auto& s = f.fake(0);
    auto stream = f.active(0, {.readahead = true});
    auto obs = std::make_shared<RecordingObserver>();
    stream.add_observer(obs);
    stream.add_observer(obs);  // duplicates are ignored (§9.5)
    const auto w = to(f.wait);
    // Each streamer call is answered only after the peer processed it (§4.4), and the observer
    // runs inside that processing: once the answer is here, its notification is too.
    auto events_after = [&](std::future<Entity> call, const std::string& what) {
      f.ok(std::move(call), what);
      return obs->take();
    };
    stream.rseek(0, vs::PosRef::abs, w);
    f.expect_calls(s, {"peer_read_start(0, 0, 1, true)", "peer_read_lim(1, 10000000)"}, "rseek(0) with read-ahead");
    f.ok(s.seq("peer_set_start_pos", I(0), I(0)), "set_start_pos");
    f.state(events_after(s.seq("peer_read_push", I(0), B("ab"), false), "push ab") == Calls{"can_recv"},
             "first push into the empty buffer: not exactly can_recv");
    f.state(events_after(s.seq("peer_read_push", I(0), B("cd"), false), "push cd").empty(), "second push notified");
    f.expect(text(stream.recv(10, w)) == "abcd", "recv did not drain abcd");
    f.state(events_after(s.seq("peer_read_push", I(0), B("e"), false), "push e") == Calls{"can_recv"},
             "push after draining: not exactly can_recv");
    f.expect(text(stream.recv(10, w)) == "e", "recv did not return e");
    f.state(events_after(s.seq("peer_read_push", I(0), B(""), true), "eos push").empty(), "eos-only push notified");
    stream.wseek(0, vs::PosRef::abs, w);
    f.expect_calls(s, {"peer_read_start(0, 0, 1, true)", "peer_read_lim(1, 10000000)", "peer_write_start(2, 0, 1)"}, "wseek(0)");
    f.state(events_after(s.seq("peer_set_start_pos", I(2), I(0)), "set_start_pos of the write context").empty(),
             "set_start_pos notified");
    f.state(events_after(s.seq("peer_write_lim", I(2), I(5)), "write_lim 5") == Calls{"can_send"},
             "write_lim that opens room: not exactly can_send");
    return Observation::ok();
  }};

  // C75: recv right after connect(), before the handshake result: the calls are held until the
  // result arrives, then sent in order and the data arrives (SPEC; REF loses them, D2).
  d["STREAM-C75"] = {[](ScenarioContext& ctx) {
    FakeSpec held{Kind::bytes, kFixedBytes};
    held.hold_connect = true;
    Fakes f(ctx, {held});
    auto& s = f.fake(0);
    auto stream = f.connect(0);
    const auto w = to(f.wait);
    auto pending = background(stream, [w](vs::Stream& st) { return st.recv(5, w); });
    f.arrived(f.poll([&](auto slice) { return s.wait_connected(slice); }), "no peer_connect reached the streamer");
    std::this_thread::sleep_for(ctx.scaled(200ms));  // time for calls that should be held
    f.expect(s.sequenced().empty(), "calls were sent before the handshake result: " + join(s.sequenced()));
    s.answer_connect(FakeStreamer::connect_result(kFixedBytes));
    if (!f.poll([&](auto slice) { return s.wait_sequenced(2, slice); }))
      return Observation::failed(ErrorCategory::no_response, "the held calls never left after the handshake: " + join(s.sequenced()));
    f.expect_calls(s, {"peer_read_start(0, null, null, true)", "peer_read_lim(1, 5)"}, "held calls");
    f.ok(s.seq("peer_set_start_pos", I(0), I(0)), "set_start_pos");
    f.ok(s.seq("peer_read_push", I(0), B("hello"), false), "push hello");
    const std::string got = text(f.get(pending, "recv(5)"));
    f.expect(got == "hello", "recv returned '" + got + "'");
    f.state(!stream.failed(), "the stream failed");
    return Observation::ok();
  }};

  // C77: negative limits and positions.
  d["STREAM-C77"] = {[](ScenarioContext& ctx) {
    // A negative first write grant fails the peer.
    Fakes f(ctx, {{Kind::bytes, kFileRw}, {Kind::bytes, kFixedSeek}});
    const auto w = to(f.wait);
    {
      auto& s = f.fake(0);
      auto stream = f.active(0);
      stream.wseek(0, vs::PosRef::abs, w);
      f.expect_calls(s, {"peer_write_start(0, 0, 1)"}, "wseek(0)");
      f.ok(s.seq("peer_set_start_pos", I(0), I(0)), "set_start_pos");
      s.seq("peer_write_lim", I(0), I(-5));
      expect_peer_fail(f, s, stream, 1, "Illegal write limit", {"peer_write_start(0, 0, 1)"});
    }
    // A negative start position is accepted.
    {
      auto& s = f.fake(1);
      auto stream = f.active(1);
      stream.rseek(-7, vs::PosRef::end, w);
      f.expect_calls(s, {"peer_read_start(0, -7, 3, true)"}, "rseek(-7, END)");
      f.ok(s.seq("peer_set_start_pos", I(0), I(-7)), "set_start_pos -7");
      f.expect(stream.pos(w) == -7, "pos() is not -7");
      f.state(!stream.failed(), "a negative start position failed the stream");
    }
    // The streamer side: peer_read_lim(1, -1) is ARGERR "Invalid peer_read_lim arguments".
    auto r = open_raw(ctx, "bytes_fixed", I(25), I(1));
    r.connect(15, 10, 100);
    r.call("peer_read_start", I(0), kNull, kNull, Entity(true));
    const Checks check(ctx, *r.session);
    check.expect_outcome(r.try_call("peer_read_lim", I(1), I(-1)), ErrorCategory::call_exception, "the answer to peer_read_lim(1, -1)");
    check.arrived(check.poll([&](auto slice) { return r.peer->wait_count("peer_fail", 1, slice); }), "the streamer sent no peer_fail after peer_read_lim(1, -1)");
    const auto fail = r.peer->calls("peer_fail")[0];
    require(fail.args.size() == 2 && fail.args[1] == Entity("Invalid peer_read_lim arguments"),
            "the streamer's peer_fail is not \"Invalid peer_read_lim arguments\"");
    return Observation::failed(ErrorCategory::stream_failure, "negative write grant failed the peer");
  }};
}

}  // namespace vpstream::conformance
