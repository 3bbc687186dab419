// Replays reference traces (traces/reference/*.vptrace.jsonl) against a LinkCore playing one
// side, and compares what it writes with the recorded units of that side per FORMAT.md's rule:
// per step, the multiset of normalized signatures (msg ids dropped, replies keyed by the
// signature of the call they answer).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <nlohmann/json.hpp>

#include "core_harness.hpp"

namespace versile::link::test {
namespace {

using json = nlohmann::json;

struct Unit {
  int index = 0;
  int step = 0;
  std::string what;
  std::string text;  // handshake units
  Entity entity;     // message units
  std::vector<std::uint8_t> bytes;
};

struct Trace {
  std::string scenario;
  std::map<char, std::vector<Unit>> units;
  int steps = 0;
};

Trace load_trace(const std::filesystem::path& path) {
  Trace t;
  std::ifstream in(path);
  std::string line;
  std::map<char, std::vector<std::uint8_t>> stream;
  while (std::getline(in, line)) {
    auto j = json::parse(line);
    if (j.contains("format")) {
      t.scenario = j["scenario"];
      continue;
    }
    std::string k = j.value("k", "");
    if (k == "raw") {
      auto bytes = hex_bytes(j["hex"].get<std::string>());
      auto& s = stream[j["from"].get<std::string>()[0]];
      s.insert(s.end(), bytes.begin(), bytes.end());
    } else if (k == "step") {
      t.steps = std::max(t.steps, j["n"].get<int>() + 1);
    } else if (k == "unit") {
      Unit u;
      char from = j["from"].get<std::string>()[0];
      u.index = j["index"];
      u.step = j["step"];
      u.what = j["what"];
      auto offset = j["offset"].get<std::size_t>();
      auto len = j["len"].get<std::size_t>();
      const auto& s = stream[from];
      u.bytes.assign(s.begin() + static_cast<std::ptrdiff_t>(offset),
                     s.begin() + static_cast<std::ptrdiff_t>(offset + len));
      if (u.what == "handshake") {
        u.text = j["text"];
      } else {
        u.entity = from_vej(j["vej"]);
      }
      t.units[from].push_back(std::move(u));
    }
  }
  return t;
}

std::vector<std::filesystem::path> trace_files() {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(VPSTREAM_REFERENCE_DIR)) {
    if (e.path().string().ends_with(".vptrace.jsonl")) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

bool is_message(const Unit& u) { return u.what == "message" && u.index >= 3; }
std::int64_t msg_code(const Entity& e) { return e.as_tuple()[1].as_int64(); }
Integer msg_id(const Entity& e) { return e.as_tuple()[0].get<Integer>(); }

// FORMAT.md signature; `calls` are the other direction's units by msg_id.
std::string signature(const Unit& u, const std::map<Integer, const Unit*>& calls) {
  if (u.what == "handshake") return "handshake:" + u.text;
  if (u.index < 3) return to_vej(u.entity).dump();
  const auto& t = u.entity.as_tuple();
  auto code = msg_code(u.entity);
  json payload;
  auto call_sig = [&](const Entity& id) -> json {
    auto it = calls.find(id.get<Integer>());
    if (it == calls.end()) return "unknown-call:" + to_vej(id).dump();
    return signature(*it->second, {});
  };
  if (code == 4 || code == 5) {
    payload = json::array({call_sig(t[2].as_tuple()[0]), to_vej(t[2].as_tuple()[1])});
  } else if (code == 6) {
    payload = call_sig(t[2]);
  } else {
    payload = to_vej(t[2]);
  }
  return json::array({code, payload}).dump();
}

std::map<Integer, const Unit*> calls_by_id(const std::vector<Unit>& units) {
  std::map<Integer, const Unit*> m;
  for (const auto& u : units) {
    if (is_message(u) && msg_code(u.entity) >= 1 && msg_code(u.entity) <= 3) m[msg_id(u.entity)] = &u;
  }
  return m;
}

// The C++ version of the call-basics gateway (see the trace header).
class Counter final : public Object, public CallTarget {
 public:
  void handle_call(CallRequest r) override {
    if (r.args.size() == 1 && r.args[0] == Entity("increment")) return r.responder.result(Entity(++count_));
    r.responder.failure(Errc::call_error);
  }

 private:
  std::int64_t count_ = 0;
};

class CallGateway final : public Object, public CallTarget {
 public:
  void handle_call(CallRequest r) override {
    const auto& a = r.args;
    if (a.size() >= 2 && a[0].is_none() && a[1] == Entity("methods")) {
      return r.responder.result(Entity(Tuple{Entity("add"), Entity("crash"), Entity("divmod"),
                                             Entity("echo"), Entity("fail"), Entity("get_value"),
                                             Entity("greet"), Entity("new_counter"),
                                             Entity("set_value")}));
    }
    std::string name = !a.empty() && a[0].is<String>() ? a[0].as_string() : "";
    if (name == "add" && a.size() == 3) return r.responder.result(Entity(a[1].as_int64() + a[2].as_int64()));
    if (name == "greet" && a.size() == 2) return r.responder.result(Entity("Hello, " + a[1].as_string()));
    if (name == "divmod" && a.size() == 3) {
      auto x = a[1].as_int64(), y = a[2].as_int64();
      return r.responder.result(Entity(Tuple{Entity(x / y), Entity(x % y)}));
    }
    if (name == "echo" && a.size() == 2) return r.responder.result(a[1]);
    if (name == "fail" && a.size() == 2) {
      return r.responder.exception(Entity(Exception{Tuple{Entity("failed"), a[1], Entity(42)}}));
    }
    if (name == "set_value" && a.size() == 2) {
      value_ = a[1];
      return r.responder.result(Entity("stored"));
    }
    if (name == "get_value" && a.size() == 1) return r.responder.result(value_);
    if (name == "new_counter" && a.size() == 1) {
      return r.responder.result(Entity(std::static_pointer_cast<Object>(std::make_shared<Counter>())));
    }
    r.responder.failure(Errc::call_error);  // crash(), unpublished methods
  }

 private:
  Entity value_;
};

// Plays `side` ('a' or 'b') of `trace` up to and including `last_step`, feeding the other
// side's recorded units; returns nothing, reports mismatches as test failures.
void replay(const Trace& trace, char side, int last_step, LinkConfig cfg, bool feed_eof) {
  char other = side == 'a' ? 'b' : 'a';
  const auto& mine = trace.units.at(side);
  const auto& theirs = trace.units.at(other);
  auto their_calls = calls_by_id(theirs);
  auto my_recorded_calls = calls_by_id(mine);

  CoreEnd c(std::move(cfg));
  std::vector<Unit> produced;
  std::vector<std::uint8_t> pending;
  bool line_seen = false;
  std::optional<codec::Decoder> decoder;
  std::map<Integer, Integer> recorded_to_ours;  // my call ids: recorded → produced
  std::set<Integer> my_calls;                   // produced call ids already mapped
  std::set<const Unit*> matched;

  auto collect = [&](int step) {
    auto bytes = c.take_output();
    pending.insert(pending.end(), bytes.begin(), bytes.end());
    std::span<const std::uint8_t> in(pending);
    if (!line_seen) {
      auto nl = std::find(pending.begin(), pending.end(), '\n');
      if (nl == pending.end()) return;
      Unit u;
      u.what = "handshake";
      u.text.assign(pending.begin(), nl + 1);
      u.step = step;
      produced.push_back(u);
      in = in.subspan(u.text.size());
      line_seen = true;
      decoder.emplace();
    }
    while (!in.empty()) {
      auto r = decoder->feed(in);
      in = in.subspan(r.consumed);
      ASSERT_NE(r.status, codec::Decoder::Status::error);
      if (r.status != codec::Decoder::Status::complete) break;
      Unit u;
      u.index = static_cast<int>(produced.size());
      u.what = "message";
      u.step = step;
      u.entity = decoder->take();
      produced.push_back(u);
    }
    pending.erase(pending.begin(), pending.end() - static_cast<std::ptrdiff_t>(in.size()));
  };
  auto map_new_calls = [&] {
    for (auto& u : produced) {
      if (!is_message(u) || msg_code(u.entity) > 3 || my_calls.count(msg_id(u.entity))) continue;
      my_calls.insert(msg_id(u.entity));
      auto sig = signature(u, {});
      for (const auto& rec : mine) {
        if (is_message(rec) && rec.step == u.step && !matched.count(&rec) &&
            msg_code(rec.entity) <= 3 && signature(rec, {}) == sig) {
          matched.insert(&rec);
          recorded_to_ours[msg_id(rec.entity)] = msg_id(u.entity);
          break;
        }
      }
    }
  };

  c.core->start();
  collect(0);
  for (const auto& u : theirs) {
    if (u.step > last_step) break;
    if (u.what == "handshake" || u.index < 3) {
      c.core->receive(u.bytes);
    } else {
      Entity e = u.entity;
      auto code = msg_code(e);
      if (code >= 4 && code <= 6) {
        // Replies quote our call ids: translate the recorded id to the one we used.
        const auto& t = e.as_tuple();
        Entity quoted = code == 6 ? t[2] : t[2].as_tuple()[0];
        auto it = recorded_to_ours.find(quoted.get<Integer>());
        ASSERT_NE(it, recorded_to_ours.end())
            << trace.scenario << ": reply to a call we did not make: " << to_vej(e).dump();
        Entity payload = code == 6 ? Entity(it->second)
                                   : Entity(Tuple{Entity(it->second), t[2].as_tuple()[1]});
        e = Tuple{t[0], t[1], payload};
      }
      c.core->receive(encode_raw(e));
    }
    c.drain();
    collect(u.step);
    map_new_calls();
  }
  if (feed_eof) {
    c.core->receive_eof();
    c.drain();
    collect(last_step);
    EXPECT_EQ(c.core->status(), LinkStatus::closed) << trace.scenario;
    EXPECT_EQ(c.events.transport_closed, std::optional<bool>(false)) << trace.scenario;
  } else {
    EXPECT_NE(c.core->status(), LinkStatus::closed) << trace.scenario;
  }
  EXPECT_EQ(c.core->stats().msg_id_gaps, 0u) << trace.scenario;

  for (int step = 0; step <= last_step; ++step) {
    std::vector<std::string> want, got;
    for (const auto& u : mine) {
      if (u.step == step) want.push_back(signature(u, their_calls));
    }
    for (const auto& u : produced) {
      if (u.step == step) got.push_back(signature(u, their_calls));
    }
    std::sort(want.begin(), want.end());
    std::sort(got.begin(), got.end());
    if (step == 0) {
      EXPECT_EQ(want.size(), 7u) << trace.scenario;  // VEC, hello, hs, 4 messages
    }
    EXPECT_EQ(got, want) << trace.scenario << " side " << side << " step " << step;
  }
  // Our msg ids are consecutive from 1 in send order.
  std::int64_t expected_id = 1;
  for (const auto& u : produced) {
    if (is_message(u)) {
      EXPECT_EQ(msg_id(u.entity), Integer(expected_id++));
    }
  }
}

TEST(Replay, TracesAreAvailable) { EXPECT_GE(trace_files().size(), 6u); }

TEST(Replay, HandshakeAsClientMatchesEveryTrace) {
  for (const auto& f : trace_files()) {
    auto t = load_trace(f);
    replay(t, 'a', 0, {}, false);
  }
}

TEST(Replay, HandshakeAsServerMatchesEveryTrace) {
  for (const auto& f : trace_files()) {
    auto t = load_trace(f);
    LinkConfig cfg;
    cfg.gateway = std::make_shared<CallGateway>();
    replay(t, 'b', 0, cfg, false);
  }
}

TEST(Replay, CallBasicsAsServerMatchesWholeTrace) {
  auto t = load_trace(std::filesystem::path(VPSTREAM_REFERENCE_DIR) / "call-basics.vptrace.jsonl");
  ASSERT_EQ(t.steps, 19);
  LinkConfig cfg;
  cfg.gateway = std::make_shared<CallGateway>();
  replay(t, 'b', t.steps - 1, cfg, true);
}

}  // namespace
}  // namespace versile::link::test
