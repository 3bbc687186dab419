// Many link_pair sessions in one process on the shared default Runtime: every session must
// handshake, call and close as the first one did (nothing a closed session leaves behind may
// stall the runtime's io thread or worker pool). Also the lifetime rule behind the wedge the
// conformance harness hit: a transport tap keeps getting callbacks after the Connection is
// gone (the transport drains until the peer's EOF), so a tap must own what it writes into.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "io/transport_tap.hpp"

#include "io/connection.hpp"
#include "test_gateway.hpp"

namespace versile::io {
namespace {

using namespace std::chrono_literals;
using testing::RecordingTap;
using testing::TestGateway;

constexpr int kSessions = 50;

TEST(DefaultRuntime, SequentialSessionsCallAndShutdown) {
  for (int i = 0; i < kSessions; ++i) {
    SCOPED_TRACE("session " + std::to_string(i));
    auto [client, server] = link_pair(nullptr, std::make_shared<TestGateway>());
    Proxy peer = client->peer_gw(5s);
    ASSERT_TRUE(peer.valid());
    ASSERT_EQ(peer.call("add", i, 1), Entity(i + 1));
    client->shutdown();
    ASSERT_TRUE(client->wait_closed(5s));
    ASSERT_TRUE(server->wait_closed(5s));
  }
}

TEST(DefaultRuntime, SequentialSessionsDroppedWithoutWaiting) {
  // The handles go away right after the call: closing happens in the background while the
  // next session starts.
  for (int i = 0; i < kSessions; ++i) {
    SCOPED_TRACE("session " + std::to_string(i));
    auto [client, server] = link_pair(nullptr, std::make_shared<TestGateway>());
    Proxy peer = client->peer_gw(5s);
    ASSERT_TRUE(peer.valid());
    ASSERT_EQ(peer.call("echo", std::string("x")), Entity("x"));
  }
}

TEST(DefaultRuntime, SequentialSessionsEndedByTheServer) {
  for (int i = 0; i < kSessions; ++i) {
    SCOPED_TRACE("session " + std::to_string(i));
    auto [client, server] = link_pair(nullptr, std::make_shared<TestGateway>());
    Proxy peer = client->peer_gw(5s);
    ASSERT_TRUE(peer.valid());
    ASSERT_EQ(peer.call("add", 1, i), Entity(i + 1));
    server->shutdown(i % 2 == 0);  // graceful and forced in turn
    ASSERT_TRUE(server->wait_closed(5s));
    ASSERT_TRUE(client->wait_closed(5s));
  }
}

TEST(DefaultRuntime, TapCallbacksContinueAfterTheConnectionIsGone) {
  for (int i = 0; i < 10; ++i) {
    SCOPED_TRACE("session " + std::to_string(i));
    auto tap = std::make_shared<RecordingTap>();
    ConnectionOptions client_options;
    client_options.wrap = tap_wrapper(tap);
    {
      auto [client, server] = link_pair(nullptr, std::make_shared<TestGateway>(), client_options, {});
      Proxy peer = client->peer_gw(5s);
      ASSERT_EQ(peer.call("add", i, 2), Entity(i + 2));
      client->shutdown();
      ASSERT_TRUE(client->wait_closed(5s));
    }  // both Connections released: the client transport still waits for the peer's EOF
    // The peer's EOF (or the close) still reaches the tap afterwards, on the io thread.
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    auto ended = [&] {
      for (const auto& e : tap->events()) {
        if (e.dir == TapDirection::received && e.kind != RecordingTap::Event::Kind::data) return true;
      }
      return false;
    };
    while (!ended() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(1ms);
    EXPECT_TRUE(ended());
  }
}

}  // namespace
}  // namespace versile::io
