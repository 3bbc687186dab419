// link_pair / connect_socket over real sockets: handshake, calls, shutdown semantics (link.md
// §3.2, §9), the transport tap and the transport-wrapper hook.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <utility>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/connect_pair.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>

#include "io/connection.hpp"
#include "link/link_error.hpp"
#include "object/call_error.hpp"
#include "object/remote_exception.hpp"
#include "test_gateway.hpp"

namespace versile::io {
namespace {

using namespace std::chrono_literals;
using testing::RecordingTap;
using testing::TestGateway;

TEST(LinkPair, HandshakeAndCallsToTheGateway) {
  auto gw = std::make_shared<TestGateway>();
  auto [client, server] = link_pair(nullptr, gw);
  Proxy peer = client->peer_gw(10s);
  ASSERT_TRUE(peer.valid());

  EXPECT_EQ(peer.call("add", 2, 3), Entity(5));
  const auto big = *Integer::from_decimal("123456789012345678901234567890");
  EXPECT_EQ(peer.call("add", big, 1), Entity(*Integer::from_decimal("123456789012345678901234567891")));
  const Entity nested(Tuple{Entity(-7), Entity("Grüße ✓"), Entity(Bytes(std::string_view("\x00\xff", 2))),
                            Entity(Tuple{Entity(None{}), Entity(true)})});
  EXPECT_EQ(peer.call("echo", nested), nested);

  try {
    peer.call("fail", "boom");
    FAIL() << "expected RemoteException";
  } catch (const RemoteException& e) {
    ASSERT_EQ(e.args().size(), 1u);
    EXPECT_EQ(e.args()[0], Entity("boom"));
  }
  try {
    peer.call("no_such_method");
    FAIL() << "expected CallError";
  } catch (const CallError& e) {
    EXPECT_EQ(e.kind(), CallErrc::remote_error);
  }
  const auto methods = peer.meta_methods();
  EXPECT_EQ(methods, (std::vector<std::string>{"add", "block", "echo", "fail", "sleep_ms"}));

  // The client's gateway is a plain object: every call is a CALL_ERROR.
  Proxy client_gw = server->peer_gw(10s);
  EXPECT_THROW(client_gw.call("anything"), CallError);

  gw->release.open();
  client->shutdown();
  EXPECT_TRUE(client->wait_closed(10s));
  EXPECT_TRUE(server->wait_closed(10s));
  EXPECT_FALSE(client->close_error());  // our own graceful shutdown
  EXPECT_EQ(server->close_error(), link::Errc::peer_eof);
}

TEST(LinkPair, ConcurrentMegabyteEchoes) {
  auto [client, server] = link_pair(nullptr, std::make_shared<TestGateway>());
  Proxy peer = client->peer_gw(10s);
  std::vector<std::uint8_t> data(1 << 20);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>((i * 31 + 7) % 251);
  const Entity payload{Bytes(data)};
  std::vector<std::future<Entity>> replies;
  for (int i = 0; i < 4; ++i) replies.push_back(peer.call_async("echo", payload));
  for (auto& f : replies) {
    ASSERT_EQ(f.wait_for(30s), std::future_status::ready);
    EXPECT_EQ(f.get(), payload);
  }
}

TEST(LinkPair, PeerAbruptCloseFailsPendingCallsWithATypedError) {
  auto gw = std::make_shared<TestGateway>();
  auto [client, server] = link_pair(nullptr, gw);
  Proxy peer = client->peer_gw(10s);
  auto pending = peer.call_async("block");
  ASSERT_TRUE(gw->started.wait());
  const auto t0 = std::chrono::steady_clock::now();
  server->shutdown(/*force=*/true);
  ASSERT_EQ(pending.wait_for(10s), std::future_status::ready);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);  // not after the method ends
  try {
    pending.get();
    FAIL() << "expected CallError";
  } catch (const CallError& e) {
    EXPECT_EQ(e.kind(), CallErrc::link_lost);
    EXPECT_TRUE(e.cause() == link::Errc::peer_eof || e.cause() == link::Errc::transport_error ||
                e.cause() == std::errc::connection_reset)
        << e.cause().message();
  }
  EXPECT_TRUE(client->wait_closed(10s));
  EXPECT_TRUE(client->close_error()) << "the client saw its peer go away";
  gw->release.open();
  EXPECT_TRUE(server->wait_closed(10s));
}

TEST(LinkPair, GracefulShutdownDeliversPendingRepliesThenFin) {
  auto gw = std::make_shared<TestGateway>();
  auto tap = std::make_shared<RecordingTap>();
  ConnectionOptions server_options;
  server_options.wrap = tap_wrapper(tap);
  auto [client, server] = link_pair(nullptr, gw, ConnectionOptions{}, server_options);
  Proxy peer = client->peer_gw(10s);
  auto pending = peer.call_async("block");
  ASSERT_TRUE(gw->started.wait());
  server->shutdown();  // graceful: the accepted call still gets its reply
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(server->closed());
  gw->release.open();
  ASSERT_EQ(pending.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(pending.get(), Entity("released"));
  EXPECT_TRUE(server->wait_closed(10s));
  EXPECT_TRUE(client->wait_closed(10s));
  EXPECT_EQ(client->close_error(), link::Errc::peer_eof);

  // On the wire: the server's last data is followed by its FIN, and the client's FIN arrives
  // (the driver drains input after its FIN, so that may come after the link reports closed).
  auto peer_fin_seen = [&] {
    const auto ev = tap->events();
    return std::any_of(ev.begin(), ev.end(), [](const auto& e) {
      return e.dir == TapDirection::received && e.kind == RecordingTap::Event::Kind::eof;
    });
  };
  for (int i = 0; i < 500 && !peer_fin_seen(); ++i) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(peer_fin_seen());
  const auto events = tap->events();
  int sent_eofs = 0;
  bool data_after_fin = false;
  for (const auto& e : events) {
    if (e.dir != TapDirection::sent) continue;
    if (e.kind == RecordingTap::Event::Kind::eof) ++sent_eofs;
    if (e.kind == RecordingTap::Event::Kind::data && sent_eofs > 0) data_after_fin = true;
  }
  EXPECT_EQ(sent_eofs, 1);
  EXPECT_FALSE(data_after_fin);
}

TEST(LinkPair, LocalShutdownFailsOwnPendingCallsAtOnce) {
  auto gw = std::make_shared<TestGateway>();
  auto [client, server] = link_pair(nullptr, gw);
  Proxy peer = client->peer_gw(10s);
  auto pending = peer.call_async("block");
  ASSERT_TRUE(gw->started.wait());
  client->shutdown();
  ASSERT_EQ(pending.wait_for(5s), std::future_status::ready);
  try {
    pending.get();
    FAIL() << "expected CallError";
  } catch (const CallError& e) {
    EXPECT_EQ(e.kind(), CallErrc::link_lost);
  }
  gw->release.open();
  EXPECT_TRUE(client->wait_closed(10s));
  EXPECT_TRUE(server->wait_closed(10s));
}

TEST(LinkPair, TapSeesTheVecLinesAndBothEofs) {
  auto tap = std::make_shared<RecordingTap>();
  ConnectionOptions options;
  options.wrap = tap_wrapper(tap);
  auto [client, server] = link_pair(nullptr, std::make_shared<TestGateway>(), options, {});
  EXPECT_EQ(client->peer_gw(10s).call("add", 1, 1), Entity(2));
  client->shutdown();
  ASSERT_TRUE(client->wait_closed(10s));
  ASSERT_TRUE(server->wait_closed(10s));
  const std::string vec = "VEC_DRAFT-0.8-utf8\n";
  EXPECT_EQ(tap->stream(TapDirection::sent).substr(0, vec.size()), vec);
  EXPECT_EQ(tap->stream(TapDirection::received).substr(0, vec.size()), vec);
  auto eofs = [&] {
    int n = 0;
    for (const auto& e : tap->events()) n += e.kind == RecordingTap::Event::Kind::eof;
    return n;
  };
  for (int i = 0; i < 500 && eofs() < 2; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(eofs(), 2);
}

// A fault-injecting wrapper: every write goes out one byte at a time.
class OneByteWrites final : public ByteTransport,
                            public std::enable_shared_from_this<OneByteWrites> {
 public:
  explicit OneByteWrites(std::shared_ptr<ByteTransport> inner) : inner_(std::move(inner)) {}
  boost::asio::any_io_executor executor() const override { return inner_->executor(); }
  void async_read_some(boost::asio::mutable_buffer b, Handler h) override {
    inner_->async_read_some(b, std::move(h));
  }
  void async_write(std::span<const boost::asio::const_buffer> buffers, Handler h) override {
    bytes_.clear();
    for (const auto& b : buffers) {
      const auto* p = static_cast<const std::uint8_t*>(b.data());
      bytes_.insert(bytes_.end(), p, p + b.size());
    }
    next(0, std::move(h));
  }
  boost::system::error_code shutdown_send() override { return inner_->shutdown_send(); }
  void close() override { inner_->close(); }
  std::size_t writes() const { return writes_; }

 private:
  void next(std::size_t done, Handler h) {
    if (done == bytes_.size()) return h({}, done);
    one_ = boost::asio::const_buffer(bytes_.data() + done, 1);
    ++writes_;
    inner_->async_write({&one_, 1}, [self = shared_from_this(), done, h = std::move(h)](
                                        const boost::system::error_code& ec, std::size_t n) {
      if (ec) return h(ec, done + n);
      self->next(done + 1, h);
    });
  }
  std::shared_ptr<ByteTransport> inner_;
  std::vector<std::uint8_t> bytes_;
  boost::asio::const_buffer one_;
  std::size_t writes_ = 0;
};

TEST(LinkPair, WorksWhenEveryByteIsWrittenSeparately) {
  std::shared_ptr<OneByteWrites> wrapper;
  ConnectionOptions options;
  options.wrap = [&wrapper](std::shared_ptr<ByteTransport> inner) {
    wrapper = std::make_shared<OneByteWrites>(std::move(inner));
    return wrapper;
  };
  auto [client, server] = link_pair(nullptr, std::make_shared<TestGateway>(), options, options);
  Proxy peer = client->peer_gw(10s);
  EXPECT_EQ(peer.call("echo", "split me"), Entity("split me"));
  EXPECT_EQ(peer.call("add", 40, 2), Entity(42));
  EXPECT_GT(wrapper->writes(), 100u);
  client->shutdown();
  EXPECT_TRUE(client->wait_closed(10s));
  EXPECT_TRUE(server->wait_closed(10s));
}

// Holds writes once told to, until released (then they go to the socket as usual).
class HeldWrites final : public ByteTransport, public std::enable_shared_from_this<HeldWrites> {
 public:
  explicit HeldWrites(std::shared_ptr<ByteTransport> inner) : inner_(std::move(inner)) {}
  boost::asio::any_io_executor executor() const override { return inner_->executor(); }
  void async_read_some(boost::asio::mutable_buffer b, Handler h) override {
    inner_->async_read_some(b, std::move(h));
  }
  void async_write(std::span<const boost::asio::const_buffer> buffers, Handler h) override {
    if (!holding_) return inner_->async_write(buffers, std::move(h));
    held_buffers_.assign(buffers.begin(), buffers.end());
    held_ = std::move(h);
    has_held_ = true;
  }
  boost::system::error_code shutdown_send() override { return inner_->shutdown_send(); }
  // Like a socket, closing completes a held write with operation_aborted.
  void close() override {
    inner_->close();
    if (held_) {
      boost::asio::post(executor(), [h = std::exchange(held_, nullptr)] {
        h(boost::asio::error::operation_aborted, 0);
      });
    }
  }
  // Both run on the strand (post them).
  void hold() { holding_ = true; }
  bool has_held() const { return has_held_; }
  void release() {
    holding_ = false;
    if (held_) inner_->async_write(held_buffers_, std::exchange(held_, nullptr));
  }

 private:
  std::shared_ptr<ByteTransport> inner_;
  bool holding_ = false;
  std::atomic<bool> has_held_{false};
  std::vector<boost::asio::const_buffer> held_buffers_;
  Handler held_;
};

// A link closing gracefully waits for its output to drain. If the peer's EOF arrives first and
// the pending write then fails, the link must still learn of the failure and close (it used to
// stay `closing` forever: only the EOF was reported).
TEST(LinkPair, GracefulCloseEndsWhenTheWriteFailsAfterThePeersEof) {
  std::shared_ptr<HeldWrites> wrapper;
  ConnectionOptions client_options;
  client_options.wrap = [&wrapper](std::shared_ptr<ByteTransport> inner) {
    wrapper = std::make_shared<HeldWrites>(std::move(inner));
    return wrapper;
  };
  auto [client, server] = link_pair(nullptr, std::make_shared<TestGateway>(), client_options, {});
  Proxy peer = client->peer_gw(10s);
  EXPECT_EQ(peer.call("echo", 1), Entity(1));
  boost::asio::post(wrapper->executor(), [w = wrapper] { w->hold(); });
  auto call = peer.call_async("echo", 2);  // its bytes are held in the transport
  for (int i = 0; i < 500 && !wrapper->has_held(); ++i) std::this_thread::sleep_for(10ms);
  ASSERT_TRUE(wrapper->has_held());
  client->shutdown();  // graceful: waits for the held bytes
  server->shutdown(/*force=*/true);
  ASSERT_TRUE(server->wait_closed(10s));
  std::this_thread::sleep_for(100ms);  // the client reads the EOF while its write is held
  EXPECT_FALSE(client->closed());
  boost::asio::post(wrapper->executor(), [w = wrapper] { w->release(); });  // fails: peer gone
  EXPECT_TRUE(client->wait_closed(5s));
  EXPECT_EQ(call.wait_for(1s), std::future_status::ready);
}

TEST(ConnectSocket, RawVecOverTcp) {
  boost::asio::io_context io;
  using boost::asio::ip::tcp;
  tcp::acceptor acceptor(io, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  tcp::socket a(io), b(io);
  a.connect(acceptor.local_endpoint());
  acceptor.accept(b);
  auto client = connect_socket(std::move(a), nullptr);
  auto server = connect_socket(std::move(b), std::make_shared<TestGateway>());
  EXPECT_EQ(client->peer_gw(10s).call("add", 20, 22), Entity(42));
  server->shutdown();
  EXPECT_TRUE(server->wait_closed(10s));
  EXPECT_TRUE(client->wait_closed(10s));
}

TEST(Runtime, PrivateRuntimeServesLinks) {
  Runtime runtime(RuntimeOptions{.io_threads = 2, .max_worker_threads = 2});
  ConnectionOptions options;
  options.runtime = &runtime;
  {
    auto [client, server] = link_pair(nullptr, std::make_shared<TestGateway>(), options);
    EXPECT_EQ(client->peer_gw(10s).call("echo", 7), Entity(7));
    client->shutdown();
    EXPECT_TRUE(client->wait_closed(10s));
    EXPECT_TRUE(server->wait_closed(10s));
  }
  runtime.stop();
}

// Stopping a runtime aborts the links it still serves: their pending calls fail, their close
// reason is the cancelled transport, and link and driver (which reference each other while the
// transport is open) are released once the application lets go of its connections.
TEST(Runtime, StopAbortsTheLinksStillOpen) {
  Runtime runtime(RuntimeOptions{.io_threads = 1, .max_worker_threads = 2});
  std::shared_ptr<HeldWrites> wrapper;
  ConnectionOptions client_options;
  client_options.runtime = &runtime;
  client_options.wrap = [&wrapper](std::shared_ptr<ByteTransport> inner) {
    wrapper = std::make_shared<HeldWrites>(std::move(inner));
    return wrapper;
  };
  ConnectionOptions server_options;
  server_options.runtime = &runtime;
  auto [client, server] =
      link_pair(nullptr, std::make_shared<TestGateway>(), client_options, server_options);
  std::future<Entity> call;
  {
    Proxy peer = client->peer_gw(10s);
    EXPECT_EQ(peer.call("echo", 1), Entity(1));
    boost::asio::post(wrapper->executor(), [w = wrapper] { w->hold(); });
    call = peer.call_async("echo", 2);  // its bytes are held: the call stays pending
  }
  for (int i = 0; i < 500 && !wrapper->has_held(); ++i) std::this_thread::sleep_for(10ms);
  ASSERT_TRUE(wrapper->has_held());
  wrapper.reset();
  runtime.stop();
  EXPECT_TRUE(client->closed());
  EXPECT_TRUE(server->closed());
  EXPECT_EQ(client->close_error(), std::errc::operation_canceled);
  ASSERT_EQ(call.wait_for(1s), std::future_status::ready);
  EXPECT_ANY_THROW(call.get());
  // Connections must not outlive their runtime: released here, while it still exists.
  std::weak_ptr<link::Link> client_link = client->link();
  std::weak_ptr<link::Link> server_link = server->link();
  client.reset();
  server.reset();
  EXPECT_TRUE(client_link.expired());
  EXPECT_TRUE(server_link.expired());
}

TEST(LinkPair, PeerGatewayTimesOutWithATypedError) {
  // A socket whose peer never speaks: the handshake cannot complete.
  boost::asio::io_context io;
  boost::asio::local::stream_protocol::socket a(io), b(io);
  boost::asio::local::connect_pair(a, b);
  auto conn = connect_socket(std::move(a), nullptr);
  try {
    conn->peer_gw(100ms);
    FAIL() << "expected LinkError";
  } catch (const link::LinkError& e) {
    EXPECT_EQ(e.code(), link::Errc::timeout);
  }
  conn->shutdown(true);
  EXPECT_TRUE(conn->wait_closed(10s));
}

}  // namespace
}  // namespace versile::io
