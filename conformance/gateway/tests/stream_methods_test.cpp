// The gateway's streamer methods over a link_pair, driven by a recording stream peer.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "gateway/conformance_gateway.hpp"
#include "gateway/patterns.hpp"
#include "io/connection.hpp"
#include "object/external.hpp"
#include "object/proxy.hpp"
#include "vse/stream/streamer_proxy.hpp"

using namespace versile;
using namespace std::chrono_literals;

namespace {

class RecordingPeer : public External {
 public:
  RecordingPeer() {
    for (const char* name : {"peer_set_start_pos", "peer_read_push", "peer_write_lim",
                             "peer_closed", "peer_fail", "peer_error"}) {
      std::string n = name;
      publish_deferred(n, [this, n](DeferredCall& call) {
        {
          std::scoped_lock lock(mutex_);
          calls_.emplace_back(n, call.args);
        }
        cv_.notify_all();
        call.responder.result(Entity());
      });
    }
  }
  std::vector<std::pair<std::string, Tuple>> wait_for(std::size_t count) {
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, 10s, [&] { return calls_.size() >= count; });
    return calls_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<std::pair<std::string, Tuple>> calls_;
};

struct Session {
  versile::ConnectionPair pair = link_pair(nullptr, vpstream::conformance::make_gateway());
  Proxy gw = pair.first->peer_gw();
  ~Session() {
    pair.first->shutdown();
    pair.first->wait_closed(5s);
  }
};

}  // namespace

TEST(GatewayStreamMethods, BytesFixedServesThePattern) {
  Session s;
  auto proxy = s.gw.call("bytes_fixed", 300, 7).as<stream::ByteStreamerProxy>();
  EXPECT_EQ(proxy.mode(), 0x1C45);
  Proxy streamer = Entity(proxy.streamer()).as<Proxy>();
  auto peer = std::make_shared<RecordingPeer>();
  streamer.call("peer_connect", peer, 15, 10, 1000000);
  streamer.call("peer_read_start", 0, 100, 1, true);
  streamer.call("peer_read_lim", 1, 1000);
  auto calls = peer->wait_for(2);
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].second, (Tuple{0, 0, 100}));
  const auto expected = vpstream::conformance::pattern(300, 7).slice(100);
  EXPECT_EQ(calls[1].second, (Tuple{1, 0, Entity(expected), true}));
}

TEST(GatewayStreamMethods, BytesFileWriteThenFileContents) {
  Session s;
  Tuple result = s.gw.call("bytes_file", Bytes(std::string_view("0123456789"))).as_tuple();
  ASSERT_EQ(result.size(), 2u);
  auto proxy = result[0].as<stream::ByteStreamerProxy>();
  EXPECT_EQ(proxy.mode(), 0x0FC7);
  const auto token = result[1].as_int64();
  EXPECT_GE(token, 1);
  Proxy streamer = Entity(proxy.streamer()).as<Proxy>();
  auto peer = std::make_shared<RecordingPeer>();
  streamer.call("peer_connect", peer, 15, 10, 1000000);
  streamer.call("peer_write_start", 0, 4, 1);
  streamer.call("peer_write_push", 1, 0, Bytes(std::string_view("ab")));
  streamer.call("peer_trunc_after", 2);
  streamer.call("peer_close", 3);
  peer->wait_for(4);  // set_start_pos, write_lim, write_lim (new ctx), closed
  EXPECT_EQ(s.gw.call("file_contents", token), Entity(Bytes(std::string_view("0123ab"))));
  // A second file gets the next token.
  Tuple second = s.gw.call("bytes_file", Bytes()).as_tuple();
  EXPECT_EQ(second[1].as_int64(), token + 1);
  EXPECT_ANY_THROW(s.gw.call("file_contents", 1000000));
}

TEST(GatewayStreamMethods, EntitiesFixedIterAndNameSorter) {
  Session s;
  auto fixed = s.gw.call("entities_fixed", Tuple{1, "two"}).as<stream::EntityStreamerProxy>();
  EXPECT_EQ(fixed.mode(), 0x1C45);
  auto iter = s.gw.call("entities_iter", 3).as<stream::EntityStreamerProxy>();
  EXPECT_EQ(iter.mode(), 0x1045);
  Proxy streamer = Entity(iter.streamer()).as<Proxy>();
  auto peer = std::make_shared<RecordingPeer>();
  streamer.call("peer_connect", peer, 15, 10, 1000);
  streamer.call("peer_read_start", 0, Entity(), Entity(), true);
  streamer.call("peer_read_lim", 1, 10);
  auto calls = peer->wait_for(2);
  ASSERT_EQ(calls.size(), 2u);
  using vpstream::conformance::item;
  EXPECT_EQ(calls[1].second, (Tuple{1, 0, Tuple{item(0), item(1), item(2)}, true}));

  Proxy sorter = s.gw.call("name_sorter").as<Proxy>();
  for (const char* n : {"b", "c", "a"}) sorter.call("add", n);
  auto names = sorter.call("reset").as<stream::EntityStreamerProxy>();
  EXPECT_EQ(names.mode(), 4165);
}
