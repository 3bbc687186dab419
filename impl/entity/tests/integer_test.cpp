#include <gtest/gtest.h>

#include <limits>

#include "entity/entity.hpp"

namespace versile {
namespace {

using Big = Integer::Big;

Big pow2(unsigned n) { return Big(1) << n; }

TEST(Integer, SmallFastPathAndCanonicalBig) {
  EXPECT_TRUE(Integer(5).is_small());
  EXPECT_TRUE(Integer(std::numeric_limits<std::int64_t>::min()).is_small());
  EXPECT_TRUE(Integer(std::numeric_limits<std::int64_t>::max()).is_small());
  EXPECT_FALSE(Integer(std::numeric_limits<std::uint64_t>::max()).is_small());
  // A Big inside int64 is stored small, so equality does not depend on construction.
  EXPECT_TRUE(Integer(Big(42)).is_small());
  EXPECT_EQ(Integer(Big(42)), Integer(42));
  EXPECT_EQ(Integer(Big(42)).hash(), Integer(42).hash());
  EXPECT_FALSE(Integer(pow2(63)).is_small());
  EXPECT_TRUE(Integer(-pow2(63)).is_small());
  EXPECT_FALSE(Integer(-pow2(63) - 1).is_small());
}

TEST(Integer, Boundaries) {
  struct Case {
    Big value;
    bool fits_int64;
    bool fits_uint64;
  };
  const Case cases[] = {
      {pow2(31) - 1, true, true},   {pow2(31), true, true},       {pow2(31) + 1, true, true},
      {-pow2(31) - 1, true, false}, {-pow2(31), true, false},     {-pow2(31) + 1, true, false},
      {pow2(32) - 1, true, true},   {pow2(32), true, true},       {pow2(63) - 1, true, true},
      {pow2(63), false, true},      {pow2(63) + 1, false, true},  {-pow2(63), true, false},
      {-pow2(63) - 1, false, false}, {pow2(64) - 1, false, true}, {pow2(64), false, false},
      {pow2(64) + 1, false, false}, {-pow2(64), false, false},    {pow2(2048) + 1, false, false},
      {-pow2(4096), false, false},  {Big(0), true, true},         {Big(-1), true, false},
  };
  for (const auto& c : cases) {
    const Integer i(c.value);
    SCOPED_TRACE(c.value.str());
    EXPECT_EQ(i.to_big(), c.value);
    EXPECT_EQ(i.to_int64().has_value(), c.fits_int64);
    EXPECT_EQ(i.to_uint64().has_value(), c.fits_uint64);
    if (c.fits_int64) {
      EXPECT_EQ(Big(*i.to_int64()), c.value);
    }
    if (c.fits_uint64) {
      EXPECT_EQ(Big(*i.to_uint64()), c.value);
    }
    EXPECT_EQ(i.sign(), c.value.sign());
    EXPECT_EQ(i.to_decimal(), c.value.str());
    EXPECT_EQ(Integer::from_decimal(c.value.str()), i);
  }
}

TEST(Integer, UnsignedConstructor) {
  const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  EXPECT_EQ(Integer(max).to_decimal(), "18446744073709551615");
  EXPECT_EQ(Integer(max).to_uint64(), max);
  EXPECT_EQ(Integer(std::uint64_t{1} << 63).to_decimal(), "9223372036854775808");
  EXPECT_EQ(Integer(std::uint32_t{4000000000u}).to_int64(), 4000000000);
  EXPECT_EQ(Integer(static_cast<signed char>(-5)).to_int64(), -5);
}

TEST(Integer, DecimalParsing) {
  EXPECT_EQ(Integer::from_decimal("0"), Integer(0));
  EXPECT_EQ(Integer::from_decimal("-0"), Integer(0));
  EXPECT_EQ(Integer::from_decimal("007"), Integer(7));
  EXPECT_EQ(Integer::from_decimal("-9223372036854775808"), Integer(std::numeric_limits<std::int64_t>::min()));
  EXPECT_EQ(Integer::from_decimal("9223372036854775807"), Integer(std::numeric_limits<std::int64_t>::max()));
  EXPECT_FALSE(Integer::from_decimal("9223372036854775808")->is_small());
  EXPECT_EQ(Integer::from_decimal("000000000000000000000000000000000000012"), Integer(12));
  for (const char* bad : {"", "-", "+1", " 1", "1 ", "1.0", "1e5", "0x10", "--1", "1-", "١"}) {
    EXPECT_FALSE(Integer::from_decimal(bad).has_value()) << bad;
  }
}

TEST(Integer, DecimalRoundTripOfHugeValues) {
  Big v = 1;
  for (int i = 0; i < 300; ++i) {
    v = v * 7 + i;
    for (const Big& x : {v, Big(-v)}) {
      const Integer a(x);
      const auto b = Integer::from_decimal(a.to_decimal());
      ASSERT_TRUE(b.has_value());
      EXPECT_EQ(*b, a);
      EXPECT_EQ(b->hash(), a.hash());
      EXPECT_EQ(b->to_big(), x);
    }
  }
}

TEST(Integer, Ordering) {
  const std::vector<Integer> ascending = {
      Integer(-pow2(100)), Integer(-pow2(64)), Integer(-pow2(63) - 1),
      Integer(std::numeric_limits<std::int64_t>::min()), Integer(-1), Integer(0), Integer(1),
      Integer(std::numeric_limits<std::int64_t>::max()), Integer(pow2(63)), Integer(pow2(64)),
      Integer(pow2(100))};
  for (std::size_t i = 0; i < ascending.size(); ++i) {
    for (std::size_t j = 0; j < ascending.size(); ++j) {
      EXPECT_EQ(ascending[i] <=> ascending[j], i <=> j) << i << " " << j;
      EXPECT_EQ(ascending[i] == ascending[j], i == j);
    }
  }
}

}  // namespace
}  // namespace versile
