// Keep-alive negotiation and traffic with a fake clock (link.md §9.1).
#include <gtest/gtest.h>

#include "core_harness.hpp"

namespace versile::link::test {
namespace {

using namespace std::chrono_literals;
using time_point = std::chrono::steady_clock::time_point;

struct FakeClock {
  time_point now = time_point{} + std::chrono::hours(10);
  std::function<time_point()> fn() {
    return [this] { return now; };
  }
};

TEST(KeepAlive, NegotiationGrantsRequestAboveMinimumAndSends) {
  FakeClock clock;
  LinkConfig a_cfg, b_cfg;
  a_cfg.keep_alive_request = 1000ms;
  a_cfg.clock = clock.fn();
  b_cfg.keep_alive_min_send = 200ms;
  b_cfg.clock = clock.fn();
  CorePair p(a_cfg, b_cfg);
  p.start();
  p.pump();
  ASSERT_EQ(p.a.core->status(), LinkStatus::running);
  EXPECT_EQ(p.b.core->keep_alive_send_period(), std::optional(1000ms));
  EXPECT_EQ(p.a.core->keep_alive_receive_period(), std::optional(1000ms));
  EXPECT_FALSE(p.a.core->keep_alive_send_period());
  auto a_out = p.entities_from(p.a);
  // §9.1 capture: keep_alive is a's first message, its finish comes second.
  EXPECT_EQ(to_hex(encode_raw(a_out[2])), "f6030202f602fd02f602f40aeff802036b6565705f616c697665");
  // Its finish call follows the grant (msg 2 or 3, depending on when b's finish call came in).
  auto finish_calls = std::count_if(a_out.begin() + 3, a_out.end(), [](const Entity& m) {
    return m.as_tuple()[1] == Entity(1) &&
           m.as_tuple()[2] == vej(R"([{"remote":"1"},[{"str":"finish"}]])");
  });
  EXPECT_EQ(finish_calls, 1);
  auto b_out = p.entities_from(p.b);
  EXPECT_EQ(std::count(b_out.begin(), b_out.end(),
                       vej(R"([{"int":"2"},{"int":"4"},[{"int":"1"},{"int":"1000"}]])")),
            1);
  // b sends KEEP_ALIVE after 1000 ms of silence and asks for a timer at that point.
  EXPECT_EQ(p.b.events.timer, clock.now + 1000ms);
  clock.now += 999ms;
  p.b.core->on_timer(clock.now);
  EXPECT_TRUE(p.b.take_output().empty());
  clock.now += 1ms;
  p.b.core->on_timer(clock.now);
  auto ka = p.b.take_output();
  EXPECT_EQ(to_hex(ka), "f603070af8");  // [6, 9, null]
  p.a.core->receive(ka);
  EXPECT_EQ(p.a.core->stats().keep_alives_received, 1u);
  EXPECT_EQ(p.b.core->stats().keep_alives_sent, 1u);
  // a expires after 1.5 × 1000 ms without any message.
  EXPECT_EQ(p.a.events.timer, clock.now + 1500ms);
  clock.now += 1499ms;
  p.a.core->on_timer(clock.now);
  EXPECT_EQ(p.a.core->status(), LinkStatus::running);
  clock.now += 1ms;
  p.a.core->on_timer(clock.now);
  ASSERT_TRUE(p.a.events.closed_reason);
  EXPECT_EQ(*p.a.events.closed_reason, make_error_code(Errc::keep_alive_expired));
}

TEST(KeepAlive, DefaultMinimumIsFiveMinutes) {
  LinkConfig a_cfg;
  a_cfg.keep_alive_request = 1000ms;
  CorePair p(a_cfg, {});
  p.start();
  p.pump();
  EXPECT_EQ(p.b.core->keep_alive_send_period(), std::optional(300000ms));
  EXPECT_EQ(p.a.core->keep_alive_receive_period(), std::optional(300000ms));
  EXPECT_EQ(p.a.core->status(), LinkStatus::running);
}

// Raw peer for a core that requests keep-alive: answers keep_alive with `grant`.
void keep_alive_handshake(CoreEnd& c, const char* grant) {
  c.core->start();
  c.core->receive(hex_bytes(std::string(kPeerStartHex).substr(0, std::string(kPeerStartHex).size() - 36)));
  c.core->receive(encode_raw(vej(std::string(R"([{"int":"1"},{"int":"4"},[{"int":"1"},{"int":")") + grant + R"("}]])")));
  c.drain();
}

TEST(KeepAlive, GrantBelowRequestIsRefused) {
  LinkConfig cfg;
  cfg.keep_alive_request = 1000ms;
  CoreEnd c(cfg);
  keep_alive_handshake(c, "999");
  ASSERT_TRUE(c.events.closed_reason);
  EXPECT_EQ(*c.events.closed_reason, make_error_code(Errc::keep_alive_refused));
}

TEST(KeepAlive, SpamIsDetected) {
  FakeClock clock;
  LinkConfig cfg;
  cfg.keep_alive_request = 1000ms;
  cfg.clock = clock.fn();
  CoreEnd c(cfg);
  keep_alive_handshake(c, "1000");
  c.core->receive(encode_raw(vej(R"([{"int":"2"},{"int":"1"},[{"remote":"1"},[{"str":"finish"}]]])")));
  c.core->receive(encode_raw(vej(R"([{"int":"3"},{"int":"4"},[{"int":"2"},{"local":"2"}]])")));
  c.drain();
  ASSERT_EQ(c.core->status(), LinkStatus::running);
  for (int i = 0; i < 6; ++i) {
    clock.now += 10ms;
    c.core->receive(encode_raw(vej("[{\"int\":\"" + std::to_string(4 + i) + "\"},{\"int\":\"9\"},null]")));
  }
  ASSERT_TRUE(c.events.closed_reason);
  EXPECT_EQ(*c.events.closed_reason, make_error_code(Errc::keep_alive_spam));
}

TEST(KeepAlive, UnrequestedKeepAlivesAreAccepted) {
  CoreEnd c;
  raw_handshake(c);
  for (int i = 0; i < 10; ++i) {
    c.core->receive(encode_raw(vej("[{\"int\":\"" + std::to_string(3 + i) + "\"},{\"int\":\"9\"},null]")));
  }
  EXPECT_EQ(c.core->status(), LinkStatus::running);
  EXPECT_EQ(c.core->stats().keep_alives_received, 10u);
}

TEST(KeepAlive, NonNullPayloadCloses) {
  CoreEnd c;
  raw_handshake(c);
  c.core->receive(encode_raw(vej(R"([{"int":"3"},{"int":"9"},{"int":"0"}])")));
  ASSERT_TRUE(c.events.closed_reason);
  EXPECT_EQ(*c.events.closed_reason, make_error_code(Errc::bad_keep_alive));
}

}  // namespace
}  // namespace versile::link::test
