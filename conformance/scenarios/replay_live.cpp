// Live replays. call-basics is replayed generically: the trace's own client calls (method,
// arguments and call mode read from the recorded METHOD_CALL units of direction a, step by
// step) are issued through vpstream's Proxy API against a C++ CallGateway that serves what the
// trace header describes. The stream traces (recipe-entity, recipe-bytes, entity-iterator,
// fixed-bytes-read, seek-and-reread) run their client script, step by step as the header
// describes it, against a C++ gateway serving the same streamer. Each step starts once the
// traffic the recording shows for the previous one has arrived (StepPacer). The live trace is
// then compared with the recording (FORMAT.md: per direction, per step, multiset of signatures).
#include "scenarios/replay_live.hpp"

#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <thread>
#include <unistd.h>

#include "compare.hpp"
#include "decode.hpp"
#include "entity/vej.hpp"
#include "gateway/name_sorter.hpp"
#include "link/peer_object.hpp"
#include "model/reference_data.hpp"
#include "object/external.hpp"
#include "object/vexception.hpp"
#include "scenarios/session.hpp"
#include "scenarios/temp_file.hpp"
#include "trace_io.hpp"
#include "vse/stream/file_data.hpp"
#include "vse/stream/stream.hpp"
#include "vse/stream/streamer.hpp"
#include "vse/stream/streamer_proxy.hpp"

namespace vpstream::conformance {

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

// What pacing counts: the handshake units by position, VOL messages by code. Which messages
// exactly (arguments, ids, order within the step) is the comparison's business.
std::string kind_of(const traces::Unit& u) {
  if (u.what != "message" || !u.vej) return u.what;  // handshake, partial
  if (u.index == 1) return "VOL hello";
  if (u.index == 2) return "VOL handshake object";
  const auto& v = *u.vej;
  if (v.is_array() && v.size() == 3 && v[1].is_object() && v[1].contains("int") && v[1]["int"].is_string()) {
    try {
      return traces::message_code_name(std::stoi(v[1]["int"].get<std::string>()));
    } catch (const std::exception&) {
    }
  }
  return "unparsed message";
}

// Paces a live replay on the traffic the recording shows, not on silence: the next step starts
// once the live units of the step in progress include, in each direction, every kind of unit
// the recording has in that step, as many times. A step whose recording holds a one-way call
// then also waits for 50 ms of silence: the call's effect on the server (which the recording
// waited for) leaves nothing on the wire to wait for.
class StepPacer {
 public:
  StepPacer(ScenarioContext& ctx, const traces::Trace& recorded) : ctx_(ctx), labels_(recorded.step_labels()) {
    for (const auto& u : recorded.units) {
      const auto kind = kind_of(u);
      ++expected_[{u.from, u.step}][kind];
      if (u.from == traces::Direction::a && kind == traces::message_code_name(3)) settle_steps_.insert(u.step);
    }
  }

  // Returns once the step in progress (the last one marked) has its recorded traffic; ends the
  // scenario with no_response, naming the step and what is missing, when the link closes first
  // or the wait runs out.
  void await(const Session& session) {
    const auto limit = ctx_.scaled(2000ms);
    const auto begin = std::chrono::steady_clock::now();
    std::string missing;
    for (bool first = true;; first = false) {
      // Read before catching up: once the client link is closed, nothing more passes its tap.
      const bool closed = session.client()->closed();
      if (ctx_.recorder().catch_up(progress_) || first) missing = what_is_missing();
      if (missing.empty()) break;
      if (closed || std::chrono::steady_clock::now() - begin >= limit) {
        log_live_units();
        require_arrived(false, "step " + step_name() + ": " +
                                   (closed ? "the link closed before the recorded traffic arrived"
                                           : "the recorded traffic did not arrive within " + std::to_string(limit.count()) + " ms") +
                                   "; missing " + missing);
      }
      std::this_thread::sleep_for(1ms);
    }
    if (settle_steps_.contains(progress_.step)) ctx_.recorder().wait_quiet(50ms, limit);
  }

 private:
  using KindCounts = std::map<std::string, std::size_t>;

  std::string step_name() const {
    const auto n = static_cast<std::size_t>(progress_.step);
    return std::to_string(progress_.step) + (n < labels_.size() ? " (" + labels_[n] + ")" : std::string());
  }
  // The live units of the step in progress in direction `d`, whole ones only.
  std::vector<traces::Unit> live_units(traces::Direction d) const {
    const auto& stream = d == traces::Direction::a ? progress_.a : progress_.b;
    const auto from = d == traces::Direction::a ? progress_.step_offset_a : progress_.step_offset_b;
    auto units = traces::decode_units(stream, d);
    std::erase_if(units, [from](const traces::Unit& u) { return u.offset < from || u.what == "partial"; });
    return units;
  }
  // "direction a: 1 of 2 METHOD_CALL; direction b: 1 of 1 CALL_RESULT"; empty when nothing is missing.
  std::string what_is_missing() const {
    std::string out;
    for (auto d : {traces::Direction::a, traces::Direction::b}) {
      const auto want = expected_.find({d, progress_.step});
      if (want == expected_.end()) continue;
      KindCounts seen;
      for (const auto& u : live_units(d)) ++seen[kind_of(u)];
      std::string missing;
      for (const auto& [kind, n] : want->second) {
        if (seen[kind] < n) missing += (missing.empty() ? "" : ", ") + std::to_string(n - seen[kind]) + " of " + std::to_string(n) + " " + kind;
      }
      if (!missing.empty()) out += (out.empty() ? "direction " : "; direction ") + std::string(traces::to_string(d)) + ": " + missing;
    }
    return out;
  }
  void log_live_units() {
    for (auto d : {traces::Direction::a, traces::Direction::b}) {
      for (const auto& u : live_units(d)) {
        ctx_.log(std::string("live, ") + traces::to_string(d) + " step " + std::to_string(progress_.step) + ": " + u.note);
      }
    }
  }

  ScenarioContext& ctx_;
  std::vector<std::string> labels_;
  std::map<std::pair<traces::Direction, int>, KindCounts> expected_;
  std::set<int> settle_steps_;
  traces::TraceRecorder::Progress progress_;
};

// A replay's client script, step by step, paced by the recording.
struct ReplayScript {
  ScenarioContext& ctx;
  const traces::Trace& recorded;
  std::vector<std::string> labels;
  StepPacer pacer;
  std::unique_ptr<Session> session;
  std::size_t next_step = 1;

  ReplayScript(ScenarioContext& c, const traces::Trace& rec, std::size_t steps, std::shared_ptr<versile::Object> gateway)
      : ctx(c), recorded(rec), labels(rec.step_labels()), pacer(c, rec) {
    require(labels.size() == steps, "unexpected step count in the recording");
    SessionOptions so;
    so.server_gateway = std::move(gateway);
    session = Session::open(ctx, so);  // step 0
  }
  // Starts the next recorded step once the previous one's traffic has arrived.
  void step() {
    require(next_step < labels.size(), "script has more steps than the recording");
    pacer.await(*session);
    session->step(labels[next_step++]);
  }
  // The last recorded step is the client's shutdown; then the comparison.
  Observation finish() {
    require(next_step + 1 == labels.size(), "script ran " + std::to_string(next_step) + " of " + std::to_string(labels.size()) + " steps");
    pacer.await(*session);
    session->close();
    pacer.await(*session);
    return compare_with(ctx, recorded);
  }
};

// Replays the recorded client calls of a call-only trace.
Observation replay_calls(ScenarioContext& ctx, const std::string& name, std::shared_ptr<versile::Object> gateway) {
  const auto recorded = load(name);
  const auto labels = recorded.step_labels();
  require(labels.size() >= 3, "the recording has no client calls");
  ReplayScript script(ctx, recorded, labels.size(), std::move(gateway));
  script.step();  // peer_gw
  auto gw = script.session->gateway();
  // Recorded object ids (owned by b) → live proxies.
  std::map<std::string, versile::Proxy> objects{{"2", gw}};
  for (int step = 2; step + 1 < static_cast<int>(labels.size()); ++step) {
    script.step();
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
  return script.finish();
}

Observation replay_recipe_entity(ScenarioContext& ctx) {
  const auto recorded = load("recipe-entity");
  ReplayScript script(ctx, recorded, 16, std::make_shared<NameSorter>());
  script.step();  // peer_gw
  auto service = script.session->gateway();
  for (int i : {5, 3, 4, 1, 2}) {
    script.step();
    service.call("add", Entity("John Doe #" + std::to_string(i)));
  }
  script.step();
  auto streamer = service.call("reset").as<versile::stream::EntityStreamerProxy>();
  script.step();  // connect(readahead); set_eos_policy; wait_status(active)
  auto stream = streamer.connect({.readahead = true});
  stream.set_eos_policy(true);
  stream.wait_status({.active = true}, std::chrono::duration_cast<std::chrono::nanoseconds>(ctx.scaled(5000ms)));
  auto range = stream.iterator(std::chrono::duration_cast<std::chrono::nanoseconds>(ctx.scaled(5000ms)));
  script.step();  // the first next()
  auto it = range.begin();
  while (script.next_step + 1 < script.labels.size()) {
    script.step();  // next(): the sixth one ends the stream and closes it
    if (it != range.end()) ++it;
  }
  return script.finish();
}

namespace vs = versile::stream;

vs::Timeout api_wait(ScenarioContext& ctx) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(ctx.scaled(5000ms));
}

// The gateway of a stream trace: one method (the header's get_stream / get_file_stream) that
// hands out a new streamer built by `make`.
std::shared_ptr<versile::Object> stream_gateway(const std::string& method, std::function<Entity()> make) {
  auto gw = std::make_shared<versile::External>("stream trace gateway");
  gw->publish(method, [make = std::move(make)] { return make(); });
  return gw;
}

// entity-iterator: VEntityStreamer.iterator over four items; connect(readahead=True), the
// iterator to the end (its last next() closes the stream). The client keeps no streamer proxy
// after connecting, so the peer's cleanup drops the last reference (NOTIFY_DEREF in step 8).
Observation replay_entity_iterator(ScenarioContext& ctx) {
  const auto recorded = load("entity-iterator");
  const std::vector<Entity> items{Entity(2.5), Entity(false), Entity("Some Text"), Entity(versile::Tuple{Entity(std::int64_t{0}), Entity(std::int64_t{1})})};
  ReplayScript script(ctx, recorded, 10, stream_gateway("get_stream", [items] {
                        auto next = [items, i = std::size_t{0}]() mutable -> std::optional<Entity> {
                          if (i >= items.size()) return std::nullopt;
                          return items[i++];
                        };
                        return vs::EntityStreamer::iterator(std::move(next)).proxy();
                      }));
  script.step();  // peer_gw
  auto gw = script.session->gateway();
  script.step();  // get_stream
  std::optional<vs::EntityStreamerProxy> streamer = gw.call("get_stream").as<vs::EntityStreamerProxy>();
  require(streamer->mode() == 0x1045, "iterator streamer mode is not 0x1045");
  script.step();  // connect(readahead=True); wait_status(active=True)
  auto stream = streamer->connect({.readahead = true});
  require_arrived(stream.wait_status({.active = true}, api_wait(ctx)), "stream never became active");
  streamer.reset();
  auto range = stream.iterator(api_wait(ctx));
  script.step();  // the first next()
  auto it = range.begin();
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) {
      script.step();
      ++it;
    }
    require(it != range.end() && *it == items[i], "item " + std::to_string(i) + " differs");
  }
  script.step();  // the last next(): end of stream, the iterator closes the stream
  ++it;
  require(it == range.end(), "the iterator did not end after four items");
  require_arrived(stream.wait_status({.closed = true}, api_wait(ctx)), "the close was not acknowledged");
  return script.finish();
}

// fixed-bytes-read: VByteStreamer.fixed over 65536 pattern bytes, connect() without read-ahead,
// recv(4096) until an empty result (17 calls), close() and wait for the acknowledgement.
Observation replay_fixed_bytes_read(ScenarioContext& ctx) {
  const auto recorded = load("fixed-bytes-read");
  std::vector<std::uint8_t> bytes(65536);
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>((i * 31 + (i >> 8) + 5 * (i >> 16)) % 256);
  const versile::Bytes data(bytes);
  ReplayScript script(ctx, recorded, 23, stream_gateway("get_stream", [data] { return vs::ByteStreamer::fixed(data).proxy(); }));
  script.step();  // peer_gw
  auto gw = script.session->gateway();
  script.step();  // get_stream
  std::optional<vs::ByteStreamerProxy> streamer = gw.call("get_stream").as<vs::ByteStreamerProxy>();
  script.step();  // connect(); wait_status(active=True)
  auto stream = streamer->connect();
  require_arrived(stream.wait_status({.active = true}, api_wait(ctx)), "stream never became active");
  streamer.reset();
  for (std::size_t i = 0; i < 17; ++i) {
    script.step();  // recv(4096)
    const auto got = stream.recv(4096, api_wait(ctx)).as_bytes();
    if (i < 16) {
      require(got == data.slice(i * 4096, 4096), "recv #" + std::to_string(i + 1) + " differs");
    } else {
      require(got.empty(), "recv at the end of the data is not empty");
    }
  }
  script.step();  // close() and wait for the acknowledgement
  stream.close();
  require_arrived(stream.wait_status({.closed = true}, api_wait(ctx)), "the close was not acknowledged");
  return script.finish();
}

// seek-and-reread: fixed bytes with both seek flags, connect() without read-ahead; read(10),
// rseek(5), read(10), rseek(-8, END), read(), close().
Observation replay_seek_and_reread(ScenarioContext& ctx) {
  const auto recorded = load("seek-and-reread");
  const versile::Bytes data(std::string_view("The quick brown fox jumps over the lazy dog"));
  ReplayScript script(ctx, recorded, 11,
                      stream_gateway("get_stream", [data] { return vs::ByteStreamer::fixed(data, true, true).proxy(); }));
  auto text = [](const Entity& e) { return std::string(e.as_bytes().view()); };
  script.step();  // peer_gw
  auto gw = script.session->gateway();
  script.step();  // get_stream
  std::optional<vs::ByteStreamerProxy> streamer = gw.call("get_stream").as<vs::ByteStreamerProxy>();
  require(streamer->mode() == 0x1c45, "streamer mode is not 0x1c45");
  script.step();  // connect(); wait_status(active=True)
  auto stream = streamer->connect();
  require_arrived(stream.wait_status({.active = true}, api_wait(ctx)), "stream never became active");
  streamer.reset();
  script.step();
  require(text(stream.read(10)) == "The quick ", "read(10) differs");
  script.step();
  stream.rseek(5, vs::PosRef::abs, api_wait(ctx));
  script.step();
  require(text(stream.read(10)) == "uick brown", "read(10) after rseek(5) differs");
  script.step();
  stream.rseek(-8, vs::PosRef::end, api_wait(ctx));
  script.step();
  require(text(stream.read()) == "lazy dog", "read() after rseek(-8, END) differs");
  script.step();  // close() and wait for the acknowledgement
  stream.close();
  require_arrived(stream.wait_status({.closed = true}, api_wait(ctx)), "the close was not acknowledged");
  return script.finish();
}

// recipe-bytes (stream.md §11.2): a file streamer over a new empty file opened r+ with both
// seek flags; the client keeps its streamer proxy to the end (no NOTIFY_DEREF from it).
Observation replay_recipe_bytes(ScenarioContext& ctx) {
  const auto recorded = load("recipe-bytes");
  auto file = std::make_shared<TempFile>();
  ReplayScript script(ctx, recorded, 10, stream_gateway("get_file_stream", [file] {
                        auto data = std::make_unique<vs::SimpleFileData>(file->path, "r+b", true, true);
                        vs::StreamerConfig config;
                        config.mode = data->req_mode().bits | vs::mode::readable | vs::mode::writable | vs::mode::seek_rew |
                                      vs::mode::seek_fwd | vs::mode::end_can_dec | vs::mode::end_can_inc | vs::mode::can_move_end;
                        config.write_buffer = true;
                        return vs::ByteStreamer::create(std::move(data), config).proxy();
                      }));
  const versile::Bytes message(std::string_view("This is an important message"));
  script.step();  // peer_gw
  auto gw = script.session->gateway();
  script.step();  // get_file_stream
  auto streamer = gw.call("get_file_stream").as<vs::ByteStreamerProxy>();
  require(streamer.mode() == 0x0fc7, "file streamer mode is not 0x0fc7");
  script.step();  // connect(readahead=True); wait_status(active=True)
  auto stream = streamer.connect({.readahead = true});
  require_arrived(stream.wait_status({.active = true}, api_wait(ctx)), "stream never became active");
  script.step();
  stream.wseek(0, vs::PosRef::abs, api_wait(ctx));
  script.step();
  stream.write(Entity(message));
  script.step();  // set_eos_policy(True); enable_readahead(); rseek(0)
  stream.set_eos_policy(true);
  stream.enable_readahead();
  stream.rseek(0, vs::PosRef::abs, api_wait(ctx));
  script.step();
  require(stream.read().as_bytes() == message, "read() did not return the written message");
  script.step();  // close() and wait for the acknowledgement
  stream.close();
  require_arrived(stream.wait_status({.closed = true}, api_wait(ctx)), "the close was not acknowledged");
  return script.finish();
}

}  // namespace

std::map<std::string, Driver> replay_live_drivers() {
  return {
      {"call-basics", [](ScenarioContext& ctx) { return replay_calls(ctx, "call-basics", std::make_shared<CallGateway>()); }},
      {"recipe-entity", replay_recipe_entity},
      {"entity-iterator", replay_entity_iterator},
      {"fixed-bytes-read", replay_fixed_bytes_read},
      {"seek-and-reread", replay_seek_and_reread},
      {"recipe-bytes", replay_recipe_bytes},
  };
}

}  // namespace vpstream::conformance
