// Reference counting and the dereference protocol (link.md §7, §13 notes 13, 14, 19).
#include <gtest/gtest.h>

#include "core_harness.hpp"

namespace versile::link::test {
namespace {

void feed(CoreEnd& c, const char* vej_text) {
  c.core->receive(encode_raw(vej(vej_text)));
  c.drain();
}

TEST(Deref, OwnerIgnoresNotifyWithStaleCountThenConfirms) {
  auto child = std::make_shared<FnTarget>([](CallRequest& r) { r.responder.result(Entity("hi")); });
  auto gw = std::make_shared<FnTarget>(
      [child](CallRequest& r) { r.responder.result(Entity(std::static_pointer_cast<Object>(child))); });
  LinkConfig cfg;
  cfg.gateway = gw;
  CoreEnd c(cfg);
  raw_handshake(c);
  feed(c, R"([{"int":"3"},{"int":"1"},[{"remote":"2"},[{"str":"child"}]]])");
  feed(c, R"([{"int":"4"},{"int":"1"},[{"remote":"2"},[{"str":"child"}]]])");
  auto out = c.take_entities();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0], vej(R"([{"int":"4"},{"int":"4"},[{"int":"3"},{"local":"3"}]])"));
  EXPECT_EQ(out[1], vej(R"([{"int":"5"},{"int":"4"},[{"int":"4"},{"local":"3"}]])"));
  // The peer's NOTIFY [3,1] crossed our second copy: ignored (§7.3).
  feed(c, R"([{"int":"5"},{"int":"7"},[{"int":"3"},{"int":"1"}]])");
  EXPECT_TRUE(c.take_entities().empty());
  EXPECT_EQ(c.core->stats().ignored_derefs, 1u);
  // The object is still callable.
  feed(c, R"([{"int":"6"},{"int":"1"},[{"remote":"3"},[{"str":"hello"}]]])");
  out = c.take_entities();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], vej(R"([{"int":"6"},{"int":"4"},[{"int":"6"},{"str":"hi"}]])"));
  // NOTIFY [3,2] matches: CONFIRM_DEREF 3.
  feed(c, R"([{"int":"7"},{"int":"7"},[{"int":"3"},{"int":"2"}]])");
  out = c.take_entities();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], vej(R"([{"int":"7"},{"int":"8"},{"int":"3"}])"));
  // A later call on id 3 is fatal (the id is gone, never reused).
  feed(c, R"([{"int":"8"},{"int":"1"},[{"remote":"3"},[{"str":"hello"}]]])");
  ASSERT_TRUE(c.events.closed_reason);
  EXPECT_EQ(*c.events.closed_reason, make_error_code(codec::Errc::unknown_remote_id));
  // Re-sending after confirmation would use a new id: checked by the id counter.
}

TEST(Deref, ResentObjectAfterConfirmGetsNewId) {
  auto child = std::make_shared<FnTarget>();
  auto gw = std::make_shared<FnTarget>(
      [child](CallRequest& r) { r.responder.result(Entity(std::static_pointer_cast<Object>(child))); });
  LinkConfig cfg;
  cfg.gateway = gw;
  CoreEnd c(cfg);
  raw_handshake(c);
  feed(c, R"([{"int":"3"},{"int":"1"},[{"remote":"2"},[{"str":"child"}]]])");
  feed(c, R"([{"int":"4"},{"int":"7"},[{"int":"3"},{"int":"1"}]])");
  feed(c, R"([{"int":"5"},{"int":"1"},[{"remote":"2"},[{"str":"child"}]]])");
  auto out = c.take_entities();
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[1], vej(R"([{"int":"5"},{"int":"8"},{"int":"3"}])"));
  EXPECT_EQ(out[2], vej(R"([{"int":"6"},{"int":"4"},[{"int":"5"},{"local":"4"}]])"));
}

TEST(Deref, HolderReleaseSendsNotifyAndCountContinuesAfterReReceive) {
  auto gw = std::make_shared<FnTarget>();  // keeps requests (and their arguments) in `held`
  LinkConfig cfg;
  cfg.gateway = gw;
  CoreEnd c(cfg);
  raw_handshake(c);
  feed(c, R"([{"int":"3"},{"int":"3"},[{"remote":"2"},[{"str":"take"},{"local":"5"},{"local":"5"}]]])");
  ASSERT_EQ(gw->held.size(), 1u);
  gw->held.clear();  // last handle gone
  c.drain();
  auto out = c.take_entities();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], vej(R"([{"int":"4"},{"int":"7"},[{"int":"5"},{"int":"2"}]])"));
  // The peer re-sent it while our NOTIFY was in flight: the count continues (3) ...
  feed(c, R"([{"int":"4"},{"int":"3"},[{"remote":"2"},[{"str":"take"},{"local":"5"}]]])");
  ASSERT_EQ(gw->held.size(), 1u);
  auto handle = gw->held[0].args[1].get<ObjectRef>().as<PeerObject>();
  ASSERT_TRUE(handle);
  EXPECT_EQ(handle->id(), 5u);
  // ... a stale release of an older handle must not produce a NOTIFY ...
  c.core->peer_object_released(5, 3);  // generation of the first handle
  EXPECT_TRUE(c.take_entities().empty());
  gw->held.clear();
  handle.reset();
  c.drain();
  out = c.take_entities();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], vej(R"([{"int":"5"},{"int":"7"},[{"int":"5"},{"int":"3"}]])"));
  // Confirmation removes the entry.
  auto before = c.core->stats().peer_objects;
  feed(c, R"([{"int":"5"},{"int":"8"},{"int":"5"}])");
  EXPECT_EQ(c.core->stats().peer_objects, before - 1);
}

TEST(Deref, ReleaseRacingWithReReceiveSendsNoStaleNotify) {
  auto gw = std::make_shared<FnTarget>();
  LinkConfig cfg;
  cfg.gateway = gw;
  CoreEnd c(cfg);
  raw_handshake(c);
  feed(c, R"([{"int":"3"},{"int":"3"},[{"remote":"2"},[{"str":"take"},{"local":"5"}]]])");
  gw->held.clear();  // release queued in the back channel, not yet on the strand
  c.core->receive(encode_raw(vej(R"([{"int":"4"},{"int":"3"},[{"remote":"2"},[{"str":"take"},{"local":"5"}]]])")));
  c.drain();  // the old release arrives after the new handle exists
  EXPECT_TRUE(c.take_entities().empty());
  gw->held.clear();
  c.drain();
  auto out = c.take_entities();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], vej(R"([{"int":"4"},{"int":"7"},[{"int":"5"},{"int":"2"}]])"));
}

TEST(Deref, UnknownAndMismatchedDerefsAreIgnored) {
  CoreEnd c;
  raw_handshake(c);
  feed(c, R"([{"int":"3"},{"int":"7"},[{"int":"77"},{"int":"1"}]])");
  feed(c, R"([{"int":"4"},{"int":"7"},[{"int":"2"},{"int":"9"}]])");
  feed(c, R"([{"int":"5"},{"int":"8"},{"int":"77"}])");
  EXPECT_EQ(c.core->status(), LinkStatus::running);
  EXPECT_TRUE(c.take_entities().empty());
  EXPECT_EQ(c.core->stats().ignored_derefs, 3u);
}

TEST(Deref, MalformedDerefsClose) {
  for (const char* m : {R"([{"int":"3"},{"int":"7"},{"int":"2"}])",
                        R"([{"int":"3"},{"int":"7"},[{"int":"2"}]])",
                        R"([{"int":"3"},{"int":"7"},[{"int":"2"},null]])",
                        R"([{"int":"3"},{"int":"8"},[{"int":"2"}]])"}) {
    CoreEnd c;
    raw_handshake(c);
    feed(c, m);
    ASSERT_TRUE(c.events.closed_reason) << m;
    EXPECT_EQ(*c.events.closed_reason, make_error_code(Errc::malformed_message)) << m;
  }
}

TEST(Deref, GarbageCollectionShutdownWhenBothTablesEmpty) {
  CorePair p;
  p.start();
  p.pump();
  p.a.events.gateway.reset();  // a drops b's gateway: NOTIFY → CONFIRM
  p.pump();
  EXPECT_EQ(p.a.core->status(), LinkStatus::running);
  EXPECT_EQ(p.b.core->stats().local_objects, 0u);
  EXPECT_EQ(p.a.core->stats().peer_objects, 0u);
  p.b.events.gateway.reset();  // now both tables of both sides become empty (§7.5)
  p.pump();
  for (CoreEnd* end : {&p.a, &p.b}) {
    EXPECT_EQ(end->core->status(), LinkStatus::closed);
    ASSERT_TRUE(end->events.closed_reason);
    EXPECT_FALSE(*end->events.closed_reason);  // graceful, no error
    EXPECT_EQ(end->events.transport_closed, std::optional<bool>(false));
  }
}

TEST(Deref, UnencodableReplyBecomesCallErrorAndSendCountsRollBack) {
  std::shared_ptr<Object> self;
  auto gw = std::make_shared<FnTarget>([&self](CallRequest& r) {
    // Our gateway (already known to the peer) plus a new object that no longer fits the table.
    r.responder.result(Entity(Tuple{Entity(self), Entity(std::static_pointer_cast<Object>(
                                                      std::make_shared<FnTarget>()))}));
  });
  self = gw;
  LinkConfig cfg;
  cfg.gateway = gw;
  cfg.max_local_objects = 2;  // handshake object and gateway
  CoreEnd c(cfg);
  raw_handshake(c);
  feed(c, R"([{"int":"3"},{"int":"1"},[{"remote":"2"},[{"str":"child"}]]])");
  auto out = c.take_entities();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], vej(R"([{"int":"4"},{"int":"6"},{"int":"3"}])"));  // CALL_ERROR (§6.4)
  EXPECT_EQ(c.core->stats().local_objects, 2u);
  // The gateway's send count was rolled back to 1: NOTIFY [2,1] is confirmed.
  feed(c, R"([{"int":"4"},{"int":"7"},[{"int":"2"},{"int":"1"}]])");
  out = c.take_entities();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], vej(R"([{"int":"5"},{"int":"8"},{"int":"2"}])"));
  self.reset();
}

TEST(Deref, TooManyPeerObjectsCloses) {
  LinkConfig cfg;
  cfg.max_peer_objects = 3;  // hs 1, gateway 2, one more
  CoreEnd c(cfg);
  raw_handshake(c);
  feed(c, R"([{"int":"3"},{"int":"3"},[{"remote":"2"},[{"str":"x"},{"local":"3"},{"local":"4"}]]])");
  ASSERT_TRUE(c.events.closed_reason);
  EXPECT_EQ(*c.events.closed_reason, make_error_code(Errc::too_many_objects));
}

}  // namespace
}  // namespace versile::link::test
