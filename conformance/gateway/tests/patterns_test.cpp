// The data patterns of conformance-gateway.md, checked against the formula computed directly.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "gateway/patterns.hpp"

namespace vpstream::conformance {
namespace {

using Big = versile::Integer::Big;

// The spec's formula with arbitrary precision and a mathematical modulo.
std::uint8_t formula(const Big& index, const Big& seed) {
  Big r = (index * 31 + seed) % 251;
  if (r < 0) r += 251;
  return static_cast<std::uint8_t>(r);
}

std::vector<std::uint8_t> bytes_of(const versile::Bytes& b) { return {b.data(), b.data() + b.size()}; }

TEST(Patterns, HandComputedValues) {
  EXPECT_EQ(bytes_of(pattern(5, 0)), (std::vector<std::uint8_t>{0, 31, 62, 93, 124}));
  EXPECT_EQ(bytes_of(pattern(4, 250)), (std::vector<std::uint8_t>{250, 30, 61, 92}));
  EXPECT_EQ(bytes_of(pattern(2, -1)), (std::vector<std::uint8_t>{250, 30}));
  EXPECT_TRUE(pattern(0, 7).empty());
}

TEST(Patterns, MatchTheFormulaForManySeeds) {
  for (std::int64_t seed : {std::int64_t{0}, std::int64_t{1}, std::int64_t{-1}, std::int64_t{250},
                            std::int64_t{251}, std::int64_t{-252}, std::int64_t{123456789},
                            INT64_MAX, INT64_MIN}) {
    const versile::Bytes p = pattern(2000, seed);
    ASSERT_EQ(p.size(), 2000u);
    for (std::size_t i = 0; i < p.size(); ++i) {
      ASSERT_EQ(p.data()[i], formula(Big(i), Big(seed))) << "seed " << seed << " byte " << i;
      ASSERT_EQ(pattern_byte(i, seed), p.data()[i]);
    }
  }
}

TEST(Patterns, PeriodIs251NotAPowerOfTwo) {
  const versile::Bytes p = pattern(1024, 9);
  for (std::size_t i = 0; i + 251 < p.size(); ++i) ASSERT_EQ(p.data()[i], p.data()[i + 251]);
  bool differs_at_256 = false;
  for (std::size_t i = 0; i + 256 < p.size(); ++i) differs_at_256 |= p.data()[i] != p.data()[i + 256];
  EXPECT_TRUE(differs_at_256);
}

TEST(Patterns, WindowsAtAnyOffset) {
  const versile::Bytes whole = pattern(3000, 42);
  for (std::uint64_t offset : {0u, 1u, 250u, 251u, 1000u, 2999u}) {
    std::vector<std::uint8_t> window(std::min<std::uint64_t>(300, 3000 - offset));
    fill_pattern(window, offset, 42);
    for (std::size_t i = 0; i < window.size(); ++i) {
      ASSERT_EQ(window[i], whole.data()[offset + i]) << "offset " << offset << " byte " << i;
    }
  }
  // Offsets far beyond any buffer (a streamer position near 2^64).
  const std::uint64_t far = UINT64_MAX - 5;
  std::vector<std::uint8_t> tail(5);
  fill_pattern(tail, far, -7);
  for (std::size_t i = 0; i < tail.size(); ++i) {
    EXPECT_EQ(tail[i], formula(Big(far) + i, Big(-7)));
  }
}

TEST(Patterns, SeedsOfAnySizeReduceToTheirResidue) {
  const versile::Integer huge = *versile::Integer::from_decimal("100000000000000000000000000007");
  const versile::Integer negative = *versile::Integer::from_decimal("-100000000000000000000000000007");
  const Big huge_big = huge.to_big();
  EXPECT_EQ(pattern_seed(huge), static_cast<std::int64_t>(formula(0, huge_big)));
  EXPECT_EQ(pattern_seed(negative), static_cast<std::int64_t>(formula(0, -huge_big)));
  EXPECT_EQ(pattern_seed(versile::Integer(-1)), 250);
  EXPECT_EQ(pattern_seed(versile::Integer(502)), 0);
  const versile::Bytes p = pattern(600, pattern_seed(negative));
  for (std::size_t i = 0; i < p.size(); ++i) ASSERT_EQ(p.data()[i], formula(Big(i), -huge_big));
}

TEST(Patterns, Items) {
  using versile::Entity;
  EXPECT_EQ(item(0), Entity(versile::Tuple{Entity(0), Entity("item-0"), Entity(versile::Bytes())}));
  EXPECT_EQ(item(20), Entity(versile::Tuple{Entity(20), Entity("item-20"), Entity(pattern(3, 20))}));
  for (std::uint64_t i : {1u, 16u, 17u, 18u, 300u, 1000000u}) {
    const Entity e = item(i);
    const versile::Tuple& t = e.as_tuple();
    ASSERT_EQ(t.size(), 3u);
    EXPECT_EQ(t[0], Entity(versile::Integer(i)));
    EXPECT_EQ(t[1].as_string(), "item-" + std::to_string(i));
    const versile::Bytes& b = t[2].as_bytes();
    ASSERT_EQ(b.size(), i % 17);
    for (std::size_t k = 0; k < b.size(); ++k) EXPECT_EQ(b.data()[k], formula(Big(k), Big(i)));
  }
  const std::uint64_t big_index = UINT64_MAX;
  const Entity last = item(big_index);
  EXPECT_EQ(last.as_tuple()[0], Entity(versile::Integer(big_index)));
  EXPECT_EQ(last.as_tuple()[1].as_string(), "item-18446744073709551615");
  EXPECT_EQ(last.as_tuple()[2], Entity(pattern(big_index % 17, pattern_seed(versile::Integer(big_index)))));
}

}  // namespace
}  // namespace vpstream::conformance
