// A 1 GiB byte stream over link_pair: peak memory must stay within a small multiple of the
// flow-control window (stream.md §8: read-ahead bounds what is buffered on the peer, r_num
// bounds the pushes in flight).
#include <gtest/gtest.h>

#include <sys/resource.h>

#include <chrono>
#include <cstring>

#include "io/connection.hpp"
#include "peer_link_gateway.hpp"
#include "vse/stream/stream.hpp"
#include "vse/stream/streamer_proxy.hpp"

namespace versile::stream::testing {
namespace {

using namespace std::chrono_literals;

std::int64_t max_rss_bytes() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<std::int64_t>(u.ru_maxrss) * 1024;
}

TEST(PeerMemory, OneGibStreamStaysWithinWindowMultiple) {
  constexpr std::int64_t kLength = 1LL << 30;
  constexpr std::int64_t kPkg = 1 << 20;
  constexpr std::int64_t kWindow = 10 * kPkg;  // r_pkg × r_size = the default read-ahead
  auto [client, server] = versile::link_pair(nullptr, std::make_shared<StreamGateway>());
  auto gw = client->peer_gw();
  auto stream = gw.call("pattern", kLength, kPkg).as<ByteStreamerProxy>().connect(
      {.readahead = true, .r_size = kPkg});
  ASSERT_TRUE(stream.wait_status({.active = true}, 10s));
  const std::int64_t rss_before = max_rss_bytes();
  std::int64_t total = 0;
  std::size_t peak_buffered = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (;;) {
    Entity data = stream.recv(static_cast<std::size_t>(kPkg), 60s);
    const Bytes& b = data.as_bytes();
    if (b.empty()) break;
    // Spot-check the content (first and last byte of every package).
    ASSERT_EQ(b.data()[0], pattern_byte(static_cast<std::uint64_t>(total)));
    ASSERT_EQ(b.data()[b.size() - 1], pattern_byte(static_cast<std::uint64_t>(total) + b.size() - 1));
    total += static_cast<std::int64_t>(b.size());
    peak_buffered = std::max(peak_buffered, stream.session()->inspect([](const PeerCore& c) {
      return c.buffered();
    }));
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const std::int64_t rss_delta = max_rss_bytes() - rss_before;
  EXPECT_EQ(total, kLength);
  EXPECT_LE(static_cast<std::int64_t>(peak_buffered), kWindow);
  EXPECT_LT(rss_delta, 6 * kWindow) << "peak RSS grew by " << rss_delta << " bytes";
  RecordProperty("rss_delta_bytes", std::to_string(rss_delta));
  RecordProperty("mib_per_s", std::to_string(static_cast<double>(kLength) / (1 << 20) / seconds));
  std::printf("1 GiB in %.2f s (%.0f MiB/s), peak RSS delta %.1f MiB, peak peer buffer %.1f MiB\n",
              seconds, static_cast<double>(kLength) / (1 << 20) / seconds,
              static_cast<double>(rss_delta) / (1 << 20), static_cast<double>(peak_buffered) / (1 << 20));
  stream.close();
  EXPECT_TRUE(stream.wait_status({.closed = true}, 10s));
  client->shutdown();
  client->wait_closed(10s);
}

}  // namespace
}  // namespace versile::stream::testing
