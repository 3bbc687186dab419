// Server-role drivers about streamer state: close, failure, contexts and stale traffic.
//
// The fake peer (peer/fake_stream_peer.hpp) drives a streamer handed out by the conformance
// gateway wherever the gateway can build the streamer the scenario needs; scenarios that need
// special streamer data (a read error) or limits (w_pkg, max_calls, small write limits) serve a
// harness-built streamer (open_raw_harness: loopback only, UNIMPLEMENTED against a peer).
// Scenarios whose observable is the close / failure handshake as a whole (C40, C45, C76) drive
// the streamer with vpstream's own stream peer through the Stream API.
#include "scenarios/stream_drivers.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>
#include <set>
#include <thread>

#include "scenarios/stream_driver_kit.hpp"
#include "scenarios/temp_file.hpp"
#include "vse/stream/file_data.hpp"
#include "vse/stream/fixed_data.hpp"
#include "vse/stream/streamer.hpp"

namespace vpstream::conformance {

using namespace stream_kit;

namespace {

// Fixed bytes whose read raises a stream error (not a failure) once: the first read that starts
// at `fail_at` (stream.md §8.2: the streamer turns it into a GENERAL context error).
class FlakyBytes final : public vs::StreamerData {
 public:
  FlakyBytes(std::string_view data, std::int64_t fail_at) : inner_(versile::Bytes(data)), fail_at_(fail_at) {}
  vs::ElementKind kind() const noexcept override { return vs::ElementKind::bytes; }
  Entity read(std::int64_t max_num) override {
    if (!raised_ && inner_.pos() == fail_at_) {
      raised_ = true;
      throw vs::StreamError("read error injected by the harness");
    }
    return inner_.read(max_num);
  }
  std::int64_t seek(std::int64_t pos, vs::PosRef ref) override { return inner_.seek(pos, ref); }
  void close() override { inner_.close(); }
  std::int64_t pos() const override { return inner_.pos(); }
  vs::Endpoints endpoints() const override { return inner_.endpoints(); }
  vs::RequiredMode req_mode() const override { return inner_.req_mode(); }
  vs::Mode opt_mode() const override { return inner_.opt_mode(); }

 private:
  vs::FixedBytesData inner_;
  std::int64_t fail_at_;
  bool raised_ = false;
};

Entity flaky_streamer(std::string_view data, std::int64_t fail_at, vs::Mode extra_mode = 0) {
  vs::StreamerConfig config;
  config.mode = vs::fixed_data_req_mode.bits | extra_mode;
  return vs::ByteStreamer::create(std::make_unique<FlakyBytes>(data, fail_at), config).proxy();
}

// The byte recipe's file streamer (mode 0x0FC7, as the gateway's bytes_file) with `config`'s
// limits, over `file`.
Entity file_streamer(const std::shared_ptr<TempFile>& file, vs::StreamerConfig config) {
  auto data = std::make_unique<vs::SimpleFileData>(file->path, "r+b", true, true);
  config.mode = data->req_mode().bits | vs::mode::readable | vs::mode::writable | vs::mode::seek_rew | vs::mode::seek_fwd |
                vs::mode::end_can_dec | vs::mode::end_can_inc | vs::mode::can_move_end;
  config.write_buffer = true;
  return vs::ByteStreamer::create(std::move(data), config).proxy();
}

bool is_int(const Entity& e, std::int64_t v) { return e == I(v); }

// A swallowed call (try_call) that settled with the link gone is not the behaviour under test:
// end with that category (the cut rule, conformance/README.md "Fault profiles").
ErrorCategory settled(ErrorCategory c, const std::string& what) {
  if (c == ErrorCategory::link_closed || c == ErrorCategory::no_response) abort_with(c, what + ": the call ended without an answer");
  return c;
}

// The streamer's peer_fail (arrived within the wait) with its message for the log.
std::string wait_peer_fail(Raw& r, const std::string& what) {
  require_arrived(r.peer->wait_count("peer_fail", 1, r.wait), what + ": the streamer did not send peer_fail");
  const auto f = r.peer->calls("peer_fail").front();
  return f.args.size() == 2 && f.args[1].is<versile::String>() ? f.args[1].as_string() : std::string("(no message)");
}

// Starts write context #0 at position 0 and returns the streamer's first grant.
std::int64_t start_writing(Raw& r) {
  r.call("peer_write_start", I(0), I(0), I(1));
  require_arrived(r.peer->wait_count("peer_write_lim", 1, r.wait), "no peer_write_lim after write_start");
  const auto lim = r.peer->calls("peer_write_lim").front();
  require(lim.args.size() == 3 && is_int(lim.args[1], 0), "peer_write_lim is not for write context 0");
  const auto grant = lim.args[2].get_if<versile::Integer>();
  require(grant && grant->to_int64() && *grant->to_int64() > 0, "peer_write_lim grant is not a positive integer");
  return *grant->to_int64();
}

// The message ids of the streamer's peer_read_push calls (direction b) and whether the stream
// peer answered one of them after it had sent peer_close (the push was in flight at close).
bool push_answered_after_close(const traces::Trace& t) {
  std::set<std::string> push_ids;
  for (const auto* u : t.units_of(traces::Direction::b)) {
    if (u->index <= 2 || !u->vej) continue;
    const auto& v = *u->vej;
    if (v[1]["int"] == "1" && v[2][1][0].is_object() && v[2][1][0].value("str", "") == "peer_read_push") {
      push_ids.insert(v[0]["int"].get<std::string>());
    }
  }
  bool closed_sent = false;
  for (const auto* u : t.units_of(traces::Direction::a)) {
    if (u->index <= 2 || !u->vej) continue;
    const auto& v = *u->vej;
    if (v[1]["int"] == "1" && v[2][1][0].is_object() && v[2][1][0].value("str", "") == "peer_close") closed_sent = true;
    if (closed_sent && v[1]["int"] == "4" && v[2][0].contains("int") && push_ids.count(v[2][0]["int"].get<std::string>())) return true;
  }
  return false;
}

}  // namespace

void add_streamer_state_drivers(StreamDriverMap& d) {
  d["STREAM-C37"] = {[](ScenarioContext& ctx) {
    auto r = open_raw_harness(ctx, [] { return flaky_streamer("0123456789", 4, vs::mode::seek_rew); });
    r.connect(15, 10, 4);
    r.call("peer_read_start", I(0), kNull, kNull, Entity(true));
    r.call("peer_read_lim", I(1), I(10));
    require_arrived(r.peer->wait_count("peer_error", 1, r.wait), "no peer_error after the data read raised at position 4");
    require(r.quiet_after(1), "pushes after the read error");
    auto pushes = r.pushes();
    require(pushes.size() == 1, "expected exactly one push before the read error");
    check_push(pushes[0], 0, Entity(versile::Bytes(std::string_view("0123"))), false, "push before the error");
    const auto err = r.peer->calls("peer_error").front();
    require(err.args.size() == 3 && is_int(err.args[1], 0) && is_int(err.args[2], 1), "peer_error is not (#, ctx 0, GENERAL 1)");
    require(is_int(err.args[0], 2), "peer_error is not the streamer's call #2 (after set_start_pos #0 and the push #1)");
    r.call("peer_read_lim", I(2), I(20));
    require(r.quiet_after(1), "a read_lim during the context error produced pushes");
    r.call("peer_read_start", I(3), I(0), I(1), Entity(true));
    r.call("peer_read_lim", I(4), I(100));
    require_arrived(r.wait_pushes(4), "pushes did not resume in the new read context");
    require(r.quiet_after(4), "more than 3 pushes for the 10 bytes of the new context");
    pushes = r.pushes();
    check_push(pushes[1], 3, Entity(versile::Bytes(std::string_view("0123"))), false, "resumed push 1");
    check_push(pushes[2], 3, Entity(versile::Bytes(std::string_view("4567"))), false, "resumed push 2");
    check_push(pushes[3], 3, Entity(versile::Bytes(std::string_view("89"))), true, "resumed push 3 (eos)");
    const auto starts = r.peer->calls("peer_set_start_pos");
    require(starts.size() == 2 && is_int(starts[1].args[1], 3) && is_int(starts[1].args[2], 0),
            "the new context did not start at (ctx 3, pos 0)");
    r.call("peer_close", I(5));
    require_arrived(r.peer->wait_count("peer_closed", 1, r.wait), "no peer_closed after peer_close");
    require(r.peer->calls("peer_fail").empty(), "the streamer failed");
    return Observation::ok();
  }};

  d["STREAM-C40"] = {[](ScenarioContext& ctx) {
    auto c = open_client(ctx);
    // The reference probe streamed 2600 bytes; more data keeps the streamer pushing (r_num
    // 10-byte pushes in flight) until the close arrives even when the reader wakes up late.
    constexpr std::int64_t length = 100000;
    const auto data = pat(length, 4);
    c.session->step("bytes_fixed(100000); connect(readahead, r_size 10)");
    auto stream = c.gw.call("bytes_fixed", I(length), I(4)).as<vs::ByteStreamerProxy>().connect({.readahead = true, .r_size = 10});
    // A read-ahead window over the whole data.
    stream.set_readahead(length);
    c.session->step("recv(10); close()");
    const auto first = stream.recv(10, to(c.wait)).as_bytes();
    require(!first.empty() && first == slice(data, 0, first.size()), "the first recv returned wrong data");
    stream.close();
    const bool closed = stream.wait_status({.closed = true}, to(c.wait));
    if (!closed) return Observation::failed(ErrorCategory::no_response, "closed never became true (REF D5)");
    require(!stream.failed(), "the stream failed while closing");
    c.session->close();
    require(push_answered_after_close(ctx.recorder().finish(true)),
            "no push was in flight when close() was called: the scenario's edge was not exercised");
    return Observation::ok("closed with pushes in flight");
  }};

  d["STREAM-C41"] = {[](ScenarioContext& ctx) {
    auto r = open_raw_harness(ctx, [] { return flaky_streamer("0123456789", 0); });
    r.connect(15, 10, 100);
    r.call("peer_read_start", I(0), kNull, kNull, Entity(true));
    r.call("peer_read_lim", I(1), I(10));
    require_arrived(r.peer->wait_count("peer_error", 1, r.wait), "no context error (peer_error) from the failing read");
    require(r.pushes().empty(), "data pushed although the first read raised");
    const auto close = r.call("peer_close", I(2));
    require(close.is_none(), "peer_close did not return null");
    if (!r.peer->wait_count("peer_closed", 1, r.wait)) {
      return Observation::failed(ErrorCategory::no_response, "close ignored during the context error (REF D6)");
    }
    const auto closed = r.peer->calls("peer_closed").front();
    require(closed.args.size() == 1 && is_int(closed.args[0], 2), "peer_closed is not the streamer's call #2");
    require(r.peer->calls("peer_fail").empty(), "the streamer failed instead of closing");
    return Observation::ok();
  }};

  d["STREAM-C45"] = {[](ScenarioContext& ctx) {
    // The streamer's side of a link loss (marked failed, data closed) is not observable over the
    // wire: a harness-built streamer the driver can inspect (loopback only).
    auto built = std::make_shared<std::shared_ptr<vs::ByteStreamer>>();
    auto r = open_raw_harness(ctx, [built] {
      auto s = vs::ByteStreamer::fixed(pat(100, 7));
      *built = s.ptr();
      return s.proxy();
    });
    r.session->step("connect(readahead, eos policy false)");
    auto stream = r.tag.as<vs::ByteStreamerProxy>().connect({.eos_policy = false, .readahead = true});
    std::string collected;
    while (collected.size() < 100) {
      const auto b = stream.recv(100, to(r.wait)).as_bytes();
      require(!b.empty(), "empty recv in a context without eos");
      collected += str_of(b);
    }
    require(collected == str_of(pat(100, 7)), "read-ahead data differs");
    require(!(*built)->failed(), "the streamer failed before the link shut down");
    // Read-ahead is active and the reader now waits at the end of the data (no eos in this
    // context) when the client shuts its link down.
    r.session->step("recv() waiting; link shutdown");
    std::thread shutdown([&] {
      std::this_thread::sleep_for(ctx.scaled(100ms));
      r.session->client()->shutdown(true);
    });
    const auto waited = outcome_of([&] { stream.recv(10, to(r.wait)); });
    shutdown.join();
    if (waited == ErrorCategory::success) return Observation::failed(ErrorCategory::wrong_result, "recv returned after the link shut down");
    if (waited != ErrorCategory::stream_failure) return Observation::failed(waited, "recv waiting when the link shut down");
    require(stream.failed(), "recv raised a stream failure but the stream is not failed");
    const auto deadline = std::chrono::steady_clock::now() + r.wait;
    while (!(*built)->failed() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
    require((*built)->failed(), "the streamer did not fail when its link was lost");
    return Observation::failed(ErrorCategory::stream_failure, "both sides failed on the link loss");
  }};

  d["STREAM-C52"] = {[](ScenarioContext& ctx) {
    std::vector<std::string> messages;
    // A push above w_size needs that much data: in loopback a harness-built file streamer with
    // w_size 4, against a peer the gateway's bytes_file with its own w_size.
    const bool loopback = ctx.target().kind == Target::Kind::loopback;
    auto small_limits = [&](vs::StreamerConfig config) {
      auto file = std::make_shared<TempFile>();
      return open_raw_harness(ctx, [file, config] { return file_streamer(file, config); });
    };
    {  // more than w_size in one push
      vs::StreamerConfig config;
      config.w_size = 4;
      auto r = loopback ? small_limits(config) : open_raw(ctx, "bytes_file", Entity(versile::Bytes()));
      const auto res = r.connect(15, 10, 1000000).as_tuple();
      require(res.size() == 5, "connect result is not a 5-tuple");
      const auto w_size = res[4].as_int64();
      const auto grant = start_writing(r);
      require(grant > w_size, "the grant does not exceed w_size");
      settled(r.try_call("peer_write_push", I(1), I(0), Entity(pat(static_cast<std::size_t>(w_size + 1), 1))), "push above w_size");
      messages.push_back("above w_size: " + wait_peer_fail(r, "write push above w_size"));
    }
    {  // empty push
      auto r = open_raw(ctx, "bytes_file", Entity(versile::Bytes()));
      r.connect(15, 10, 1000000);
      start_writing(r);
      settled(r.try_call("peer_write_push", I(1), I(0), Entity(versile::Bytes())), "empty push");
      messages.push_back("empty: " + wait_peer_fail(r, "empty write push"));
    }
    {  // text on a byte stream: argument error raised to the caller, and the streamer fails
      auto r = open_raw(ctx, "bytes_file", Entity(versile::Bytes()));
      r.connect(15, 10, 1000000);
      start_writing(r);
      const auto text = settled(r.try_call("peer_write_push", I(1), I(0), Entity("text")), "text push");
      require(text == ErrorCategory::call_exception, "text data was not answered with an exception");
      messages.push_back("text: " + wait_peer_fail(r, "text write push"));
    }
    {  // a push for the current context while it is a read context
      auto r = open_raw(ctx, "bytes_file", Entity(versile::Bytes()));
      r.connect(15, 10, 1000000);
      start_writing(r);
      r.call("peer_read_start", I(1), I(0), I(1), Entity(true));
      settled(r.try_call("peer_write_push", I(2), I(1), Entity(versile::Bytes(std::string_view("ab")))), "push in a read context");
      messages.push_back("read context: " + wait_peer_fail(r, "write push in a read context"));
    }
    {  // a push for an older write context: dropped, the stream stays healthy
      auto r = open_raw(ctx, "bytes_file", Entity(versile::Bytes()));
      r.connect(15, 10, 1000000);
      start_writing(r);
      r.call("peer_write_start", I(1), I(0), I(1));
      require_arrived(r.peer->wait_count("peer_write_lim", 2, r.wait), "no grant for write context 1");
      const auto stale = r.call("peer_write_push", I(2), I(0), Entity(versile::Bytes(std::string_view("ab"))));
      require(stale.is_none(), "a stale write push was not answered with null");
      r.call("peer_write_push", I(3), I(1), Entity(versile::Bytes(std::string_view("cd"))));
      require(!r.peer->wait_count("peer_fail", 1, std::chrono::milliseconds(200)), "a stale write push failed the streamer");
      // Read back through the stream (file_contents could miss data a streamer has not flushed).
      r.call("peer_read_start", I(4), I(0), I(1), Entity(true));
      r.call("peer_read_lim", I(5), I(10));
      require_arrived(r.wait_pushes(1), "no data when reading back the file");
      const auto back = r.pushes().front();
      require(back.args.size() == 4 && back.args[2].is<versile::Bytes>() && str_of(back.args[2].as_bytes()) == "cd",
              "the file does not hold only the current context's push 'cd'");
    }
    {  // beyond the grant: the streamer extends its grant as pushes are processed (§8.3), so a
       // push can only exceed it when the grant is below w_size — a harness-built streamer with
       // w_lim 4 (loopback only; against a peer the scenario ends UNIMPLEMENTED here)
      vs::StreamerConfig config;
      config.w_lim = 4;
      config.w_step = 4;
      auto r = small_limits(config);
      r.connect(15, 10, 1000000);
      const auto grant = start_writing(r);
      settled(r.try_call("peer_write_push", I(1), I(0), Entity(pat(static_cast<std::size_t>(grant + 1), 1))), "push beyond the grant");
      messages.push_back("beyond the grant: " + wait_peer_fail(r, "write push beyond the grant"));
    }
    std::string detail = "each violation failed the streamer, the stale push was ignored";
    for (const auto& m : messages) detail += "; " + m;
    return Observation::failed(ErrorCategory::stream_failure, detail);
  }};

  d["STREAM-C53"] = {[](ScenarioContext& ctx) {
    auto file = std::make_shared<TempFile>();
    vs::StreamerConfig config;
    config.w_pkg = 2;
    auto r = open_raw_harness(ctx, [file, config] { return file_streamer(file, config); });
    const auto res = r.connect(15, 10, 1000000).as_tuple();
    require(res.size() == 5 && is_int(res[3], 2), "connect result does not offer w_num 2");
    start_writing(r);
    r.session->step("write pushes #3, #4 (ids 1, 2 missing)");
    auto p3 = r.streamer.call_async("peer_write_push", I(3), I(0), Entity(versile::Bytes(std::string_view("a"))));
    auto p4 = r.streamer.call_async("peer_write_push", I(4), I(0), Entity(versile::Bytes(std::string_view("b"))));
    require(p3.wait_for(ctx.scaled(200ms)) == std::future_status::timeout && p4.wait_for(std::chrono::milliseconds(0)) == std::future_status::timeout,
            "a write push behind the gap was answered before the gap was filled");
    require(r.peer->calls("peer_fail").empty(), "the streamer failed with w_num pushes pending");
    r.session->step("write push #5: the third pending push");
    auto p5 = r.streamer.call_async("peer_write_push", I(5), I(0), Entity(versile::Bytes(std::string_view("c"))));
    require_arrived(p5.wait_for(r.wait) == std::future_status::ready, "the third pending push was not answered at once");
    require(p5.get().is_none(), "the third pending push was not answered with null");
    const auto why = wait_peer_fail(r, "too many pending write pushes");
    // REF never answers #3/#4; SPEC answers them with null on cleanup (stream.md §4.4).
    const bool answered = p3.wait_for(ctx.scaled(500ms)) == std::future_status::ready &&
                          p4.wait_for(ctx.scaled(500ms)) == std::future_status::ready;
    if (answered) require(p3.get().is_none() && p4.get().is_none(), "the dropped pushes were answered with something else than null");
    require(file->contents().empty(), "parked pushes were written to the file");
    return Observation::failed(ErrorCategory::stream_failure,
                               why + (answered ? "; parked pushes answered null (SPEC)" : "; parked pushes never answered (REF)"));
  }};

  d["STREAM-C63"] = {[](ScenarioContext& ctx) {
    auto r = open_raw(ctx, "bytes_fixed", I(25), I(6));
    r.connect(15, 10, 100);
    const auto lim = r.call("peer_read_lim", I(0), I(10));
    require(lim.is_none(), "read_lim without a context did not return null");
    if (!r.quiet_after(0)) {
      const auto p = r.pushes().front();
      return Observation::failed(ErrorCategory::wrong_result,
                                 std::string("pushed without an active read context (REF D15), read_ctx ") +
                                     (p.args.size() > 1 && p.args[1].is_none() ? "null" : "not null"));
    }
    require(r.peer->calls("peer_fail").empty(), "the streamer failed on a read_lim without a context");
    r.call("peer_read_start", I(1), kNull, kNull, Entity(true));
    r.call("peer_read_lim", I(2), I(10));
    require_arrived(r.wait_pushes(1), "no data after the ignored limit: state changed");
    check_push(r.pushes()[0], 1, Entity(slice(pat(25, 6), 0, 10)), false, "first push of context 1");
    return Observation::ok();
  }};

  d["STREAM-C76"] = {[](ScenarioContext& ctx) {
    // Streamer call_lim = w_pkg 1 + max_calls 1 = 2: the peer must hold its calls beyond the
    // window and send them in order as results come back.
    auto r = open_raw_harness(ctx, [] {
      vs::StreamerConfig config;
      config.w_pkg = 1;
      config.max_calls = 1;
      return vs::ByteStreamer::fixed(versile::Bytes(std::string_view("abcdefghij")), true, true, config).proxy();
    });
    const auto wait = to(r.wait);
    r.session->step("connect(readahead); four rseeks");
    auto stream = r.tag.as<vs::ByteStreamerProxy>().connect({.readahead = true});
    require_arrived(stream.wait_status({.active = true}, wait), "the stream never became active");
    std::string got;
    const auto run = outcome_of([&] {
      for (int p : {1, 2, 3, 4}) stream.rseek(p, vs::PosRef::abs, wait);
      r.session->step("read to the end");
      for (int i = 0; i < 20; ++i) {
        const auto b = stream.recv(100, wait).as_bytes();
        if (b.empty()) break;
        got += str_of(b);
      }
    });
    if (run == ErrorCategory::stream_timeout) return Observation::failed(ErrorCategory::no_response, "the stream stalled (REF D2)");
    if (run != ErrorCategory::success) return Observation::failed(run, "four rseeks and a read");
    require(got == "efghij", "read after the last seek returned '" + got + "', not 'efghij'");
    require(stream.pos(wait) == 10, "pos() is not 10");
    require(!stream.failed(), "the stream failed");
    stream.close();
    require_arrived(stream.wait_status({.closed = true}, wait), "the close was not acknowledged");
    r.session->close();
    // On the wire: the streamer offered call_lim 2 and never had to reject a call.
    const auto t = ctx.recorder().finish(true);
    bool offered_two = false;
    for (const auto* u : t.units_of(traces::Direction::b)) {
      if (u->index <= 2 || !u->vej) continue;
      const auto& v = *u->vej;
      require(v[1]["int"] != "6", "the streamer answered a call with CALL_ERROR (window exceeded?)");
      if (v[1]["int"] == "4" && v[2][1].is_array() && v[2][1].size() == 5 && v[2][1][2] == nlohmann::json{{"int", "2"}}) offered_two = true;
    }
    require(offered_two, "no connect result with call_lim 2 on the wire");
    return Observation::ok();
  }};
}

}  // namespace vpstream::conformance
