// Writing netbytes integers (entities.md §3) and the explicit integer form (§5.1). Internal to
// the codec; the decoder reads netbytes incrementally itself.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "entity/entity.hpp"

namespace versile::codec::netbytes {

// Appends the minimal unsigned form U(n).
void put_unsigned(std::vector<std::uint8_t>& out, std::uint64_t n);
void put_unsigned(std::vector<std::uint8_t>& out, const Integer::Big& n);  // n >= 0
// Appends the minimal signed form S(v).
void put_signed(std::vector<std::uint8_t>& out, const Integer& v);
// Appends the explicit integer encoding (single byte, ef ‖ U, or f0 ‖ U).
void put_explicit_integer(std::vector<std::uint8_t>& out, const Integer& v);

// Unsigned big-endian bytes as a big integer.
Integer::Big from_big_endian(std::span<const std::uint8_t> bytes);

}  // namespace versile::codec::netbytes
