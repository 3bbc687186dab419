// LINK-*: the link.md §10 malformed-input policy and §13 conformance notes. Hostile cases are
// data: a Misbehaviour of the harness's own peer plus the reaction the spec requires (close
// the link, or ignore and keep serving). Wire-shape cases check the recorded trace.
#include <algorithm>

#include "peer/misbehaving_peer.hpp"
#include "scenarios/session.hpp"
#include "scenarios/support.hpp"
#include "trace.hpp"

namespace vpstream::conformance {
namespace {

using versile::Entity;
using versile::Integer;
using versile::ObjectRef;
using versile::Tuple;
using Kind = Misbehaviour::Kind;

Entity msg(std::uint64_t id, int code, Entity payload) {
  return Entity(Tuple{Entity(Integer(id)), Entity(code), std::move(payload)});
}
Entity remote(std::uint64_t id) { return Entity(ObjectRef::raw(ObjectRef::Owner::receiver, Integer(id))); }
Entity local(std::uint64_t id) { return Entity(ObjectRef::raw(ObjectRef::Owner::sender, Integer(id))); }
Entity echo_call(const PeerFacts& f, Entity arg) {
  return msg(f.next_msg_id, 1, Entity(Tuple{remote(f.gateway_id), Entity(Tuple{Entity("echo"), std::move(arg)})}));
}
std::vector<std::uint8_t> hex(const char* h) { return *traces::from_hex(h); }
// Replaces the first occurrence of `from` in the encoded bytes by `to` (same length).
std::function<void(std::vector<std::uint8_t>&)> replace_bytes(std::string from, std::vector<std::uint8_t> to) {
  return [from, to](std::vector<std::uint8_t>& bytes) {
    auto it = std::search(bytes.begin(), bytes.end(), from.begin(), from.end());
    if (it != bytes.end()) std::copy(to.begin(), to.end(), it);
  };
}

struct HostileCase {
  const char* id;
  const char* statement;
  const char* section;
  Misbehaviour abuse;
  PeerReaction required;
  std::vector<Outcome> extra = {};
  Strictness strictness = Strictness::must;
};

Misbehaviour raw_bytes(const char* h) { return {Kind::raw_bytes, hex(h), {}, {}, 0, true}; }
Misbehaviour raw_message(std::function<Entity(const PeerFacts&)> f) { return {Kind::raw_message, {}, std::move(f), {}, 0, true}; }
Misbehaviour encoded(std::function<Entity(const PeerFacts&)> f, std::function<void(std::vector<std::uint8_t>&)> p) {
  return {Kind::encoded_message, {}, std::move(f), std::move(p), 0, true};
}

std::vector<HostileCase> hostile_cases() {
  return {
      {"LINK-HOSTILE-BAD-TYPE-CODE", "an unknown entity code (0xff) closes the link", "link.md §10",
       raw_bytes("ff"), PeerReaction::closed_link},
      {"LINK-HOSTILE-BAD-NETBYTES", "a netbytes length body longer than any limit closes the link", "link.md §10, entities.md §8",
       raw_bytes("f3ffffffffffffffffffffffffff"), PeerReaction::closed_link},
      {"LINK-HOSTILE-INVALID-UTF8", "invalid UTF-8 in a string argument closes the link", "link.md §10, entities.md §5.5",
       encoded([](const PeerFacts& f) { return echo_call(f, Entity("ZZ")); }, replace_bytes("ZZ", {0xc3, 0x28})),
       PeerReaction::closed_link},
      {"LINK-HOSTILE-OVERLONG-UTF8", "an overlong UTF-8 form (c0 af) closes the link", "entities.md §5.5, link.md §10",
       encoded([](const PeerFacts& f) { return echo_call(f, Entity("ZZ")); }, replace_bytes("ZZ", {0xc0, 0xaf})),
       PeerReaction::closed_link},
      {"LINK-HOSTILE-NOT-A-MESSAGE", "an entity that is not [int, int, x] after the handshake closes the link", "link.md §10, §5.1",
       raw_message([](const PeerFacts&) { return Entity(Tuple{Entity("hello"), Entity(1)}); }), PeerReaction::closed_link},
      {"LINK-HOSTILE-UNKNOWN-CODE", "message code 10 closes the link", "link.md §10, §5.2",
       raw_message([](const PeerFacts& f) { return msg(f.next_msg_id, 10, Entity()); }), PeerReaction::closed_link},
      {"LINK-HOSTILE-BAD-CALL-PAYLOAD", "a METHOD_CALL whose payload is not [object, tuple] closes the link", "link.md §10, §5.3",
       raw_message([](const PeerFacts& f) { return msg(f.next_msg_id, 1, Entity(42)); }), PeerReaction::closed_link},
      {"LINK-HOSTILE-BAD-RESULT-PAYLOAD", "a CALL_RESULT whose payload is not a 2-tuple closes the link", "link.md §10, §5.3",
       raw_message([](const PeerFacts& f) { return msg(f.next_msg_id, 4, Entity("x")); }), PeerReaction::closed_link},
      {"LINK-HOSTILE-UNKNOWN-OBJECT", "a call to an object id never sent (fd 999) closes the link", "link.md §10, §7",
       raw_message([](const PeerFacts& f) {
         return msg(f.next_msg_id, 1, Entity(Tuple{remote(999), Entity(Tuple{Entity("echo"), Entity(1)})}));
       }),
       PeerReaction::closed_link},
      {"LINK-HOSTILE-CALL-TARGET-FC", "a METHOD_CALL whose target is sent as fc (the sender's own object) closes the link",
       "link.md §10", raw_message([](const PeerFacts& f) {
         return msg(f.next_msg_id, 1, Entity(Tuple{local(1), Entity(Tuple{Entity("echo"), Entity(1)})}));
       }),
       PeerReaction::closed_link},
      {"LINK-HOSTILE-KEEPALIVE-PAYLOAD", "a KEEP_ALIVE with a non-null payload closes the link", "link.md §10, §9.1",
       raw_message([](const PeerFacts& f) { return msg(f.next_msg_id, 9, Entity(1)); }), PeerReaction::closed_link},
      {"LINK-HOSTILE-OVERSIZED-FRAME", "a byte string declaring 210 MB (above the 101 MiB limit) closes the link without allocating it",
       "link.md §10, entities.md §8", raw_bytes("f3fa0c800000"), PeerReaction::closed_link},
      {"LINK-HOSTILE-DEEP-NESTING", "tuples nested beyond the decoder's depth limit close the link (never a stack overflow)",
       "entities.md §8, link.md §10",
       {Kind::raw_bytes, std::vector<std::uint8_t>(20000 * 2, 0xf6), {}, {}, 0, true}, PeerReaction::closed_link},
      {"LINK-HOSTILE-TRUNCATED-EOF", "a frame cut short by EOF ends the link cleanly on both sides", "link.md §9.4, §10",
       {Kind::half_close, hex("f6030203"), {}, {}, 0, true}, PeerReaction::closed_link},  // a 3-tuple with 2 elements
      {"LINK-HOSTILE-RESULT-UNKNOWN-CALL", "a CALL_RESULT for a call id never issued is ignored", "link.md §10",
       raw_message([](const PeerFacts& f) { return msg(f.next_msg_id, 4, Entity(Tuple{Entity(99999), Entity()})); }),
       PeerReaction::kept_link},
      {"LINK-HOSTILE-ERROR-UNKNOWN-CALL", "a CALL_ERROR for a call id never issued is ignored", "link.md §10",
       raw_message([](const PeerFacts& f) { return msg(f.next_msg_id, 6, Entity(99999)); }), PeerReaction::kept_link},
      {"LINK-HOSTILE-DEREF-UNKNOWN", "NOTIFY_DEREF for an unknown id is ignored", "link.md §10, §7.3",
       raw_message([](const PeerFacts& f) { return msg(f.next_msg_id, 7, Entity(Tuple{Entity(999), Entity(1)})); }),
       PeerReaction::kept_link},
      {"LINK-HOSTILE-DEREF-COUNT-MISMATCH", "NOTIFY_DEREF of the gateway with a wrong count is ignored (gateway stays usable)",
       "link.md §10, §7.3, §13.14", raw_message([](const PeerFacts& f) {
         return msg(f.next_msg_id, 7, Entity(Tuple{Entity(Integer(f.gateway_id)), Entity(77)}));
       }),
       PeerReaction::kept_link},
      {"LINK-HOSTILE-CONFIRM-UNKNOWN", "CONFIRM_DEREF for an unknown id is ignored", "link.md §10, §7.3",
       raw_message([](const PeerFacts& f) { return msg(f.next_msg_id, 8, Entity(999)); }), PeerReaction::kept_link},
      {"LINK-HOSTILE-MSGID-GAP", "a gap in the peer's msg ids is accepted (C++ accepts; Java closes)", "link.md §10, §14.1",
       {Kind::msg_id_shift, {}, {}, {}, 5, true}, PeerReaction::kept_link,
       {Outcome::ref(ErrorCategory::link_closed)}},
      {"LINK-HOSTILE-MSGID-DUPLICATE", "a repeated msg id is accepted and the call answered", "link.md §10",
       {Kind::msg_id_shift, {}, {}, {}, -1, true}, PeerReaction::kept_link,
       {Outcome::ref(ErrorCategory::link_closed)}},
      {"LINK-HOSTILE-SILENT-STALL", "a peer that stalls mid-frame for a while is neither dropped nor answered early",
       "link.md §10, entities.md §9",
       {Kind::stall_message, {}, [](const PeerFacts& f) { return msg(f.next_msg_id, 8, Entity(999)); }, {}, 0, true},
       PeerReaction::kept_link},
  };
}

Observation observe(PeerReaction r) {
  switch (r) {
    case PeerReaction::kept_link: return Observation::ok("link kept, probe answered");
    case PeerReaction::closed_link: return Observation::failed(ErrorCategory::link_closed, "the link was closed");
    case PeerReaction::no_answer: return Observation::failed(ErrorCategory::no_response, "no reaction within the wait");
  }
  return Observation::failed(ErrorCategory::harness_error, "unknown reaction");
}

// Runs `body` on a recorded session and then checks the finished trace with `check`.
Observation with_trace(ScenarioContext& ctx, const std::function<void(Session&, versile::Proxy&)>& body,
                       const std::function<void(const traces::Trace&)>& check) {
  auto session = Session::open(ctx);
  auto gw = session->gateway();
  body(*session, gw);
  session->close();
  ctx.recorder().wait_quiet(std::chrono::milliseconds(50), ctx.scaled(std::chrono::milliseconds(1000)));
  const auto trace = ctx.recorder().finish(true);
  check(trace);
  return Observation::ok();
}

std::vector<nlohmann::json> messages(const traces::Trace& t, traces::Direction d) {
  std::vector<nlohmann::json> out;
  for (const auto* u : t.units_of(d)) {
    if (u->index > 2 && u->vej) out.push_back(*u->vej);
  }
  return out;
}

}  // namespace

void add_link_scenarios(Catalogue& c) {
  for (auto& h : hostile_cases()) {
    ScenarioSpec spec{h.id, h.statement, h.section, Role::server, h.strictness};
    const ErrorCategory want = h.required == PeerReaction::kept_link ? ErrorCategory::success : ErrorCategory::link_closed;
    spec.outcomes = {Outcome::spec(want)};
    for (const auto& o : h.extra) spec.outcomes.push_back(o);
    spec.tags = {"link", "hostile"};
    auto abuse = h.abuse;
    c.add(make_scenario(spec, [abuse](ScenarioContext& ctx) { return observe(misbehave(ctx, abuse)); }));
  }

  // Wire-shape conformance notes (link.md §13), checked on the recorded trace of a session.
  struct ShapeCase {
    const char* id;
    const char* statement;
    const char* section;
    std::function<void(const traces::Trace&)> check;
  };
  using traces::Direction;
  std::vector<ShapeCase> shapes = {
      {"LINK-CONF-VEC-LINE", "each side opens with the VEC line VEC_DRAFT-0.8-utf8", "link.md §3.1, §13.8",
       [](const traces::Trace& t) {
         for (auto d : {Direction::a, Direction::b}) {
           auto u = t.units_of(d);
           require(!u.empty() && u[0]->text == std::string("VEC_DRAFT-0.8-utf8\n"), "VEC line missing or different");
         }
       }},
      {"LINK-CONF-HELLO", "the VOL hello is a bare entity [b'VOL_DRAFT', licence 3-tuple, [0, 8]]", "link.md §4.2, §13.4",
       [](const traces::Trace& t) {
         auto u = t.units_of(Direction::b);
         require(u.size() > 2 && u[1]->vej && u[1]->vej->is_array() && u[1]->vej->size() == 3, "hello shape");
         require((*u[1]->vej)[0] == nlohmann::json{{"bytes", "564f4c5f4452414654"}}, "hello tag is not VOL_DRAFT");
         require((*u[1]->vej)[2] == nlohmann::json::array({{{"int", "0"}}, {{"int", "8"}}}), "version is not [0, 8]");
       }},
      {"LINK-CONF-HANDSHAKE-OBJECT", "the handshake object is a bare sender-owned reference", "link.md §4.4, §13.4",
       [](const traces::Trace& t) {
         auto u = t.units_of(Direction::b);
         require(u.size() > 2 && u[2]->vej && u[2]->vej->contains("local"), "second entity is not {local: id}");
       }},
      {"LINK-CONF-MSGID-CONSECUTIVE", "msg ids of each direction are 1, 2, 3 … over all message types", "link.md §5.1, §13.5",
       [](const traces::Trace& t) {
         for (auto d : {Direction::a, Direction::b}) {
           std::vector<long long> ids;
           for (const auto& m : messages(t, d)) ids.push_back(std::stoll(m[0]["int"].get<std::string>()));
           std::ranges::sort(ids);
           for (std::size_t i = 0; i < ids.size(); ++i) {
             require(ids[i] == static_cast<long long>(i + 1), std::string("direction ") + to_string(d) + ": msg ids not 1..n");
           }
         }
       }},
      {"LINK-CONF-PAYLOAD-SHAPES", "CALL_ERROR / CONFIRM_DEREF payloads are bare ints; results and NOTIFY_DEREF are 2-tuples",
       "link.md §5.2, §13.6", [](const traces::Trace& t) {
         for (auto d : {Direction::a, Direction::b}) {
           for (const auto& m : messages(t, d)) {
             const auto code = m[1]["int"].get<std::string>();
             if (code == "6" || code == "8") require(m[2].is_object() && m[2].contains("int"), "payload not an int");
             if (code == "4" || code == "5" || code == "7") require(m[2].is_array() && m[2].size() == 2, "payload not a 2-tuple");
           }
         }
       }},
      {"LINK-CONF-FINISH-GATEWAY", "the result of finish() is the gateway, sent as a sender-owned reference", "link.md §4.6, §13.11",
       [](const traces::Trace& t) {
         bool found = false;
         for (const auto& m : messages(t, Direction::b)) {
           if (m[1]["int"] == "4" && m[2].is_array() && m[2][1].is_object() && m[2][1].contains("local")) found = true;
         }
         require(found, "no CALL_RESULT carrying {local: id} from the server");
       }},
      {"LINK-CONF-DEREF-HANDSHAKE", "each side dereferences the peer's handshake object after the handshake", "link.md §7.6, §13.14",
       [](const traces::Trace& t) {
         for (auto d : {Direction::a, Direction::b}) {
           bool notify = false;
           for (const auto& m : messages(t, d)) notify = notify || m[1]["int"] == "7";
           require(notify, std::string("no NOTIFY_DEREF from ") + to_string(d));
         }
       }},
      {"LINK-CONF-METHOD-NAME-STRING", "method names travel as strings, never bytes", "link.md §6.1, §13.7",
       [](const traces::Trace& t) {
         for (const auto& m : messages(t, Direction::a)) {
           if (m[1]["int"] == "1") require(m[2][1][0].contains("str"), "method name is not a string");
         }
       }},
      {"LINK-CONF-CLEAN-EOF", "a graceful shutdown ends both directions with a clean EOF", "link.md §9.2, §13.20",
       [](const traces::Trace& t) {
         bool a = false, b = false;
         for (const auto& e : t.events) {
           if (e.kind == traces::Event::Kind::eof) (e.from == Direction::a ? a : b) = true;
         }
         require(a && b, "missing EOF");
       }},
  };
  for (auto& s : shapes) {
    ScenarioSpec spec{s.id, s.statement, s.section, Role::server};
    spec.tags = {"link", "wire"};
    auto check = s.check;
    c.add(make_scenario(spec, [check](ScenarioContext& ctx) {
      return with_trace(
          ctx,
          [](Session& session, versile::Proxy& gw) {
            session.step("echo('shape')");
            gw.call("echo", Entity("shape"));
            session.step("add(2, 3)");
            gw.call("add", Entity(2), Entity(3));
          },
          check);
    }));
  }
}

}  // namespace vpstream::conformance
