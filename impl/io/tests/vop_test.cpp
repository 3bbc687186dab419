// VOP PLAIN over 127.0.0.1 TCP (link.md §3.3): our client against our server, each of them
// against a raw peer that misbehaves, URL parsing.
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <future>
#include <string>
#include <thread>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "io/vop.hpp"
#include "test_gateway.hpp"

namespace versile::io {
namespace {

using namespace std::chrono_literals;
using boost::asio::ip::tcp;
using testing::RecordingTap;
using testing::TestGateway;

std::string url_of(std::uint16_t port) { return "vop://127.0.0.1:" + std::to_string(port) + "/"; }

// Everything a raw TCP peer reads until EOF (bounded by a receive timeout).
std::string read_until_eof(tcp::socket& s) {
  timeval tv{5, 0};
  ::setsockopt(s.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string out;
  std::array<char, 256> buf{};
  boost::system::error_code ec;
  while (true) {
    const std::size_t n = s.read_some(boost::asio::buffer(buf), ec);
    out.append(buf.data(), n);
    if (ec) break;
  }
  EXPECT_EQ(ec, boost::asio::error::eof) << ec.message();
  return out;
}

TEST(Vop, EndToEndOverTcp) {
  VopServerOptions options;
  std::atomic<int> connections{0};
  options.on_connection = [&](const std::shared_ptr<Connection>&) { ++connections; };
  VopServer server(options, [] { return std::make_shared<TestGateway>(); });
  ASSERT_NE(server.port(), 0);

  auto tap = std::make_shared<RecordingTap>();
  VopConnectOptions copts;
  copts.connection.wrap = tap_wrapper(tap);
  copts.timeout = 10s;
  auto conn = vop_connect(url_of(server.port()), nullptr, copts);
  Proxy gw = conn->peer_gw(10s);
  EXPECT_EQ(gw.call("echo", "ping"), Entity("ping"));
  EXPECT_EQ(gw.call("add", 2, 3), Entity(5));
  EXPECT_EQ(connections.load(), 1);
  EXPECT_EQ(server.connections().size(), 1u);

  // The exact negotiation bytes, and the server's answer arrives together with its VEC line
  // (the client must keep what follows the LF).
  const std::string request = "VOP_DRAFT-0.8 TRANSPORTS:PLAIN\nVEC_DRAFT-0.8-utf8\n";
  const std::string answer = "VOP_DRAFT-0.8 USE_TRANSPORT:PLAIN\nVEC_DRAFT-0.8-utf8\n";
  EXPECT_EQ(tap->stream(TapDirection::sent).substr(0, request.size()), request);
  EXPECT_EQ(tap->stream(TapDirection::received).substr(0, answer.size()), answer);
  const auto events = tap->events();
  const auto first_in = std::find_if(events.begin(), events.end(), [](const auto& e) {
    return e.dir == TapDirection::received;
  });
  ASSERT_NE(first_in, events.end());
  EXPECT_GE(first_in->bytes.size(), answer.size()) << "answer and VEC line in one segment";

  conn->shutdown();
  EXPECT_TRUE(conn->wait_closed(10s));
  for (int i = 0; i < 100 && !server.connections().empty(); ++i) std::this_thread::sleep_for(20ms);
  EXPECT_TRUE(server.connections().empty());
}

TEST(Vop, ServerCarriesOnWhenAClientPipelinesItsVecLine) {
  VopServer server({}, [] { return std::make_shared<TestGateway>(); });
  boost::asio::io_context io;
  tcp::socket s(io);
  s.connect(server.local_endpoint());
  boost::asio::write(s, boost::asio::buffer(std::string("VOP_DRAFT-0.8 TRANSPORTS:PLAIN\nVEC_DRAFT-0.8-utf8\n")));
  std::string got(53, '\0');
  boost::asio::read(s, boost::asio::buffer(got));
  EXPECT_EQ(got, "VOP_DRAFT-0.8 USE_TRANSPORT:PLAIN\nVEC_DRAFT-0.8-utf8\n");
  // The server took our VEC line: its hello follows (it only sends the hello once it has it).
  std::array<std::uint8_t, 2> hello_start{};
  boost::asio::read(s, boost::asio::buffer(hello_start));
  EXPECT_EQ(hello_start[0], 0xf6);
  EXPECT_EQ(hello_start[1], 0x03);
}

struct Refusal {
  std::string name;
  std::string line;
  VopErrc reason;
  friend void PrintTo(const Refusal& c, std::ostream* os) { *os << c.name; }
};

class VopServerRefuses : public ::testing::TestWithParam<Refusal> {};

TEST_P(VopServerRefuses, ByClosingWithoutAWord) {
  std::promise<std::error_code> refused;
  VopServerOptions options;
  options.negotiation_timeout = 500ms;
  options.on_refused = [&](std::error_code ec) { refused.set_value(ec); };
  VopServer server(options, [] { return std::make_shared<TestGateway>(); });
  boost::asio::io_context io;
  tcp::socket s(io);
  s.connect(server.local_endpoint());
  if (!GetParam().line.empty()) boost::asio::write(s, boost::asio::buffer(GetParam().line));
  EXPECT_EQ(read_until_eof(s), "");
  auto f = refused.get_future();
  ASSERT_EQ(f.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(f.get(), GetParam().reason);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, VopServerRefuses,
    ::testing::Values(Refusal{"vts_only", "VOP_DRAFT-0.8 TRANSPORTS:VTS\n", VopErrc::no_common_transport},
                      Refusal{"tls_only", "VOP_DRAFT-0.8 TRANSPORTS:TLS\n", VopErrc::no_common_transport},
                      Refusal{"repeated", "VOP_DRAFT-0.8 TRANSPORTS:PLAIN:PLAIN\n", VopErrc::duplicate_transport},
                      Refusal{"unknown", "VOP_DRAFT-0.8 TRANSPORTS:FOO:PLAIN\n", VopErrc::bad_transport_token},
                      Refusal{"lower_case", "VOP_DRAFT-0.8 TRANSPORTS:plain\n", VopErrc::bad_transport_token},
                      Refusal{"empty", "VOP_DRAFT-0.8 TRANSPORTS:\n", VopErrc::empty_transport_list},
                      Refusal{"version", "VOP_DRAFT-0.9 TRANSPORTS:PLAIN\n", VopErrc::bad_prefix},
                      Refusal{"crlf", "VOP_DRAFT-0.8 TRANSPORTS:PLAIN\r\n", VopErrc::bad_transport_token},
                      Refusal{"no_lf_in_64", std::string(64, 'V'), VopErrc::line_too_long},
                      Refusal{"silent_client", "", VopErrc::timeout},
                      Refusal{"half_line_then_silence", "VOP_DRAFT-0.8 TRANS", VopErrc::timeout}),
    [](const auto& info) { return info.param.name; });

TEST(Vop, ServerNotesAClientThatLeavesEarly) {
  std::promise<std::error_code> refused;
  VopServerOptions options;
  options.on_refused = [&](std::error_code ec) { refused.set_value(ec); };
  VopServer server(options, nullptr);
  {
    boost::asio::io_context io;
    tcp::socket s(io);
    s.connect(server.local_endpoint());
    boost::asio::write(s, boost::asio::buffer(std::string("VOP_DRAFT")));
    s.shutdown(tcp::socket::shutdown_send);
    EXPECT_EQ(read_until_eof(s), "");
  }
  auto f = refused.get_future();
  ASSERT_EQ(f.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(f.get(), VopErrc::peer_closed);
}

// A raw VOP server that answers with `answer` and records what the client sent.
struct RawServer {
  boost::asio::io_context io;
  tcp::acceptor acceptor{io, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)};
  std::future<std::string> received;

  explicit RawServer(std::string answer) {
    received = std::async(std::launch::async, [this, answer] {
      tcp::socket s(io);
      acceptor.accept(s);
      std::string line(31, '\0');
      boost::asio::read(s, boost::asio::buffer(line));
      if (!answer.empty()) boost::asio::write(s, boost::asio::buffer(answer));
      return line + read_until_eof(s);
    });
  }
  std::uint16_t port() const { return acceptor.local_endpoint().port(); }
};

TEST(VopClient, ClosesOnAnswersItCannotUse) {
  for (const auto& [answer, reason] :
       std::vector<std::pair<std::string, VopErrc>>{
           {"VOP_DRAFT-0.8 USE_TRANSPORT:VTS\n", VopErrc::transport_not_offered},
           {"VOP_DRAFT-0.8 USE_TRANSPORT:TLS\n", VopErrc::transport_not_offered},
           {"HTTP/1.0 400 Bad Request\r\n", VopErrc::bad_prefix},
           {std::string(64, 'x'), VopErrc::line_too_long},
           {"VOP_DRAFT-0.8 USE_TRAN", VopErrc::timeout}}) {
    RawServer raw(answer);
    VopConnectOptions options;
    options.timeout = 1s;
    try {
      vop_connect(url_of(raw.port()), nullptr, options);
      ADD_FAILURE() << "accepted " << answer;
    } catch (const VopError& e) {
      EXPECT_EQ(e.code(), reason) << answer << ": " << e.what();
    }
    ASSERT_EQ(raw.received.wait_for(10s), std::future_status::ready);
    // The client offered PLAIN only, and sent nothing else before closing.
    EXPECT_EQ(raw.received.get(), "VOP_DRAFT-0.8 TRANSPORTS:PLAIN\n");
  }
}

TEST(VopClient, ServerClosingDuringNegotiationIsPeerClosed) {
  boost::asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  auto srv = std::async(std::launch::async, [&] {
    tcp::socket s(io);
    acceptor.accept(s);
    std::string line(31, '\0');
    boost::asio::read(s, boost::asio::buffer(line));
    s.close();
  });
  VopConnectOptions options;
  options.timeout = 5s;
  try {
    vop_connect(url_of(acceptor.local_endpoint().port()), nullptr, options);
    FAIL() << "expected VopError";
  } catch (const VopError& e) {
    EXPECT_EQ(e.code(), VopErrc::peer_closed) << e.what();
  }
  srv.get();
}

TEST(VopClient, ConnectionRefusedIsAnOsError) {
  boost::asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  const auto port = acceptor.local_endpoint().port();
  acceptor.close();
  try {
    vop_connect(url_of(port), nullptr);
    FAIL() << "expected VopError";
  } catch (const VopError& e) {
    EXPECT_EQ(e.code(), std::errc::connection_refused) << e.what();
  }
}

TEST(VopClient, BadUrls) {
  for (const char* url : {"http://127.0.0.1:1/", "vop://", "vop://:4433/", "vop://h:0/",
                          "vop://h:65536/", "vop://h:x/", "vop://[::1/", "vop://h:/"}) {
    try {
      vop_connect(url, nullptr);
      ADD_FAILURE() << url;
    } catch (const VopError& e) {
      EXPECT_EQ(e.code(), VopErrc::bad_url) << url;
    }
  }
}

TEST(VopUrl, Parses) {
  auto u = VopUrl::parse("vop://example.org/");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "example.org");
  EXPECT_EQ(u->port, 4433);
  EXPECT_TRUE(u->path.empty());
  u = VopUrl::parse("vop://127.0.0.1:5000");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->port, 5000);
  u = VopUrl::parse("vop://[::1]:7/a/b%20c/");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, 7);
  EXPECT_EQ(u->path, (std::vector<std::string>{"a", "b c"}));
  EXPECT_FALSE(VopUrl::parse("vop://h/a%2"));
  EXPECT_FALSE(VopUrl::parse("vop://h/a?x=1"));
}

TEST(VopServer, StopEndsConnectionsAndListening) {
  auto server = std::make_unique<VopServer>(VopServerOptions{}, [] {
    return std::make_shared<TestGateway>();
  });
  const auto port = server->port();
  auto conn = vop_connect(url_of(port), nullptr);
  EXPECT_EQ(conn->peer_gw(10s).call("add", 1, 2), Entity(3));
  server->stop();
  EXPECT_TRUE(conn->wait_closed(10s));
  server.reset();
  VopConnectOptions options;
  options.timeout = 2s;
  EXPECT_THROW(vop_connect(url_of(port), nullptr, options), VopError);
}

TEST(VopServer, PortInUseIsAnOsError) {
  VopServer first({}, nullptr);
  VopServerOptions options;
  options.port = first.port();
  try {
    VopServer second(options, nullptr);
    FAIL() << "expected VopError";
  } catch (const VopError& e) {
    EXPECT_EQ(e.code(), std::errc::address_in_use) << e.what();
  }
}

}  // namespace
}  // namespace versile::io
