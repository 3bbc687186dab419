// Out-of-line parts of convert.hpp: rounding of exact numbers to double, range errors.
#include "entity/convert.hpp"

#include <cmath>

namespace versile {
namespace {

using Big = Integer::Big;

// log2(y) for y > 0, accurate to well under one unit (only used to bound magnitudes).
double log2_big(const Big& y) {
  const std::size_t m = msb(y);
  if (m < 63) return std::log2(static_cast<double>(static_cast<std::uint64_t>(y)));
  const std::size_t shift = m - 62;
  return static_cast<double>(shift) +
         std::log2(static_cast<double>(static_cast<std::uint64_t>(y >> shift)));
}

// The double nearest to num/den (both > 0), ties to even. Callers bound the magnitude to
// roughly [2^-1080, 2^1030] so the shifts below stay small.
double nearest_ratio(const Big& num, const Big& den) {
  const long e = static_cast<long>(msb(num)) - static_cast<long>(msb(den));  // floor(log2) is e or e-1
  long s = 52 - e;  // q = floor(num·2^s / den) then lies in [2^51, 2^53)
  Big q;
  Big r;
  Big d;
  auto divide = [&](long shift) {
    Big n = num;
    d = den;
    if (shift >= 0) {
      n <<= static_cast<unsigned>(shift);
    } else {
      d <<= static_cast<unsigned>(-shift);
    }
    divide_qr(n, d, q, r);
  };
  divide(s);
  if (q < (Big(1) << 52)) divide(++s);
  // Below 2^-1022 the lowest representable bit is fixed at 2^-1074 (subnormals).
  if (s > 1074) {
    s = 1074;
    divide(s);
  }
  const Big twice_r = r << 1;
  if (twice_r > d || (twice_r == d && bit_test(q, 0))) ++q;
  // q ≤ 2^53 fits exactly in a double; ldexp rounds nothing and overflows to infinity.
  return std::ldexp(static_cast<double>(static_cast<std::uint64_t>(q)), static_cast<int>(-s));
}

}  // namespace

double nearest_double(const Float& f) {
  if (f.base < Integer(2)) throw EntityTypeError("float base must be >= 2");
  if (f.digits.sign() == 0) return 0.0;
  if (const auto exact = f.to_double()) return *exact;
  const bool negative = f.digits.sign() < 0;
  const double inf = negative ? -HUGE_VAL : HUGE_VAL;
  const double zero = negative ? -0.0 : 0.0;
  const Big n = abs(f.digits.to_big());
  const Big b = f.base.to_big();
  const Big x = f.exp.to_big();
  // Estimate log2 of the value to settle overflow/underflow without huge powers.
  constexpr double kClamp = 9007199254740992.0;  // 2^53: beyond any bit size held in memory
  const double xd = x > Big(kClamp) ? kClamp : (x < Big(-kClamp) ? -kClamp : static_cast<double>(x));
  const double estimate = log2_big(n) + xd * log2_big(b);
  if (estimate > 1026.0) return inf;
  if (estimate < -1077.0) return zero;
  // Here |exp|·log2(base) ≤ log2(n) + 1077, so the power below is no larger than the input.
  const auto count = static_cast<unsigned>(abs(x));
  const Big power = pow(b, count);
  const double v = x.sign() >= 0 ? nearest_ratio(n * power, Big(1)) : nearest_ratio(n, power);
  return negative ? -v : v;
}

double nearest_double(const Integer& i) {
  if (const auto s = i.to_int64()) {
    constexpr std::int64_t kExact = std::int64_t{1} << 53;
    if (*s >= -kExact && *s <= kExact) return static_cast<double>(*s);
  }
  const Big v = i.to_big();
  const bool negative = v.sign() < 0;
  const Big n = abs(v);
  if (msb(n) > 1100) return negative ? -HUGE_VAL : HUGE_VAL;
  const double d = nearest_ratio(n, Big(1));
  return negative ? -d : d;
}

namespace detail {
void throw_integer_range(const Integer& v, bool is_signed, std::size_t bits) {
  throw EntityTypeError("integer " + v.to_decimal() + " does not fit in " + (is_signed ? "int" : "uint") +
                        std::to_string(bits));
}
}  // namespace detail

}  // namespace versile
