// PayloadPool: large payload buffers are handed out again after release, within the pool's
// count and byte limits; small payloads and badly fitting buffers are not pooled.
#include <gtest/gtest.h>

#include <thread>

#include "codec/payload_pool.hpp"

namespace versile::codec {
namespace {

constexpr std::size_t kMiB = 1024 * 1024;

TEST(PayloadPool, ReleasedBufferIsReusedForTheSameSize) {
  PayloadPool pool({.max_buffers = 4, .max_bytes = 8 * kMiB});
  auto a = pool.acquire(kMiB);
  const std::uint8_t* first = a.get();
  a.reset();
  EXPECT_EQ(pool.cached_buffers(), 1u);
  EXPECT_EQ(pool.cached_bytes(), kMiB);
  auto b = pool.acquire(kMiB);
  EXPECT_EQ(b.get(), first);
  EXPECT_EQ(pool.cached_buffers(), 0u);
  b.get()[kMiB - 1] = 7;  // the whole size is usable
}

TEST(PayloadPool, ABufferServesPayloadsDownToHalfItsCapacity) {
  PayloadPool pool({.max_buffers = 4, .max_bytes = 8 * kMiB});
  const std::uint8_t* big = nullptr;
  {
    auto a = pool.acquire(kMiB);
    big = a.get();
  }
  auto half = pool.acquire(kMiB / 2);
  EXPECT_EQ(half.get(), big);
  half.reset();
  auto smaller = pool.acquire(kMiB / 2 - 1);  // would waste more than half: fresh buffer
  EXPECT_NE(smaller.get(), big);
  auto larger = pool.acquire(kMiB + 1);  // does not fit
  EXPECT_NE(larger.get(), big);
  EXPECT_EQ(pool.cached_buffers(), 1u);
}

TEST(PayloadPool, SmallPayloadsAreNotPooled) {
  PayloadPool pool({.max_buffers = 4, .max_bytes = 8 * kMiB});
  auto a = pool.acquire(PayloadPool::kMinPooledSize - 1);
  ASSERT_NE(a.get(), nullptr);
  a.reset();
  EXPECT_EQ(pool.cached_buffers(), 0u);
}

TEST(PayloadPool, CountAndByteLimitsDropTheOldestBuffers) {
  PayloadPool pool({.max_buffers = 2, .max_bytes = 3 * kMiB});
  auto a = pool.acquire(kMiB);
  auto b = pool.acquire(kMiB);
  auto c = pool.acquire(kMiB);
  const std::uint8_t* pb = b.get();
  const std::uint8_t* pc = c.get();
  a.reset();
  b.reset();
  c.reset();  // count limit: a (the oldest) is dropped
  EXPECT_EQ(pool.cached_buffers(), 2u);
  EXPECT_EQ(pool.cached_bytes(), 2 * kMiB);
  auto d = pool.acquire(2 * kMiB);  // no cached buffer fits: fresh
  EXPECT_NE(d.get(), pb);
  EXPECT_NE(d.get(), pc);
  d.reset();  // 2 + 2 MiB > 3 MiB: b (now the oldest) is dropped
  EXPECT_EQ(pool.cached_buffers(), 2u);
  EXPECT_EQ(pool.cached_bytes(), 3 * kMiB);
  auto e = pool.acquire(kMiB + kMiB / 2);  // fits only the 2 MiB buffer
  auto f = pool.acquire(kMiB);
  EXPECT_EQ(f.get(), pc);  // c survived, b did not
  e.reset();
  f.reset();
  auto g = pool.acquire(4 * kMiB);  // over max_bytes: never cached
  g.reset();
  EXPECT_EQ(pool.cached_bytes(), 3 * kMiB);
}

TEST(PayloadPool, BuffersMayOutliveTheirAcquiringThread) {
  PayloadPool pool({.max_buffers = 8, .max_bytes = 16 * kMiB});
  std::shared_ptr<std::uint8_t> held;
  std::thread t([&] { held = pool.acquire(kMiB); });
  t.join();
  held.reset();
  EXPECT_EQ(pool.cached_buffers(), 1u);
}

}  // namespace
}  // namespace versile::codec
