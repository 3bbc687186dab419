// A streamer served over a real link_pair, driven by a hand-written stream peer object on the
// client side (the recipe's message sequence, stream.md §11.1), so the adapter's publishing,
// deferred results and outgoing calls are checked end to end.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "io/connection.hpp"
#include "object/external.hpp"
#include "object/proxy.hpp"
#include "object/remote_exception.hpp"
#include "vse/stream/streamer.hpp"

using namespace versile;
using namespace versile::stream;
using namespace std::chrono_literals;

namespace {

// Records every peer_* call the streamer makes and answers null.
class RecordingPeer : public External {
 public:
  RecordingPeer() {
    for (const char* name : {"peer_set_start_pos", "peer_read_push", "peer_write_lim",
                             "peer_closed", "peer_fail", "peer_error"}) {
      std::string n = name;
      publish_deferred(n, [this, n](DeferredCall& call) {
        {
          std::scoped_lock lock(mutex_);
          calls_.push_back(n + to_display_string(Entity(call.args)));
        }
        cv_.notify_all();
        call.responder.result(Entity());
      });
    }
  }
  // Waits until `count` calls were recorded; returns them.
  std::vector<std::string> wait_for(std::size_t count) {
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, 10s, [&] { return calls_.size() >= count; });
    return calls_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<std::string> calls_;
};

class Server : public External {
 public:
  Server() {
    publish("names", [] {
      std::vector<std::string> names{"John Doe #1", "John Doe #2", "John Doe #3"};
      return EntityStreamer::fixed(names).proxy();
    });
    publish("bytes", [] {
      return ByteStreamer::fixed(Bytes(std::string_view("abcdefghij")), true, true);
    });
  }
};

}  // namespace

TEST(StreamerLink, C02_RecipeEntitySequenceOverLink) {
  auto [client, server] = link_pair(nullptr, std::make_shared<Server>());
  Proxy gw = client->peer_gw();
  Entity tagged = gw.call("names");
  auto proxy = tagged.as<EntityStreamerProxy>();
  EXPECT_EQ(proxy.mode(), 4165);
  Proxy streamer = Entity(proxy.streamer()).as<Proxy>();
  auto peer = std::make_shared<RecordingPeer>();
  EXPECT_EQ(streamer.call("peer_connect", peer, 15, 10, 1000), Entity(Tuple{4165, 0, 15, 10, 1000}));
  auto start = streamer.call_async("peer_read_start", 0, Entity(), Entity(), true);
  auto lim = streamer.call_async("peer_read_lim", 1, 10000);
  EXPECT_EQ(start.get(), Entity());
  EXPECT_EQ(lim.get(), Entity());
  auto calls = peer->wait_for(2);
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0], "peer_set_start_pos(0, 0, 0)");
  EXPECT_EQ(calls[1],
            "peer_read_push(1, 0, ('John Doe #1', 'John Doe #2', 'John Doe #3'), True)");
  EXPECT_EQ(streamer.call("peer_close", 2), Entity());
  calls = peer->wait_for(3);
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[2], "peer_closed(2,)");
  // Connecting again is refused with a VException.
  EXPECT_THROW(streamer.call("peer_connect", peer, 15, 10, 1000), RemoteException);
  client->shutdown();
  client->wait_closed(5s);
}

TEST(StreamerLink, ByteStreamerSeekAndProtocolErrors) {
  auto [client, server] = link_pair(nullptr, std::make_shared<Server>());
  Proxy gw = client->peer_gw();
  auto proxy = gw.call("bytes").as<ByteStreamerProxy>();
  EXPECT_EQ(proxy.mode(), 0x1C45);
  Proxy streamer = Entity(proxy.streamer()).as<Proxy>();
  auto peer = std::make_shared<RecordingPeer>();
  streamer.call("peer_connect", peer, 15, 10, 4);
  // Out-of-range start: CALL_EXCEPTION "Could not initiate reading", not a failure (C35).
  try {
    streamer.call("peer_read_start", 0, 100, 1, true);
    ADD_FAILURE() << "expected an exception";
  } catch (const RemoteException& e) {
    EXPECT_EQ(e.args(), Tuple{"Could not initiate reading"});
  }
  streamer.call("peer_read_start", 1, -3, 3, true);
  streamer.call("peer_read_lim", 2, 100);
  auto calls = peer->wait_for(2);
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0], "peer_set_start_pos(0, 1, 7)");
  EXPECT_EQ(calls[1], "peer_read_push(1, 1, b'hij', True)");
  // Duplicate id: CALL_ERROR, the stream stays healthy (C60).
  EXPECT_ANY_THROW(streamer.call("peer_read_lim", 2, 200));
  streamer.call("peer_close", 3);
  calls = peer->wait_for(3);
  EXPECT_EQ(calls.back(), "peer_closed(2,)");
  client->shutdown();
  client->wait_closed(5s);
}

// True once `weak` expired, polling until `timeout` (the release travels over the link).
template <class T>
bool expires_within(const std::weak_ptr<T>& weak, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!weak.expired() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  return weak.expired();
}

// The reference streamer drops its reference to the stream peer when the stream is cleaned up
// after peer_close (its link then sends NOTIFY_DEREF for the peer, as in the close step of every
// recorded stream trace). Here the client link holds the only other reference to the peer, so
// the peer object is destroyed exactly when the server link released it.
TEST(StreamerLink, PeerReferenceReleasedAfterClose) {
  auto [client, server] = link_pair(nullptr, std::make_shared<Server>());
  Proxy gw = client->peer_gw();
  Proxy streamer = Entity(gw.call("names").as<EntityStreamerProxy>().streamer()).as<Proxy>();
  auto peer = std::make_shared<RecordingPeer>();
  std::weak_ptr<RecordingPeer> weak = peer;
  streamer.call("peer_connect", peer, 15, 10, 1000);
  streamer.call("peer_read_start", 0, Entity(), Entity(), true);
  EXPECT_EQ(streamer.call("peer_close", 1), Entity());
  ASSERT_EQ(peer->wait_for(2).back(), "peer_closed(1,)");
  peer.reset();
  EXPECT_TRUE(expires_within(weak, 5s)) << "the streamer still references the stream peer after close";
  client->shutdown();
  client->wait_closed(5s);
}

// Failure cleans up the same way: after the peer's peer_fail the streamer holds no reference.
TEST(StreamerLink, PeerReferenceReleasedAfterFailure) {
  auto [client, server] = link_pair(nullptr, std::make_shared<Server>());
  Proxy gw = client->peer_gw();
  Proxy streamer = Entity(gw.call("names").as<EntityStreamerProxy>().streamer()).as<Proxy>();
  auto peer = std::make_shared<RecordingPeer>();
  std::weak_ptr<RecordingPeer> weak = peer;
  streamer.call("peer_connect", peer, 15, 10, 1000);
  EXPECT_EQ(streamer.call("peer_fail", 0, "gave up"), Entity());
  peer.reset();
  EXPECT_TRUE(expires_within(weak, 5s)) << "the streamer still references the stream peer after failure";
  client->shutdown();
  client->wait_closed(5s);
}

// stream.md §9.10 SPEC: on link loss the streamer fails locally, also when none of its calls is
// in flight (the reference never notices then).
TEST(StreamerLink, LinkLossFailsAnIdleStreamer) {
  auto kept = ByteStreamer::fixed(Bytes(std::string_view("abc")));
  auto gateway = std::make_shared<External>("gateway keeping its streamer");
  gateway->publish("kept", [kept] { return kept.proxy(); });
  auto [client, server] = link_pair(nullptr, gateway);
  Proxy streamer = Entity(client->peer_gw().call("kept").as<ByteStreamerProxy>().streamer()).as<Proxy>();
  auto peer = std::make_shared<RecordingPeer>();
  streamer.call("peer_connect", peer, 15, 10, 1000);
  EXPECT_FALSE(kept->failed());
  client->shutdown(true);
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!kept->failed() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_TRUE(kept->failed());
  EXPECT_FALSE(kept->done());
}
