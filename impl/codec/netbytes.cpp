#include "codec/netbytes.hpp"

#include <iterator>
#include <limits>

namespace versile::codec::netbytes {

namespace {
constexpr std::uint64_t kSingleByteMax = 246;  // U(n) for n <= 246 is the byte n
constexpr std::uint64_t kOffset = 247;         // multi-byte forms carry n - 247
constexpr std::int64_t kSignedFastLimit = std::int64_t{1} << 62;  // |v| below: 2|v|+1 fits uint64
}  // namespace

void put_unsigned(std::vector<std::uint8_t>& out, std::uint64_t n) {
  if (n <= kSingleByteMax) {
    out.push_back(static_cast<std::uint8_t>(n));
    return;
  }
  const std::uint64_t m = n - kOffset;
  int len = 1;
  while (len < 8 && (m >> (8 * len)) != 0) ++len;
  out.push_back(static_cast<std::uint8_t>(246 + len));
  for (int i = len - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(m >> (8 * i)));
}

void put_unsigned(std::vector<std::uint8_t>& out, const Integer::Big& n) {
  if (n <= std::numeric_limits<std::uint64_t>::max()) {
    put_unsigned(out, static_cast<std::uint64_t>(n));
    return;
  }
  const Integer::Big m = n - kOffset;
  std::vector<std::uint8_t> body;
  boost::multiprecision::export_bits(m, std::back_inserter(body), 8, true);
  if (body.size() <= 8) {
    out.push_back(static_cast<std::uint8_t>(246 + body.size()));
  } else {
    out.push_back(0xff);
    put_unsigned(out, static_cast<std::uint64_t>(body.size() - 9));
  }
  out.insert(out.end(), body.begin(), body.end());
}

void put_signed(std::vector<std::uint8_t>& out, const Integer& v) {
  if (auto s = v.to_int64(); s && *s > -kSignedFastLimit && *s < kSignedFastLimit) {
    const std::uint64_t u = *s >= 0 ? 2 * static_cast<std::uint64_t>(*s)
                                    : 2 * static_cast<std::uint64_t>(-*s) + 1;
    put_unsigned(out, u);
    return;
  }
  const Integer::Big b = v.to_big();
  if (b >= 0) {
    put_unsigned(out, Integer::Big(2 * b));
  } else {
    put_unsigned(out, Integer::Big(-2 * b + 1));
  }
}

void put_explicit_integer(std::vector<std::uint8_t>& out, const Integer& v) {
  if (auto s = v.to_int64()) {
    const std::int64_t x = *s;
    if (x >= -1 && x <= 237) {
      out.push_back(static_cast<std::uint8_t>(x + 1));
    } else if (x >= 238) {
      out.push_back(0xef);
      put_unsigned(out, static_cast<std::uint64_t>(x) - 238);
    } else {
      out.push_back(0xf0);
      put_unsigned(out, static_cast<std::uint64_t>(-(x + 2)));
    }
    return;
  }
  const Integer::Big b = v.to_big();
  if (b >= 238) {
    out.push_back(0xef);
    put_unsigned(out, Integer::Big(b - 238));
  } else {
    out.push_back(0xf0);
    put_unsigned(out, Integer::Big(-b - 2));
  }
}

Integer::Big from_big_endian(std::span<const std::uint8_t> bytes) {
  Integer::Big v;
  if (!bytes.empty()) boost::multiprecision::import_bits(v, bytes.begin(), bytes.end(), 8, true);
  return v;
}

}  // namespace versile::codec::netbytes
