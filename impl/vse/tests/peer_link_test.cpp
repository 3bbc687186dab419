// End-to-end stream scenarios (stream.md §12.2): our stream peer against our streamer over
// link_pair, through the public API (proxy.connect(), Stream).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <unistd.h>

#include "io/connection.hpp"
#include "peer_link_gateway.hpp"
#include "vse/stream/stream.hpp"
#include "vse/stream/streamer_proxy.hpp"

namespace versile::stream::testing {
namespace {

using namespace std::chrono_literals;

struct LinkFixture : ::testing::Test {
  void SetUp() override {
    auto pair = versile::link_pair(nullptr, std::make_shared<StreamGateway>());
    client = pair.first;
    server = pair.second;
    gw = client->peer_gw();
  }
  void TearDown() override {
    client->shutdown();
    client->wait_closed(10s);
  }
  ByteStreamerProxy bytes(const std::string& data, bool seek = false) {
    return gw.call("bytes", data, seek).as<ByteStreamerProxy>();
  }
  std::filesystem::path temp_file(const std::string& content) {
    auto p = std::filesystem::temp_directory_path() /
             ("vpstream_peer_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::ofstream(p, std::ios::binary) << content;
    files.push_back(p);
    return p;
  }
  static std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  ~LinkFixture() override {
    for (auto& f : files) std::filesystem::remove(f);
  }

  std::shared_ptr<Connection> client, server;
  Proxy gw;
  std::vector<std::filesystem::path> files;
  int counter = 0;
};

std::string text(const Entity& e) { return std::string(e.as_bytes().view()); }

TEST_F(LinkFixture, C01_FixedBytesReadAhead) {
  const std::string data = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNO";  // 51 bytes
  auto stream = bytes(data).connect({.readahead = true});
  EXPECT_EQ(text(stream.recv(100, 5s)), data);
  EXPECT_EQ(text(stream.recv(100, 5s)), "");
  stream.close();
  EXPECT_TRUE(stream.wait_status({.closed = true}, 5s));
}

TEST_F(LinkFixture, C15_SeekAndRereadLikeTrace) {
  // Trace seek-and-reread: read(10); rseek(5); read(10); rseek(-8, END); read().
  auto stream = bytes("The quick brown fox jumps over the lazy dog", true).connect();
  ASSERT_TRUE(stream.wait_status({.active = true}, 5s));
  EXPECT_EQ(stream.mode(), 0x1C45u);
  EXPECT_EQ(text(stream.read(10)), "The quick ");
  stream.rseek(5);
  EXPECT_EQ(text(stream.read(10)), "uick brown");
  stream.rseek(-8, PosRef::end);
  EXPECT_EQ(text(stream.read()), "lazy dog");
  EXPECT_EQ(stream.pos(5s), 43);
  stream.close();
  EXPECT_TRUE(stream.wait_status({.closed = true}, 5s));
}

TEST_F(LinkFixture, C18_WriteAfterReadAheadWritesAtStreamerPosition) {
  auto path = temp_file("0123456789");
  auto stream = gw.call("file", path.string(), 10, 5).as<ByteStreamerProxy>().connect({.readahead = true});
  stream.set_readahead(4, 2);
  EXPECT_EQ(text(stream.recv(2, 5s)), "01");
  // Let the read-ahead of limit 6 reach the streamer before switching direction.
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (stream.session()->inspect([](const PeerCore& c) { return c.buffered(); }) < 4 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(1ms);
  }
  stream.write(Bytes(std::string_view("XY")));
  stream.close();
  ASSERT_TRUE(stream.wait_status({.closed = true}, 5s));
  EXPECT_EQ(slurp(path), "012345XY89");  // §12.1 #5: read-ahead skews the write position
}

TEST_F(LinkFixture, C19_TruncAfter) {
  auto path = temp_file("0123456789");
  auto stream = gw.call("file", path.string(), 10, 5).as<ByteStreamerProxy>().connect();
  stream.wseek(4);
  stream.write(Bytes(std::string_view("ab")));
  stream.trunc_after(5s);
  stream.write(Bytes(std::string_view("cd")));
  stream.close();
  ASSERT_TRUE(stream.wait_status({.closed = true}, 5s));
  EXPECT_EQ(slurp(path), "0123abcd");
}

TEST_F(LinkFixture, C20_IteratorOverManyItems) {
  auto stream = gw.call("count", 2500).as<EntityStreamerProxy>().connect({.readahead = true});
  std::int64_t expected = 0;
  for (const Entity& e : stream.iterator(10s)) {
    ASSERT_EQ(e.as_int64(), expected);
    ++expected;
  }
  EXPECT_EQ(expected, 2500);
  EXPECT_TRUE(stream.wait_status({.closed = true}, 5s));
}

TEST_F(LinkFixture, C40_CloseWithReadAheadInFlight) {
  // 2600 bytes in 10-byte pushes with read-ahead: pushes are in flight when we close (D5 fix).
  auto stream = bytes(std::string(2600, 'k')).connect({.readahead = true, .r_size = 10});
  EXPECT_EQ(text(stream.recv(1, 5s)), "k");
  stream.close();
  EXPECT_TRUE(stream.wait_status({.closed = true}, 5s));
  EXPECT_FALSE(stream.failed());
}

TEST_F(LinkFixture, C44_DroppingTheHandleCloses) {
  std::shared_ptr<PeerSession> session;
  {
    auto stream = bytes("abc").connect();
    ASSERT_TRUE(stream.wait_status({.active = true}, 5s));
    session = stream.session();
  }
  EXPECT_TRUE(session->wait_status({.closed = true}, 5s));
  EXPECT_FALSE(session->status().failed);
}

TEST_F(LinkFixture, C45_LinkLossFailsWaiters) {
  // Without eos the reader waits at the end of the (empty) file until the link goes away.
  auto stream = gw.call("file", temp_file("").string(), 10, 5).as<ByteStreamerProxy>().connect(
      {.eos_policy = false, .readahead = true});
  ASSERT_TRUE(stream.wait_status({.active = true}, 5s));
  std::thread killer([&] {
    std::this_thread::sleep_for(50ms);
    server->shutdown(true);
  });
  EXPECT_THROW(stream.recv(10), StreamFailure);
  killer.join();
  EXPECT_TRUE(stream.wait_status({.failed = true}, 5s));
}

TEST_F(LinkFixture, C76_SmallStreamerWindow) {
  auto path = temp_file("abcdefghij");
  // Streamer w_pkg 1 + max_calls 1 → call_lim 2.
  auto stream = gw.call("file", path.string(), 1, 1).as<ByteStreamerProxy>().connect({.readahead = true});
  ASSERT_TRUE(stream.wait_status({.active = true}, 5s));
  for (int p : {1, 2, 3, 4}) stream.rseek(p);
  EXPECT_EQ(text(stream.read()), "efghij");
  EXPECT_EQ(stream.pos(5s), 10);
  EXPECT_FALSE(stream.failed());
}

TEST_F(LinkFixture, AsyncManyStreamsOneThread) {
  // Four streams driven only by completion handlers (no thread blocks per stream).
  constexpr int kStreams = 4;
  constexpr std::int64_t kLength = 300000;
  std::mutex m;
  std::condition_variable cv;
  int finished = 0;
  std::vector<std::int64_t> totals(kStreams, 0);
  std::vector<Stream> streams;
  for (int i = 0; i < kStreams; ++i) {
    streams.push_back(gw.call("pattern", kLength, 4096).as<ByteStreamerProxy>().connect(
        {.readahead = true, .r_size = 4096}));
  }
  std::function<void(int)> pump = [&](int i) {
    streams[i].async_recv(65536, [&, i](std::exception_ptr err, Entity data) {
      if (err || data.as_bytes().empty()) {
        std::scoped_lock l(m);
        ++finished;
        cv.notify_all();
        return;
      }
      const Bytes& b = data.as_bytes();
      bool ok = true;
      for (std::size_t k = 0; k < b.size(); ++k) {
        ok &= b.data()[k] == pattern_byte(static_cast<std::uint64_t>(totals[i]) + k);
      }
      EXPECT_TRUE(ok);
      totals[i] += static_cast<std::int64_t>(b.size());
      pump(i);
    });
  };
  for (int i = 0; i < kStreams; ++i) pump(i);
  std::unique_lock l(m);
  ASSERT_TRUE(cv.wait_for(l, 20s, [&] { return finished == kStreams; }));
  for (auto t : totals) EXPECT_EQ(t, kLength);
}

TEST_F(LinkFixture, WriteToSink) {
  auto stream = gw.call("sink", 1000).as<ByteStreamerProxy>().connect();
  std::string data(25000, 'z');
  stream.write(Bytes(std::string_view(data)));
  EXPECT_EQ(stream.pos(5s), 25000);
  stream.close();
  EXPECT_TRUE(stream.wait_status({.closed = true}, 5s));
}

}  // namespace
}  // namespace versile::stream::testing
