// A hostile peer fed as raw bytes: every structural error ends in a typed, forced teardown
// (link.md §5.3, §10, §13 note 18), never a hang.
#include <gtest/gtest.h>

#include "core_harness.hpp"

namespace versile::link::test {
namespace {

void expect_forced_close(CoreEnd& c, std::error_code expected) {
  EXPECT_EQ(c.core->status(), LinkStatus::closed);
  ASSERT_TRUE(c.events.closed_reason);
  EXPECT_EQ(*c.events.closed_reason, expected) << c.events.closed_reason->message();
  EXPECT_EQ(c.events.transport_closed, std::optional<bool>(true));
  EXPECT_EQ(c.events.closed_count, 1);
  EXPECT_FALSE(c.core->has_output());
  // Input after the teardown is ignored.
  c.core->receive(hex_bytes("f8f8f8ff"));
  c.core->receive_eof();
  EXPECT_EQ(c.events.closed_count, 1);
}

struct RawCase {
  const char* name;
  std::string hex;  // fed after the VEC line
  std::error_code expected;
};

std::string start_hex() { return std::string(kPeerStartHex).substr(38); }  // without VEC line

class HostileBytes : public ::testing::TestWithParam<RawCase> {};

TEST_P(HostileBytes, TypedTeardown) {
  CoreEnd c;
  c.core->start();
  c.core->receive(hex_bytes(std::string(kPeerStartHex).substr(0, 38)));
  c.core->receive(hex_bytes(GetParam().hex));
  c.drain();
  expect_forced_close(c, GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, HostileBytes,
    ::testing::Values(
        RawCase{"garbage_after_header", "ff", codec::Errc::bad_type_code},
        RawCase{"garbage_hello_tuple", "f601ff", codec::Errc::bad_type_code},
        RawCase{"oversized_length_prefix", "f3ff0a0102030405060708090a", codec::Errc::entity_too_large},
        RawCase{"oversized_tuple_count", "f6fe0fffffffffffffffff", codec::Errc::too_many_elements},
        RawCase{"unknown_object_id",
                start_hex() + "f6030202f602fd0cf601f40178" /* call on our id 6 */,
                codec::Errc::unknown_remote_id},
        RawCase{"target_is_senders_object",
                start_hex() + "f6030202f602fc0cf601f40178", Errc::call_target_not_local},
        RawCase{"target_is_int", start_hex() + "f6030202f60201f601f40178", Errc::malformed_message},
        RawCase{"args_not_tuple", start_hex() + "f6030202f602fd02f40178", Errc::malformed_message},
        RawCase{"call_payload_not_tuple", start_hex() + "f603020202", Errc::malformed_message},
        RawCase{"message_not_tuple", start_hex() + "02", Errc::malformed_message},
        RawCase{"message_two_elements", start_hex() + "f6020202", Errc::malformed_message},
        RawCase{"msg_id_not_int", start_hex() + "f603f80202", Errc::malformed_message},
        RawCase{"code_not_int", start_hex() + "f60302f802", Errc::malformed_message},
        RawCase{"code_zero", start_hex() + "f603020102", Errc::unknown_message_code},
        RawCase{"code_ten", start_hex() + "f603020b02", Errc::unknown_message_code},
        RawCase{"result_payload_not_tuple", start_hex() + "f603020502", Errc::malformed_message},
        RawCase{"error_payload_not_int", start_hex() + "f6030207f8", Errc::malformed_message},
        RawCase{"confirm_payload_not_int", start_hex() + "f6030209f8", Errc::malformed_message},
        RawCase{"keep_alive_payload", start_hex() + "f603020a02", Errc::bad_keep_alive}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Hostile, BadVecLine) {
  for (const char* line : {"VEC_DRAFT-0.9-utf8\n", "VEC_DRAFT-0.8-latin1\n", "VOL_DRAFT-0.8\n",
                           "VEC_DRAFT-0.8-utf8-x\n", "VEC_DRAFT-0.8-utf8-0123456789012345\n"}) {
    CoreEnd c;
    c.core->start();
    std::string s(line);
    c.core->receive({reinterpret_cast<const std::uint8_t*>(s.data()), s.size()});
    expect_forced_close(c, codec::Errc::bad_vec_header);
  }
}

TEST(Hostile, LineWithoutNewlineIsBoundedBy32Bytes) {
  CoreEnd c;
  c.core->start();
  std::vector<std::uint8_t> junk(32, 'A');
  c.core->receive(junk);
  expect_forced_close(c, codec::Errc::bad_vec_header);
}

TEST(Hostile, F4StringWithoutPeerCodec) {
  CoreEnd c;
  c.core->start();
  std::string line = "VEC_DRAFT-0.8\n";
  c.core->receive({reinterpret_cast<const std::uint8_t*>(line.data()), line.size()});
  // hello with f4 strings
  c.core->receive(hex_bytes(std::string(kPeerStartHex).substr(38, 134)));
  expect_forced_close(c, codec::Errc::no_peer_codec);
}

TEST(Hostile, TruncatedHandshakeThenEof) {
  auto full = hex_bytes(kPeerStartHex);
  for (std::size_t cut : {5u, 19u + 10u, 19u + 66u}) {
    CoreEnd c;
    c.core->start();
    c.core->receive(std::span(full).first(cut));
    c.core->receive_eof();
    expect_forced_close(c, codec::Errc::truncated);
  }
}

TEST(Hostile, EofMidMessage) {
  CoreEnd c;
  raw_handshake(c);
  c.core->receive(hex_bytes("f6030302f602fd04"));
  c.core->receive_eof();
  expect_forced_close(c, codec::Errc::truncated);
}

TEST(Hostile, IdGapsAndDuplicatesAreAcceptedAndCounted) {
  auto gw = std::make_shared<FnTarget>([](CallRequest& r) { r.responder.result(Entity(1)); });
  LinkConfig cfg;
  cfg.gateway = gw;
  CoreEnd c(cfg);
  raw_handshake(c);
  for (const char* id : {"1000", "1000", "0", "-5"}) {
    c.core->receive(encode_raw(vej(std::string(R"([{"int":")") + id +
                                   R"("},{"int":"1"},[{"remote":"2"},[{"str":"x"}]]])")));
  }
  c.drain();
  EXPECT_EQ(c.core->status(), LinkStatus::running);
  EXPECT_EQ(c.core->stats().msg_id_gaps, 4u);
  auto out = c.take_entities();
  ASSERT_EQ(out.size(), 4u);
  // Every call is answered quoting its own (odd) id; our ids stay consecutive.
  EXPECT_EQ(out[0], vej(R"([{"int":"4"},{"int":"4"},[{"int":"1000"},{"int":"1"}]])"));
  EXPECT_EQ(out[1], vej(R"([{"int":"5"},{"int":"4"},[{"int":"1000"},{"int":"1"}]])"));
  EXPECT_EQ(out[2], vej(R"([{"int":"6"},{"int":"4"},[{"int":"0"},{"int":"1"}]])"));
  EXPECT_EQ(out[3], vej(R"([{"int":"7"},{"int":"4"},[{"int":"-5"},{"int":"1"}]])"));
}

TEST(Hostile, TooManyPendingIncomingCalls) {
  auto gw = std::make_shared<FnTarget>();  // never answers
  LinkConfig cfg;
  cfg.gateway = gw;
  cfg.max_pending_incoming_calls = 3;
  CoreEnd c(cfg);
  raw_handshake(c);
  for (int i = 0; i < 4; ++i) {
    c.core->receive(encode_raw(vej("[{\"int\":\"" + std::to_string(3 + i) +
                                   R"("},{"int":"1"},[{"remote":"2"},[{"str":"x"}]]])")));
  }
  expect_forced_close(c, Errc::too_many_pending_calls);
}

TEST(Hostile, MessageSizeLimitIsConfigurable) {
  LinkConfig cfg;
  cfg.limits.max_entity_bytes = 100;
  CoreEnd c(cfg);
  raw_handshake(c);
  c.core->receive(encode_raw(Entity(Tuple{Entity(3), Entity(9), Entity(Bytes(std::string(200, 'x')))})));
  expect_forced_close(c, codec::Errc::entity_too_large);
}

TEST(Hostile, ByteByByteFeedingGivesSameResult) {
  auto gw = std::make_shared<FnTarget>([](CallRequest& r) { r.responder.result(r.args); });
  LinkConfig cfg;
  cfg.gateway = gw;
  CoreEnd whole(cfg), split(cfg);
  auto input = hex_bytes(kPeerStartHex);
  auto call = encode_raw(vej(R"([{"int":"2"},{"int":"1"},[{"remote":"2"},[{"str":"echo"},{"bytes":"00ff"},{"str":"h\u00e9"}]]])"));
  input.insert(input.end(), call.begin(), call.end());
  whole.core->start();
  split.core->start();
  whole.core->receive(input);
  for (auto b : input) split.core->receive(std::span(&b, 1));
  whole.drain();
  split.drain();
  EXPECT_EQ(whole.take_output(), split.take_output());
  EXPECT_EQ(gw->calls, 2);
}

}  // namespace
}  // namespace versile::link::test
