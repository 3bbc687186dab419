// VOP negotiation table (link.md §3.3): every accept and reject case, as server and as client.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <system_error>

#include "io/vop_negotiation.hpp"

namespace versile::io {
namespace {

std::span<const std::uint8_t> bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

std::string to_hex(std::string_view s) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

constexpr std::string_view kPlainRequest = "VOP_DRAFT-0.8 TRANSPORTS:PLAIN\n";
constexpr std::string_view kPlainAnswer = "VOP_DRAFT-0.8 USE_TRANSPORT:PLAIN\n";
constexpr std::string_view kVecLine = "VEC_DRAFT-0.8-utf8\n";

// ---------------------------------------------------------------- server side

struct ServerCase {
  std::string name;
  std::string input;
  VopTransportSet enabled;
  std::error_code error;  // empty: accepted
  VopTransport chosen = VopTransport::plain;
  friend void PrintTo(const ServerCase& c, std::ostream* os) { *os << c.name; }
};

class VopServerTable : public ::testing::TestWithParam<ServerCase> {};

TEST_P(VopServerTable, DecidesLikeTheReference) {
  const auto& c = GetParam();
  VopServerNegotiation server(c.enabled);
  const auto r = server.feed(bytes(c.input));
  if (c.error) {
    EXPECT_EQ(r.status, VopFeedResult::Status::error);
    EXPECT_EQ(r.error, c.error) << r.error.message();
  } else {
    ASSERT_EQ(r.status, VopFeedResult::Status::done) << r.error.message();
    EXPECT_EQ(r.consumed, c.input.size());
    EXPECT_EQ(server.chosen(), c.chosen);
    EXPECT_EQ(server.answer_line(),
              std::string(kVopAnswerPrefix) + std::string(to_string(c.chosen)) + "\n");
  }
}

const VopTransportSet kPlainOnly{VopTransport::plain};
const VopTransportSet kAll{VopTransport::vts, VopTransport::tls, VopTransport::plain};

INSTANTIATE_TEST_SUITE_P(
    Cases, VopServerTable,
    ::testing::Values(
        ServerCase{"plain", "VOP_DRAFT-0.8 TRANSPORTS:PLAIN\n", kPlainOnly, {}},
        ServerCase{"all_offered_plain_only_enabled", "VOP_DRAFT-0.8 TRANSPORTS:VTS:TLS:PLAIN\n",
                   kPlainOnly, {}},
        ServerCase{"client_order_irrelevant", "VOP_DRAFT-0.8 TRANSPORTS:PLAIN:TLS\n", kPlainOnly, {}},
        ServerCase{"prefers_vts", "VOP_DRAFT-0.8 TRANSPORTS:PLAIN:TLS:VTS\n", kAll, {},
                   VopTransport::vts},
        ServerCase{"prefers_tls_over_plain", "VOP_DRAFT-0.8 TRANSPORTS:PLAIN:TLS\n", kAll, {},
                   VopTransport::tls},
        ServerCase{"only_enabled_counts", "VOP_DRAFT-0.8 TRANSPORTS:VTS:PLAIN\n",
                   VopTransportSet{VopTransport::tls, VopTransport::plain}, {}},
        ServerCase{"vts_to_plain_server", "VOP_DRAFT-0.8 TRANSPORTS:VTS\n", kPlainOnly,
                   VopErrc::no_common_transport},
        ServerCase{"tls_to_plain_server", "VOP_DRAFT-0.8 TRANSPORTS:TLS\n", kPlainOnly,
                   VopErrc::no_common_transport},
        ServerCase{"vts_tls_to_plain_server", "VOP_DRAFT-0.8 TRANSPORTS:VTS:TLS\n", kPlainOnly,
                   VopErrc::no_common_transport},
        ServerCase{"repeated", "VOP_DRAFT-0.8 TRANSPORTS:PLAIN:PLAIN\n", kPlainOnly,
                   VopErrc::duplicate_transport},
        ServerCase{"unknown_token", "VOP_DRAFT-0.8 TRANSPORTS:FOO:PLAIN\n", kPlainOnly,
                   VopErrc::bad_transport_token},
        ServerCase{"lower_case", "VOP_DRAFT-0.8 TRANSPORTS:plain\n", kPlainOnly,
                   VopErrc::bad_transport_token},
        ServerCase{"empty_list", "VOP_DRAFT-0.8 TRANSPORTS:\n", kPlainOnly,
                   VopErrc::empty_transport_list},
        ServerCase{"trailing_colon", "VOP_DRAFT-0.8 TRANSPORTS:PLAIN:\n", kPlainOnly,
                   VopErrc::bad_transport_token},
        ServerCase{"double_colon", "VOP_DRAFT-0.8 TRANSPORTS::PLAIN\n", kPlainOnly,
                   VopErrc::bad_transport_token},
        ServerCase{"no_colon", "VOP_DRAFT-0.8 TRANSPORTS\n", kPlainOnly, VopErrc::bad_prefix},
        ServerCase{"version_0_9", "VOP_DRAFT-0.9 TRANSPORTS:PLAIN\n", kPlainOnly,
                   VopErrc::bad_prefix},
        ServerCase{"lower_case_prefix", "vop_draft-0.8 TRANSPORTS:PLAIN\n", kPlainOnly,
                   VopErrc::bad_prefix},
        ServerCase{"leading_space", " VOP_DRAFT-0.8 TRANSPORTS:PLAIN\n", kPlainOnly,
                   VopErrc::bad_prefix},
        ServerCase{"crlf", "VOP_DRAFT-0.8 TRANSPORTS:PLAIN\r\n", kPlainOnly,
                   VopErrc::bad_transport_token},
        ServerCase{"trailing_space", "VOP_DRAFT-0.8 TRANSPORTS:PLAIN \n", kPlainOnly,
                   VopErrc::bad_transport_token},
        ServerCase{"empty_line", "\n", kPlainOnly, VopErrc::bad_prefix},
        ServerCase{"64_bytes_without_lf", std::string(64, 'A'), kPlainOnly,
                   VopErrc::line_too_long},
        ServerCase{"63_bytes_then_lf_is_complete_line", std::string(63, 'A') + "\n", kPlainOnly,
                   VopErrc::bad_prefix},
        ServerCase{"64_bytes_then_lf", std::string(64, 'A') + "\n", kPlainOnly,
                   VopErrc::line_too_long},
        ServerCase{"padded_to_64_with_lf",
                   "VOP_DRAFT-0.8 TRANSPORTS:PLAIN" + std::string(34, ':') + "\n", kPlainOnly,
                   VopErrc::line_too_long},
        ServerCase{"nothing_enabled", "VOP_DRAFT-0.8 TRANSPORTS:PLAIN\n", VopTransportSet{},
                   VopErrc::no_transport_enabled}),
    [](const auto& info) { return info.param.name; });

TEST(VopServer, PlainAnswerBytesAreTheReferenceBytes) {
  VopServerNegotiation server;
  ASSERT_EQ(server.feed(bytes(kPlainRequest)).status, VopFeedResult::Status::done);
  EXPECT_EQ(to_hex(server.answer_line()),
            "564f505f44524146542d302e38205553455f5452414e53504f52543a504c41494e0a");
}

TEST(VopServer, KeepsBytesAfterTheLf) {
  // A PLAIN-only Py server tolerates a client that pipelines its VEC line; so do we.
  const std::string input = std::string(kPlainRequest) + std::string(kVecLine);
  VopServerNegotiation server;
  const auto r = server.feed(bytes(input));
  ASSERT_EQ(r.status, VopFeedResult::Status::done);
  EXPECT_EQ(r.consumed, kPlainRequest.size());
  EXPECT_EQ(input.substr(r.consumed), kVecLine);
}

TEST(VopServer, AcceptsTheLineOneByteAtATime) {
  VopServerNegotiation server;
  for (std::size_t i = 0; i < kPlainRequest.size(); ++i) {
    const auto r = server.feed(bytes(kPlainRequest.substr(i, 1)));
    ASSERT_EQ(r.consumed, 1u);
    ASSERT_EQ(r.status, i + 1 == kPlainRequest.size() ? VopFeedResult::Status::done
                                                      : VopFeedResult::Status::need_more);
  }
  EXPECT_EQ(server.chosen(), VopTransport::plain);
}

TEST(VopServer, RejectsOverlongLineSplitAcrossFeeds) {
  VopServerNegotiation server;
  EXPECT_EQ(server.feed(bytes(std::string(40, 'V'))).status, VopFeedResult::Status::need_more);
  const auto r = server.feed(bytes(std::string(24, 'V')));
  EXPECT_EQ(r.status, VopFeedResult::Status::error);
  EXPECT_EQ(r.error, VopErrc::line_too_long);
}

TEST(VopServer, StaysFailedAndDoneWithoutConsuming) {
  VopServerNegotiation bad;
  ASSERT_EQ(bad.feed(bytes("junk\n")).status, VopFeedResult::Status::error);
  const auto again = bad.feed(bytes(kPlainRequest));
  EXPECT_EQ(again.status, VopFeedResult::Status::error);
  EXPECT_EQ(again.consumed, 0u);

  VopServerNegotiation good;
  ASSERT_EQ(good.feed(bytes(kPlainRequest)).status, VopFeedResult::Status::done);
  const auto more = good.feed(bytes(kVecLine));
  EXPECT_EQ(more.status, VopFeedResult::Status::done);
  EXPECT_EQ(more.consumed, 0u);
}

// ---------------------------------------------------------------- client side

TEST(VopClient, RequestLinesInFixedOrder) {
  EXPECT_EQ(VopClientNegotiation{}.request_line(), kPlainRequest);
  EXPECT_EQ(to_hex(VopClientNegotiation{}.request_line()),
            "564f505f44524146542d302e38205452414e53504f5254533a504c41494e0a");
  EXPECT_EQ(VopClientNegotiation(VopTransportSet{VopTransport::plain, VopTransport::vts,
                                                 VopTransport::tls})
                .request_line(),
            "VOP_DRAFT-0.8 TRANSPORTS:VTS:TLS:PLAIN\n");
  EXPECT_EQ(VopClientNegotiation(VopTransportSet{VopTransport::plain, VopTransport::tls})
                .request_line(),
            "VOP_DRAFT-0.8 TRANSPORTS:TLS:PLAIN\n");
}

TEST(VopClient, NothingOfferedIsAConfigurationError) {
  VopClientNegotiation client{VopTransportSet{}};
  try {
    (void)client.request_line();
    FAIL() << "expected std::system_error";
  } catch (const std::system_error& e) {
    EXPECT_EQ(e.code(), VopErrc::no_transport_enabled);
  }
}

struct ClientCase {
  std::string name;
  std::string input;
  std::error_code error;
  friend void PrintTo(const ClientCase& c, std::ostream* os) { *os << c.name; }
};

class VopClientTable : public ::testing::TestWithParam<ClientCase> {};

TEST_P(VopClientTable, PlainOnlyClientDecides) {
  const auto& c = GetParam();
  VopClientNegotiation client;
  const auto r = client.feed(bytes(c.input));
  if (c.error) {
    EXPECT_EQ(r.status, VopFeedResult::Status::error);
    EXPECT_EQ(r.error, c.error) << r.error.message();
  } else {
    ASSERT_EQ(r.status, VopFeedResult::Status::done) << r.error.message();
    EXPECT_EQ(client.chosen(), VopTransport::plain);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, VopClientTable,
    ::testing::Values(
        ClientCase{"plain", "VOP_DRAFT-0.8 USE_TRANSPORT:PLAIN\n", {}},
        ClientCase{"vts_not_offered", "VOP_DRAFT-0.8 USE_TRANSPORT:VTS\n",
                   VopErrc::transport_not_offered},
        ClientCase{"tls_not_offered", "VOP_DRAFT-0.8 USE_TRANSPORT:TLS\n",
                   VopErrc::transport_not_offered},
        ClientCase{"junk", "HTTP/1.1 400 Bad Request\n", VopErrc::bad_prefix},
        ClientCase{"request_echoed_back", "VOP_DRAFT-0.8 TRANSPORTS:PLAIN\n", VopErrc::bad_prefix},
        ClientCase{"version_0_9", "VOP_DRAFT-0.9 USE_TRANSPORT:PLAIN\n", VopErrc::bad_prefix},
        ClientCase{"lower_case", "VOP_DRAFT-0.8 USE_TRANSPORT:plain\n",
                   VopErrc::bad_transport_token},
        ClientCase{"two_transports", "VOP_DRAFT-0.8 USE_TRANSPORT:PLAIN:VTS\n",
                   VopErrc::bad_transport_token},
        ClientCase{"empty", "VOP_DRAFT-0.8 USE_TRANSPORT:\n", VopErrc::bad_transport_token},
        ClientCase{"crlf", "VOP_DRAFT-0.8 USE_TRANSPORT:PLAIN\r\n", VopErrc::bad_transport_token},
        ClientCase{"64_bytes_without_lf", std::string(64, 'x'), VopErrc::line_too_long},
        ClientCase{"64_bytes_then_lf", std::string(64, 'x') + "\n", VopErrc::line_too_long}),
    [](const auto& info) { return info.param.name; });

TEST(VopClient, KeepsTheServersVecLineAfterTheLf) {
  // The reference server sends USE_TRANSPORT and its VEC line in one segment (§3.3 step 4).
  const std::string input = std::string(kPlainAnswer) + std::string(kVecLine);
  VopClientNegotiation client;
  const auto r = client.feed(bytes(input));
  ASSERT_EQ(r.status, VopFeedResult::Status::done);
  EXPECT_EQ(r.consumed, kPlainAnswer.size());
  EXPECT_EQ(input.substr(r.consumed), kVecLine);
}

TEST(VopClient, AcceptsAnswerSplitAnywhere) {
  const std::string input = std::string(kPlainAnswer) + std::string(kVecLine);
  for (std::size_t split = 1; split < kPlainAnswer.size(); ++split) {
    VopClientNegotiation client;
    auto r1 = client.feed(bytes(std::string_view(input).substr(0, split)));
    ASSERT_EQ(r1.status, VopFeedResult::Status::need_more);
    ASSERT_EQ(r1.consumed, split);
    auto r2 = client.feed(bytes(std::string_view(input).substr(split)));
    ASSERT_EQ(r2.status, VopFeedResult::Status::done) << split;
    EXPECT_EQ(split + r2.consumed, kPlainAnswer.size());
  }
}

TEST(VopClient, FullSetClientAcceptsEachOfferedTransport) {
  const VopTransportSet all{VopTransport::vts, VopTransport::tls, VopTransport::plain};
  for (auto t : {VopTransport::vts, VopTransport::tls, VopTransport::plain}) {
    VopClientNegotiation client(all);
    const std::string line = std::string(kVopAnswerPrefix) + std::string(to_string(t)) + "\n";
    ASSERT_EQ(client.feed(bytes(line)).status, VopFeedResult::Status::done);
    EXPECT_EQ(client.chosen(), t);
  }
}

TEST(VopErrors, HaveACategoryAndMessages) {
  const std::error_code ec = VopErrc::no_common_transport;
  EXPECT_STREQ(ec.category().name(), "vpstream.vop");
  EXPECT_FALSE(ec.message().empty());
}

}  // namespace
}  // namespace versile::io
