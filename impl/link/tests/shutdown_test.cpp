// Graceful vs forced shutdown, EOF handling, pending calls on link loss (link.md §9.2–§9.4).
#include <gtest/gtest.h>

#include "core_harness.hpp"

namespace versile::link::test {
namespace {

struct ShutdownFixture : ::testing::Test {
  std::shared_ptr<FnTarget> gw = std::make_shared<FnTarget>();  // holds every request
  std::unique_ptr<CorePair> p;
  std::optional<CallOutcome> outcome;

  void SetUp() override {
    LinkConfig b_cfg;
    b_cfg.gateway = gw;
    p = std::make_unique<CorePair>(LinkConfig{}, b_cfg);
    p->start();
    p->pump();
    ASSERT_TRUE(p->a.events.gateway);
    p->a.core->call(p->a.events.gateway, Tuple{Entity("slow")}, CallMode::normal,
                    [this](CallOutcome o) { outcome = std::move(o); });
    p->pump();
    ASSERT_EQ(gw->held.size(), 1u);
  }
};

TEST_F(ShutdownFixture, ClientGracefulShutdownFailsOwnPendingCallsAndPeerStillReplies) {
  p->a.core->shutdown(false);
  ASSERT_TRUE(outcome && outcome->is_error());
  EXPECT_EQ(outcome->error(), make_error_code(Errc::link_closed));
  p->pump();
  EXPECT_EQ(p->a.core->status(), LinkStatus::closed);
  EXPECT_EQ(p->a.events.transport_closed, std::optional<bool>(false));  // FIN, not abort
  EXPECT_FALSE(*p->a.events.closed_reason);
  // b saw EOF: closing, waiting for its accepted call.
  EXPECT_EQ(p->b.core->status(), LinkStatus::closing);
  EXPECT_FALSE(p->b.events.transport_closed);
  gw->held[0].responder.result(Entity(1));
  p->pump();
  EXPECT_EQ(p->b.core->status(), LinkStatus::closed);
  EXPECT_EQ(*p->b.events.closed_reason, make_error_code(Errc::peer_eof));
  EXPECT_EQ(p->b.events.transport_closed, std::optional<bool>(false));
  // The reply was written before b's FIN (a ignores it, its input stopped).
  EXPECT_EQ(code_of(p->entities_from(p->b).back()), 4);
}

TEST_F(ShutdownFixture, ServerGracefulShutdownStillDeliversResultThenEof) {
  p->b.core->shutdown(false);
  p->pump();
  EXPECT_EQ(p->b.core->status(), LinkStatus::closing);
  EXPECT_FALSE(outcome);
  gw->held[0].responder.result(Entity("late"));
  p->pump();
  ASSERT_TRUE(outcome && outcome->is_result());
  EXPECT_EQ(outcome->value(), Entity("late"));
  EXPECT_EQ(p->b.core->status(), LinkStatus::closed);
  EXPECT_EQ(p->a.core->status(), LinkStatus::closed);
  EXPECT_EQ(*p->a.events.closed_reason, make_error_code(Errc::peer_eof));
}

TEST_F(ShutdownFixture, ForcedShutdownAbortsAndPeerCallsFail) {
  // b has a pending call on a too.
  auto a_gw_target = p->b.events.gateway;
  p->b.core->call(a_gw_target, Tuple{Entity("x")}, CallMode::normal, {});  // answered (CALL_ERROR)
  p->pump();
  p->b.core->shutdown(true);
  EXPECT_EQ(p->b.core->status(), LinkStatus::closed);
  EXPECT_EQ(p->b.events.transport_closed, std::optional<bool>(true));
  EXPECT_EQ(*p->b.events.closed_reason, make_error_code(Errc::link_aborted));
  EXPECT_FALSE(p->b.core->has_output());
  p->pump();
  ASSERT_TRUE(outcome && outcome->is_error());
  EXPECT_EQ(outcome->error(), make_error_code(Errc::transport_error));
  EXPECT_EQ(p->a.core->status(), LinkStatus::closed);
  // Completing the orphaned responder afterwards is harmless.
  gw->held[0].responder.result(Entity(1));
  p->pump();
  EXPECT_EQ(p->b.events.closed_count, 1);
}

TEST_F(ShutdownFixture, ShutdownIsIdempotent) {
  p->a.core->shutdown(false);
  p->a.core->shutdown(false);
  p->a.core->shutdown(true);
  p->pump();
  EXPECT_EQ(p->a.events.closed_count, 1);
}

TEST(Shutdown, ShutdownDuringHandshakeIsForced) {
  CoreEnd c;
  c.core->start();
  c.core->shutdown(false);
  EXPECT_EQ(c.core->status(), LinkStatus::closed);
  EXPECT_EQ(*c.events.closed_reason, make_error_code(Errc::link_aborted));
  EXPECT_EQ(c.events.transport_closed, std::optional<bool>(true));
}

TEST(Shutdown, EofDuringHandshakeIsAnError) {
  CoreEnd c;
  c.core->start();
  c.core->receive(hex_bytes(kPeerStartHex));
  c.core->receive_eof();
  EXPECT_EQ(*c.events.closed_reason, make_error_code(Errc::peer_eof));
  EXPECT_EQ(c.events.transport_closed, std::optional<bool>(true));
}

TEST(Shutdown, GracefulCloseWaitsForOutputToBeConsumed) {
  CoreEnd c;
  raw_handshake(c);
  auto gw = c.events.gateway;
  c.core->call(gw, Tuple{Entity("x")}, CallMode::no_return, {});
  c.core->shutdown(false);
  EXPECT_EQ(c.core->status(), LinkStatus::closing);
  EXPECT_FALSE(c.events.transport_closed);
  auto chunks = c.core->output_chunks();
  ASSERT_FALSE(chunks.empty());
  c.core->consume_output(1);
  EXPECT_FALSE(c.events.transport_closed);
  c.take_output();
  EXPECT_EQ(c.events.transport_closed, std::optional<bool>(false));
  EXPECT_EQ(c.core->status(), LinkStatus::closed);
}

TEST(Shutdown, ForcedShutdownKeepsTheBytesOfAWriteInFlight) {
  // output_chunks() bytes stay valid until consumed: an aborted write may still read them
  // (the transport tap does, in its completion handler). Under ASan this read was a
  // heap-use-after-free when fail() freed the output.
  CoreEnd c;
  c.core->start();  // the VEC line and the hello
  const auto chunks = c.core->output_chunks();
  ASSERT_FALSE(chunks.empty());
  std::vector<std::uint8_t> before;
  for (const auto& ch : chunks) before.insert(before.end(), ch.data, ch.data + ch.size);
  c.core->shutdown(true);
  EXPECT_EQ(c.events.transport_closed, std::optional<bool>(true));
  EXPECT_FALSE(c.core->has_output());
  std::vector<std::uint8_t> after;
  for (const auto& ch : chunks) after.insert(after.end(), ch.data, ch.data + ch.size);
  EXPECT_EQ(after, before);
}

TEST(Shutdown, TransportErrorFailsPendingCallsWithIt) {
  CoreEnd c;
  raw_handshake(c);
  std::optional<CallOutcome> got;
  c.core->call(c.events.gateway, Tuple{Entity("x")}, CallMode::normal,
               [&](CallOutcome o) { got = std::move(o); });
  c.core->receive_transport_error(std::make_error_code(std::errc::connection_reset));
  ASSERT_TRUE(got && got->is_error());
  EXPECT_EQ(got->error(), std::make_error_code(std::errc::connection_reset));
}

}  // namespace
}  // namespace versile::link::test
