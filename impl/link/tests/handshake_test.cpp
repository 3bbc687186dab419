// VEC line, hello and handshake-object exchange (link.md §3.1, §4, §11.1, §13 notes 4, 9, 11, 21).
#include <gtest/gtest.h>

#include "core_harness.hpp"

namespace versile::link::test {
namespace {

constexpr std::string_view kVecLine = "5645435f44524146542d302e382d757466380a";
constexpr std::string_view kRefHello =
    "f603f309f603f2f406f425f602010968747470733a2f2f7777772e676e752e6f72672f6c6963656e7365732f6c67"
    "706c2e7478744c47504c7633564f4c5f4452414654";

void feed_hex(CoreEnd& end, std::string_view hex) {
  auto bytes = hex_bytes(hex);
  end.core->receive(bytes);
  end.drain();
}

TEST(Handshake, VecLineIsSentImmediatelyAndHelloAfterPeerLine) {
  CoreEnd end;
  end.core->start();
  EXPECT_EQ(to_hex(end.take_output()), kVecLine);
  EXPECT_EQ(end.core->status(), LinkStatus::handshaking);
  // The hello is held until the peer's VEC line arrived (§3.1, like Py).
  feed_hex(end, kVecLine.substr(0, 10));
  EXPECT_TRUE(end.take_output().empty());
  feed_hex(end, kVecLine.substr(10));
  EXPECT_EQ(to_hex(end.take_output()), kRefHello);  // the reference's exact 67 bytes (§4.2)
}

TEST(Handshake, HelloWithoutCopyleft) {
  LinkConfig cfg;
  cfg.copyleft = false;
  CoreEnd end(cfg);
  end.core->start();
  feed_hex(end, kVecLine);
  auto entities = end.take_entities();
  ASSERT_EQ(entities.size(), 1u);
  EXPECT_EQ(entities[0], vej(R"([{"bytes":"564f4c5f4452414654"},[false,null,null],[{"int":"0"},{"int":"8"}]])"));
}

// Feeds S's side of the §11.1 capture to our core playing C and compares every byte C wrote.
TEST(Handshake, ClientBytesMatchReferenceCapture) {
  CoreEnd c;
  c.core->start();
  feed_hex(c, kVecLine);
  feed_hex(c, kRefHello);
  feed_hex(c, "fc02");                                  // S's handshake object
  feed_hex(c, "f6030202f602fd02f601f40666696e697368");  // S calls C.hs.finish()
  feed_hex(c, "f6030308f6020202");                      // S drops C's hs object
  feed_hex(c, "f6030405f60202fc04");                    // S's gateway = S object 2
  feed_hex(c, "f603050902");                            // S confirms C's deref
  std::string expected = std::string(kVecLine) + std::string(kRefHello) +
                         "fc02"                                  // C's handshake object
                         "f6030202f602fd02f601f40666696e697368"  // C calls S.hs.finish()
                         "f6030305f60202fc04"                    // C's gateway = C object 2
                         "f603040902"                            // C confirms deref of its hs
                         "f6030508f6020202";                     // C drops S's hs object
  c.take_output();
  EXPECT_EQ(to_hex(c.wire), expected);
  EXPECT_EQ(c.core->status(), LinkStatus::running);
  EXPECT_TRUE(c.events.handshake_done);
  ASSERT_TRUE(c.events.gateway);
  EXPECT_EQ(c.events.gateway->id(), 2u);
  auto st = c.core->stats();
  EXPECT_EQ(st.local_objects, 1u);  // our gateway
  EXPECT_EQ(st.peer_objects, 1u);   // S's gateway
  EXPECT_EQ(st.msg_id_gaps, 0u);
  EXPECT_EQ(c.core->peer_hello().licence, "LGPLv3");
  EXPECT_EQ(c.core->peer_hello().url, "https://www.gnu.org/licenses/lgpl.txt");
}

TEST(Handshake, PipelinedPeerStartIsAccepted) {
  CoreEnd c;
  c.core->start();
  feed_hex(c, std::string(kVecLine) + std::string(kRefHello) + "fc02" +
                  "f6030202f602fd02f601f40666696e697368");
  auto entities = c.take_entities();
  ASSERT_EQ(entities.size(), 4u);  // hello, hs object, finish call, finish answer
  EXPECT_EQ(entities[1], vej(R"({"local":"1"})"));
  EXPECT_EQ(entities[2], vej(R"([{"int":"1"},{"int":"1"},[{"remote":"1"},[{"str":"finish"}]]])"));
  EXPECT_EQ(entities[3], vej(R"([{"int":"2"},{"int":"4"},[{"int":"1"},{"local":"2"}]])"));
}

TEST(Handshake, TwoCoresCompleteAndDerefHandshakeObjects) {
  CorePair p;
  p.start();
  p.pump();
  for (CoreEnd* end : {&p.a, &p.b}) {
    EXPECT_EQ(end->core->status(), LinkStatus::running);
    EXPECT_TRUE(end->events.handshake_done);
    ASSERT_TRUE(end->events.gateway);
    EXPECT_EQ(end->events.gateway->id(), 2u);
    auto st = end->core->stats();
    EXPECT_EQ(st.local_objects, 1u);
    EXPECT_EQ(st.peer_objects, 1u);
    EXPECT_EQ(st.messages_sent, 4u);
    EXPECT_EQ(st.msg_id_gaps, 0u);
    auto entities = p.entities_from(*end);
    ASSERT_EQ(entities.size(), 6u);
    // ids 1..4, consecutive, over all message kinds (§5.1)
    for (int i = 2; i < 6; ++i) EXPECT_EQ(id_of(entities[i]), i - 1);
  }
}

TEST(Handshake, ApplicationCallBeforeOwnHandshakeCompletes) {
  // b never answers a's finish, so a's handshake cannot complete; b has a's gateway and
  // calls it anyway (§13.21): a must execute the call.
  auto target = std::make_shared<FnTarget>([](CallRequest& r) { r.responder.result(Entity(7)); });
  LinkConfig a_cfg;
  a_cfg.gateway = target;
  CorePair p(a_cfg, {});
  testing::HandshakeFaults faults;
  faults.answer_finish = false;
  testing::Hooks::set_handshake_faults(*p.b.core, faults);
  p.start();
  p.pump();
  EXPECT_EQ(p.a.core->status(), LinkStatus::handshaking);
  ASSERT_TRUE(p.b.events.gateway);
  std::optional<CallOutcome> got;
  p.b.core->call(p.b.events.gateway, Tuple{Entity("x")}, CallMode::normal,
                 [&](CallOutcome o) { got = std::move(o); });
  p.pump();
  ASSERT_TRUE(got);
  ASSERT_TRUE(got->is_result());
  EXPECT_EQ(got->value(), Entity(7));
  EXPECT_EQ(target->calls, 1);
}

struct BadHello {
  const char* name;
  const char* vej;
};

class BadHelloTest : public ::testing::TestWithParam<BadHello> {};

TEST_P(BadHelloTest, ClosesWithBadHello) {
  CoreEnd c;
  c.core->start();
  feed_hex(c, kVecLine);
  c.core->receive(encode_raw(vej(GetParam().vej)));
  EXPECT_EQ(c.core->status(), LinkStatus::closed);
  ASSERT_TRUE(c.events.closed_reason);
  EXPECT_EQ(*c.events.closed_reason, make_error_code(Errc::bad_hello));
  EXPECT_EQ(c.events.transport_closed, std::optional<bool>(true));
}

INSTANTIATE_TEST_SUITE_P(
    Variants, BadHelloTest,
    ::testing::Values(
        BadHello{"string_name", R"([{"str":"VOL_DRAFT"},[false,null,null],[{"int":"0"},{"int":"8"}]])"},
        BadHello{"wrong_name", R"([{"bytes":"564f4c5f4452414655"},[false,null,null],[{"int":"0"},{"int":"8"}]])"},
        BadHello{"version_0_9", R"([{"bytes":"564f4c5f4452414654"},[false,null,null],[{"int":"0"},{"int":"9"}]])"},
        BadHello{"version_0_8_0", R"([{"bytes":"564f4c5f4452414654"},[false,null,null],[{"int":"0"},{"int":"8"},{"int":"0"}]])"},
        BadHello{"ftp_url", R"([{"bytes":"564f4c5f4452414654"},[true,{"str":"L"},{"str":"ftp://x"}],[{"int":"0"},{"int":"8"}]])"},
        BadHello{"false_with_licence", R"([{"bytes":"564f4c5f4452414654"},[false,{"str":"L"},null],[{"int":"0"},{"int":"8"}]])"},
        BadHello{"copyleft_not_bool", R"([{"bytes":"564f4c5f4452414654"},[null,null,null],[{"int":"0"},{"int":"8"}]])"},
        BadHello{"two_elements", R"([{"bytes":"564f4c5f4452414654"},[false,null,null]])"},
        BadHello{"not_a_tuple", R"({"int":"5"})"},
        BadHello{"reference", R"({"local":"1"})"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Handshake, UpperCaseVopUrlIsAccepted) {
  CoreEnd c;
  c.core->start();
  feed_hex(c, kVecLine);
  c.core->receive(encode_raw(vej(
      R"([{"bytes":"564f4c5f4452414654"},[true,{"str":"MIT"},{"str":"VOP://x/"}],[{"int":"0"},{"int":"8"}]])")));
  EXPECT_EQ(c.core->status(), LinkStatus::handshaking);
  EXPECT_TRUE(c.core->hello_accepted());
}

class BadHandshakeObjectTest : public ::testing::TestWithParam<const char*> {};

TEST_P(BadHandshakeObjectTest, ClosesWithBadHandshakeObject) {
  CoreEnd c;
  c.core->start();
  feed_hex(c, std::string(kVecLine) + std::string(kRefHello));
  c.core->receive(encode_raw(vej(GetParam())));
  ASSERT_TRUE(c.events.closed_reason);
  EXPECT_EQ(*c.events.closed_reason, make_error_code(Errc::bad_handshake_object));
}

INSTANTIATE_TEST_SUITE_P(Variants, BadHandshakeObjectTest,
                         ::testing::Values(R"({"remote":"1"})", R"([{"local":"1"}])",
                                           R"({"int":"1"})", "null"));

// Calls on our handshake object that kill the link (§4.4).
class HandshakeViolationTest : public ::testing::TestWithParam<std::vector<const char*>> {};

TEST_P(HandshakeViolationTest, Closes) {
  CoreEnd c;
  c.core->start();
  feed_hex(c, std::string(kVecLine) + std::string(kRefHello) + "fc02");
  for (const char* m : GetParam()) c.core->receive(encode_raw(vej(m)));
  ASSERT_TRUE(c.events.closed_reason);
  EXPECT_EQ(*c.events.closed_reason, make_error_code(Errc::handshake_violation));
}

INSTANTIATE_TEST_SUITE_P(
    Variants, HandshakeViolationTest,
    ::testing::Values(
        std::vector<const char*>{R"([{"int":"1"},{"int":"1"},[{"remote":"1"},[{"str":"nosuch"}]]])"},
        std::vector<const char*>{R"([{"int":"1"},{"int":"1"},[{"remote":"1"},[null,{"str":"methods"}]]])"},
        std::vector<const char*>{R"([{"int":"1"},{"int":"1"},[{"remote":"1"},[{"str":"keep_alive"},{"int":"0"}]]])"},
        std::vector<const char*>{R"([{"int":"1"},{"int":"1"},[{"remote":"1"},[{"str":"finish"}]]])",
                                 R"([{"int":"2"},{"int":"1"},[{"remote":"1"},[{"str":"finish"}]]])"},
        std::vector<const char*>{R"([{"int":"1"},{"int":"1"},[{"remote":"1"},[{"str":"finish"}]]])",
                                 R"([{"int":"2"},{"int":"1"},[{"remote":"1"},[{"str":"keep_alive"},{"int":"5"}]]])"},
        std::vector<const char*>{R"([{"int":"1"},{"int":"1"},[{"remote":"1"},[{"str":"keep_alive"},{"int":"5"}]]])",
                                 R"([{"int":"2"},{"int":"1"},[{"remote":"1"},[{"str":"keep_alive"},{"int":"5"}]]])"},
        std::vector<const char*>{R"([{"int":"1"},{"int":"3"},[{"remote":"1"},[{"str":"finish"}]]])"},
        std::vector<const char*>{R"([{"int":"1"},{"int":"1"},[{"remote":"1"},[]]])"}));

TEST(Handshake, FinishResultNotAReferenceIsBadGateway) {
  CoreEnd c;
  c.core->start();
  feed_hex(c, std::string(kVecLine) + std::string(kRefHello) + "fc02");
  c.core->receive(encode_raw(vej(R"([{"int":"1"},{"int":"4"},[{"int":"1"},{"int":"2"}]])")));
  ASSERT_TRUE(c.events.closed_reason);
  EXPECT_EQ(*c.events.closed_reason, make_error_code(Errc::bad_gateway));
}

TEST(Handshake, FinishAnsweredWithCallErrorIsBadGateway) {
  CoreEnd c;
  c.core->start();
  feed_hex(c, std::string(kVecLine) + std::string(kRefHello) + "fc02");
  c.core->receive(encode_raw(vej(R"([{"int":"1"},{"int":"6"},{"int":"1"}])")));
  ASSERT_TRUE(c.events.closed_reason);
  EXPECT_EQ(*c.events.closed_reason, make_error_code(Errc::bad_gateway));
}

TEST(Handshake, Unauthorized) {
  LinkConfig cfg;
  cfg.authorize = [](const PeerHello& h) { return h.licence == std::optional<std::string>("OK"); };
  CoreEnd c(cfg);
  c.core->start();
  c.take_output();
  feed_hex(c, std::string(kVecLine) + std::string(kRefHello));
  ASSERT_TRUE(c.events.closed_reason);
  EXPECT_EQ(*c.events.closed_reason, make_error_code(Errc::unauthorized));
  // Unsent output (our hello) is dropped and no handshake object follows (§4.3).
  EXPECT_TRUE(c.take_output().empty());
  EXPECT_EQ(to_hex(c.wire), kVecLine);
}

TEST(Handshake, TimeoutWithFakeClock) {
  auto now = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
  LinkConfig cfg;
  cfg.handshake_timeout = std::chrono::milliseconds(500);
  cfg.clock = [&now] { return now; };
  CoreEnd c(cfg);
  c.core->start();
  EXPECT_EQ(c.events.timer, now + std::chrono::milliseconds(500));
  c.core->on_timer(now + std::chrono::milliseconds(499));
  EXPECT_EQ(c.core->status(), LinkStatus::handshaking);
  c.core->on_timer(now + std::chrono::milliseconds(500));
  ASSERT_TRUE(c.events.closed_reason);
  EXPECT_EQ(*c.events.closed_reason, make_error_code(Errc::handshake_timeout));
  EXPECT_EQ(c.events.timer, LinkCoreEvents::time_point::max());
}

TEST(Handshake, DeferredFinishAnswerWaitsForOurKeepAliveNegotiation) {
  // With a keep-alive request pending, the peer's finish() is answered only after the grant.
  LinkConfig cfg;
  cfg.keep_alive_request = std::chrono::milliseconds(1000);
  CoreEnd c(cfg);
  c.core->start();
  feed_hex(c, std::string(kVecLine) + std::string(kRefHello) + "fc02" +
                  "f6030202f602fd02f601f40666696e697368");  // peer finish call
  auto out = c.take_entities();
  ASSERT_EQ(out.size(), 3u);  // hello, hs object, keep_alive call — no finish answer yet
  EXPECT_EQ(to_hex(encode_raw(out[2])), "f6030202f602fd02f602f40aeff802036b6565705f616c697665");
  c.core->receive(encode_raw(vej(R"([{"int":"2"},{"int":"4"},[{"int":"1"},{"int":"1000"}]])")));
  out = c.take_entities();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0], vej(R"([{"int":"2"},{"int":"4"},[{"int":"1"},{"local":"2"}]])"));
  EXPECT_EQ(out[1], vej(R"([{"int":"3"},{"int":"1"},[{"remote":"1"},[{"str":"finish"}]]])"));
}

}  // namespace
}  // namespace versile::link::test
