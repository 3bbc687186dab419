// Decoder::direct_input / commit_direct: large byte payloads read straight into their final
// buffer must decode exactly as when the same bytes are fed, in any mix of the two paths.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "codec/decoder.hpp"
#include "codec/encoder.hpp"
#include "codec/error.hpp"
#include "entity/entity.hpp"

namespace versile::codec {
namespace {

std::vector<std::uint8_t> payload(std::size_t n, std::uint8_t seed) {
  std::vector<std::uint8_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(i * 7 + seed);
  return v;
}

// Feeds `wire` like a transport would: up to `chunk` bytes at a time through feed(), except
// that whenever the decoder offers a window of at least `min_direct` bytes, up to `chunk` bytes
// are copied into the window and committed. Returns the entities in order.
std::vector<Entity> decode_all(const std::vector<std::uint8_t>& wire, std::size_t chunk,
                               std::size_t min_direct, std::size_t* direct_bytes) {
  Decoder d;
  std::vector<Entity> out;
  std::size_t at = 0;
  *direct_bytes = 0;
  while (at < wire.size()) {
    Decoder::Result r;
    auto direct = d.direct_input(min_direct);
    if (!direct.window.empty()) {
      EXPECT_GE(direct.window.size(), min_direct);
      const std::size_t n = std::min({chunk, direct.window.size(), wire.size() - at});
      std::memcpy(direct.window.data(), wire.data() + at, n);
      r = d.commit_direct(direct.window.data(), n);
      EXPECT_EQ(r.consumed, 0u);
      at += n;
      *direct_bytes += n;
    } else {
      const std::size_t n = std::min(chunk, wire.size() - at);
      r = d.feed({wire.data() + at, n});
      at += r.consumed;
    }
    EXPECT_NE(r.status, Decoder::Status::error) << r.error.message();
    if (r.status == Decoder::Status::error) break;
    if (r.status == Decoder::Status::complete) out.push_back(d.take());
  }
  return out;
}

TEST(DecoderDirectInput, LargePayloadsDecodeAsWhenFed) {
  const Entity a{Tuple{Entity(7), Entity(Bytes(payload(300000, 1))), Entity("tail")}};
  const Entity b{Bytes(payload(70000, 2))};
  const Entity c{Tuple{Entity(Bytes(payload(100, 3))), Entity(Bytes(payload(50000, 4)))}};
  std::vector<std::uint8_t> wire;
  for (const Entity* e : {&a, &b, &c}) {
    OutputBuffer buf;
    ASSERT_FALSE(encode(*e, buf));
    const auto flat = buf.flatten();
    wire.insert(wire.end(), flat.begin(), flat.end());
  }
  for (std::size_t chunk : {1000u, 4096u, 65536u, 1u << 20}) {
    SCOPED_TRACE(chunk);
    std::size_t direct = 0;
    const auto out = decode_all(wire, chunk, 16384, &direct);
    ASSERT_EQ(out.size(), 3u);
    EXPECT_EQ(out[0], a);
    EXPECT_EQ(out[1], b);
    EXPECT_EQ(out[2], c);
    // Small chunks leave most payload bytes to the direct path; a chunk holding a whole
    // message is simply fed.
    if (chunk <= 65536) {
      EXPECT_GT(direct, 200000u);
    }
  }
}

TEST(DecoderDirectInput, NoWindowOutsideLargeBytePayloads) {
  Decoder d;
  EXPECT_TRUE(d.direct_input(1).window.empty());  // before any input
  OutputBuffer buf;
  ASSERT_FALSE(encode(Entity(Tuple{Entity(Bytes(payload(40000, 5)))}), buf));
  const auto wire = buf.flatten();
  // Only the header: the decoder is at the payload with 40000 bytes missing.
  const std::size_t header = wire.size() - 40000;
  auto r = d.feed({wire.data(), header});
  ASSERT_EQ(r.status, Decoder::Status::need_more);
  EXPECT_TRUE(d.direct_input(40001).window.empty());  // less missing than asked for
  auto direct = d.direct_input(40000);
  ASSERT_EQ(direct.window.size(), 40000u);
  std::memcpy(direct.window.data(), wire.data() + header, 40000);
  r = d.commit_direct(direct.window.data(), 40000);
  ASSERT_EQ(r.status, Decoder::Status::complete);
  EXPECT_EQ(d.take(), Entity(Tuple{Entity(Bytes(payload(40000, 5)))}));
  EXPECT_TRUE(d.direct_input(1).window.empty());
}

TEST(DecoderDirectInput, StaleWindowIsAnError) {
  Decoder d;
  OutputBuffer buf;
  ASSERT_FALSE(encode(Entity(Bytes(payload(50000, 6))), buf));
  const auto wire = buf.flatten();
  ASSERT_EQ(d.feed({wire.data(), wire.size() - 50000}).status, Decoder::Status::need_more);
  auto direct = d.direct_input(1);
  ASSERT_FALSE(direct.window.empty());
  // Input fed the normal way moves the payload on: the old window start is stale.
  ASSERT_EQ(d.feed({wire.data() + wire.size() - 50000, 10}).status, Decoder::Status::need_more);
  auto r = d.commit_direct(direct.window.data(), 5);
  EXPECT_EQ(r.status, Decoder::Status::error);
  EXPECT_EQ(r.error, Errc::direct_input_mismatch);
  // More than the window holds is rejected too.
  Decoder d2;
  ASSERT_EQ(d2.feed({wire.data(), wire.size() - 50000}).status, Decoder::Status::need_more);
  auto w2 = d2.direct_input(1);
  EXPECT_EQ(d2.commit_direct(w2.window.data(), 50001).error, Errc::direct_input_mismatch);
}

}  // namespace
}  // namespace versile::codec
