#include "gateway/patterns.hpp"

#include <string>
#include <vector>

namespace vpstream::conformance {

namespace {

std::uint32_t seed_residue(std::int64_t seed) noexcept {
  const std::int64_t r = seed % static_cast<std::int64_t>(pattern_modulus);
  return static_cast<std::uint32_t>(r < 0 ? r + pattern_modulus : r);
}

}  // namespace

std::int64_t pattern_seed(const versile::Integer& seed) {
  if (const auto small = seed.to_int64()) return seed_residue(*small);
  versile::Integer::Big r = seed.to_big() % pattern_modulus;  // sign follows the dividend
  if (r < 0) r += pattern_modulus;
  return static_cast<std::int64_t>(r);
}

std::uint8_t pattern_byte(std::uint64_t index, std::int64_t seed) noexcept {
  // Reduce first so that index * 31 cannot overflow.
  const std::uint64_t i = index % pattern_modulus;
  return static_cast<std::uint8_t>((i * 31 + seed_residue(seed)) % pattern_modulus);
}

void fill_pattern(std::span<std::uint8_t> out, std::uint64_t offset, std::int64_t seed) noexcept {
  // Walk the residue incrementally: each step adds 31 modulo 251.
  std::uint32_t value = pattern_byte(offset, seed);
  for (std::uint8_t& b : out) {
    b = static_cast<std::uint8_t>(value);
    value += 31;
    if (value >= pattern_modulus) value -= pattern_modulus;
  }
}

versile::Bytes pattern(std::size_t length, std::int64_t seed) {
  std::vector<std::uint8_t> data(length);
  fill_pattern(data, 0, seed);
  return versile::Bytes(std::move(data));
}

versile::Entity item(std::uint64_t i) {
  const auto seed = static_cast<std::int64_t>(i % pattern_modulus);  // same residue as i
  return versile::Tuple{versile::Entity(versile::Integer(i)),
                        versile::Entity("item-" + std::to_string(i)),
                        versile::Entity(pattern(static_cast<std::size_t>(i % 17), seed))};
}

}  // namespace vpstream::conformance
