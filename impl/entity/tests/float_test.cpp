#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <random>

#include "entity/convert.hpp"
#include "entity/vej.hpp"
#include "vector_file.hpp"

namespace versile {
namespace {

Float triple(std::int64_t d, std::int64_t b, std::int64_t e) { return Float{Integer(d), Integer(b), Integer(e)}; }

TEST(FloatFromDouble, SpecExamples) {
  EXPECT_EQ(Float::from_double(1.0), triple(1, 2, 0));
  EXPECT_EQ(Float::from_double(0.5), triple(1, 2, -1));
  EXPECT_EQ(Float::from_double(3.0), triple(24, 2, -3));
  EXPECT_EQ(Float::from_double(2.5), triple(20, 2, -3));
  EXPECT_EQ(Float::from_double(-2.5), triple(-20, 2, -3));
  EXPECT_EQ(Float::from_double(0.1), triple(7205759403792794, 2, -56));
  EXPECT_EQ(Float::from_double(5e-324), triple(1, 2, -1074));
  EXPECT_EQ(Float::from_double(1.7976931348623157e308), triple(9007199254740991, 2, 971));
  EXPECT_EQ(Float::from_double(0.0), triple(0, 2, 0));
  EXPECT_EQ(Float::from_double(-0.0), triple(0, 2, 0));
  EXPECT_EQ(Float::from_double(DBL_MIN), triple(1, 2, -1022));
  // Largest subnormal: 0.fffffffffffffp-1022.
  EXPECT_EQ(Float::from_double(std::nextafter(DBL_MIN, 0.0)), triple(0xfffffffffffff, 2, -1074));
}

TEST(FloatFromDouble, NonFiniteThrows) {
  EXPECT_THROW(Float::from_double(std::numeric_limits<double>::infinity()), EntityTypeError);
  EXPECT_THROW(Float::from_double(-std::numeric_limits<double>::infinity()), EntityTypeError);
  EXPECT_THROW(Float::from_double(std::numeric_limits<double>::quiet_NaN()), EntityTypeError);
}

TEST(FloatFromDouble, MatchesEveryReferenceDoubleVector) {
  std::size_t checked = 0;
  for (const auto& v : testing::read_jsonl("entity-vectors.jsonl")) {
    const std::string name = v["name"];
    if (name.rfind("float2/", 0) != 0 || name.rfind("float2/raw/", 0) == 0) continue;
    const double x = std::strtod(name.c_str() + 7, nullptr);
    EXPECT_EQ(Entity(Float::from_double(x)), from_vej(v["entity"])) << name;
    ++checked;
  }
  EXPECT_EQ(checked, 25u);
}

TEST(FloatFromDouble, RandomDoublesRoundTrip) {
  std::mt19937_64 rng(20261126);
  for (int i = 0; i < 200000; ++i) {
    double x;
    do {
      x = std::bit_cast<double>(rng());
    } while (!std::isfinite(x));
    const Float f = Float::from_double(x);
    const auto back = f.to_double();
    ASSERT_TRUE(back.has_value()) << x;
    if (x == 0.0) {
      EXPECT_EQ(*back, 0.0);
    } else {
      EXPECT_EQ(std::bit_cast<std::uint64_t>(*back), std::bit_cast<std::uint64_t>(x)) << x;
    }
    EXPECT_EQ(nearest_double(f), *back);
    // The fraction's trailing zero hex digits are dropped, so digits is not divisible by 16.
    if (x != 0.0) {
      EXPECT_NE(*f.digits.to_int64() % 16, 0) << x;
    }
  }
}

TEST(FloatToDouble, ExactOnly) {
  EXPECT_EQ(triple(150, 10, -2).to_double(), 1.5);
  EXPECT_EQ(triple(1, 10, -3).to_double(), std::nullopt);  // 0.001 is not a double
  EXPECT_EQ(triple(1, 10, 5).to_double(), 100000.0);
  EXPECT_EQ(triple(255, 16, -2).to_double(), 255.0 / 256.0);
  EXPECT_EQ(triple(-4095, 16, 3).to_double(), -4095.0 * 4096.0);
  EXPECT_EQ(triple(2, 3, -1).to_double(), std::nullopt);
  EXPECT_EQ(triple(9, 3, -2).to_double(), 1.0);
  EXPECT_EQ(triple(42, 7, -5).to_double(), std::nullopt);
  EXPECT_EQ(triple(0, 7, 123456789).to_double(), 0.0);
  EXPECT_EQ(triple(3, 2, -1074).to_double(), 3 * 5e-324);
  EXPECT_EQ(triple(1, 2, -1075).to_double(), std::nullopt);
  EXPECT_EQ(triple(2, 2, -1075).to_double(), 5e-324);
  EXPECT_EQ(triple(1, 2, 1023).to_double(), std::ldexp(1.0, 1023));
  EXPECT_EQ(triple(1, 2, 1024).to_double(), std::nullopt);
  EXPECT_EQ(triple((std::int64_t{1} << 53) + 1, 2, 0).to_double(), std::nullopt);
  EXPECT_EQ(triple((std::int64_t{1} << 53) + 2, 2, 0).to_double(), 9007199254740994.0);
  EXPECT_EQ((Float{Integer(7), Integer(2), Integer(Integer::Big(1) << 40)}).to_double(), std::nullopt);
  EXPECT_EQ((Float{Integer(7), Integer(10), Integer(-(Integer::Big(1) << 40))}).to_double(), std::nullopt);
  // Exact division by a large power of an odd base, and a cheap refusal when it cannot divide.
  const Integer::Big three_pow = boost::multiprecision::pow(Integer::Big(3), 5000);
  EXPECT_EQ((Float{Integer(three_pow), Integer(3), Integer(-5000)}).to_double(), 1.0);
  // 5·3^5000 × 6^-5000 = 5 × 2^-5000: exact, but below the double range.
  EXPECT_EQ((Float{Integer(three_pow * 5), Integer(6), Integer(-5000)}).to_double(), std::nullopt);
  const Integer::Big three_50 = boost::multiprecision::pow(Integer::Big(3), 50);
  EXPECT_EQ((Float{Integer(three_50 * 5), Integer(6), Integer(-50)}).to_double(), std::ldexp(5.0, -50));
  const Integer::Big wide = (Integer::Big(1) << 200000) + 1;
  EXPECT_EQ((Float{Integer(wide), Integer(3), Integer(-120000)}).to_double(), std::nullopt);
  EXPECT_EQ((Float{Integer(wide), Integer(3), Integer(-100000)}).to_double(), std::nullopt);
  // A huge base that is a power of two: 2^3000 ^ -1 × 2^3000 = 1.
  const Integer::Big big_pow = Integer::Big(1) << 3000;
  EXPECT_EQ((Float{Integer(big_pow), Integer(big_pow), Integer(-1)}).to_double(), 1.0);
}

TEST(NearestDouble, RoundsCorrectly) {
  EXPECT_EQ(nearest_double(triple(1, 10, -1)), 0.1);
  EXPECT_EQ(nearest_double(triple(1, 10, -3)), 0.001);
  EXPECT_EQ(nearest_double(triple(-123456, 10, -10)), -123.456e-7);
  EXPECT_EQ(nearest_double(triple(314159, 10, -5)), 3.14159);
  EXPECT_EQ(nearest_double(triple(7, 10, -300)), 7e-300);
  EXPECT_EQ(nearest_double(triple(5, 10, 300)), 5e300);
  EXPECT_EQ(nearest_double(triple(2, 3, -1)), 2.0 / 3.0);
  EXPECT_EQ(nearest_double(triple(1, 10, -400)), 0.0);
  EXPECT_TRUE(std::signbit(nearest_double(triple(-1, 10, -400))));
  EXPECT_EQ(nearest_double(triple(999, 10, 997)), HUGE_VAL);
  EXPECT_EQ(nearest_double(triple(-999, 10, 997)), -HUGE_VAL);
  EXPECT_EQ(nearest_double(triple(1, 2, -1075)), 0.0);        // tie → even (0)
  EXPECT_EQ(nearest_double(triple(3, 2, -1075)), 1e-323);     // tie → even (2 × 2^-1074)
  EXPECT_EQ(nearest_double(triple((std::int64_t{1} << 53) + 1, 2, 0)), 9007199254740992.0);
  EXPECT_EQ(nearest_double(triple((std::int64_t{1} << 53) + 3, 2, 0)), 9007199254740996.0);
  const Integer::Big digits("12345678901234567890123456789");
  EXPECT_EQ(nearest_double(Float{Integer(digits), Integer(10), Integer(-9)}), 12345678901234567890.123456789);
  EXPECT_EQ(nearest_double(Float{Integer(7), Integer(10), Integer(Integer::Big(1) << 40)}), HUGE_VAL);
  EXPECT_EQ(nearest_double(Float{Integer(7), Integer(10), Integer(-(Integer::Big(1) << 40))}), 0.0);
  // Decimal strings parsed by strtod agree with nearest_double of the exact decimal.
  std::mt19937_64 rng(7);
  for (int i = 0; i < 2000; ++i) {
    const auto digits_v = static_cast<std::int64_t>(rng() % 100000000000000000ULL);
    const int exp = static_cast<int>(rng() % 700) - 350;
    const std::string text = std::to_string(digits_v) + "e" + std::to_string(exp);
    EXPECT_EQ(nearest_double(triple(digits_v, 10, exp)), std::strtod(text.c_str(), nullptr)) << text;
  }
}

TEST(NearestDouble, Integers) {
  EXPECT_EQ(nearest_double(Integer(5)), 5.0);
  EXPECT_EQ(nearest_double(Integer((std::int64_t{1} << 53) + 1)), 9007199254740992.0);
  EXPECT_EQ(nearest_double(Integer(std::numeric_limits<std::int64_t>::min())), -9223372036854775808.0);
  EXPECT_EQ(nearest_double(Integer(Integer::Big(1) << 1023)), std::ldexp(1.0, 1023));
  EXPECT_EQ(nearest_double(Integer(Integer::Big(1) << 1024)), HUGE_VAL);
  EXPECT_EQ(nearest_double(Integer(-(Integer::Big(1) << 5000))), -HUGE_VAL);
}

}  // namespace
}  // namespace versile
