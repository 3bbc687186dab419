// Data patterns of the conformance gateway (conformance-gateway.md, "Data patterns"): byte
// contents and entity items that both sides of a scenario can regenerate independently, so a
// harness checks what it read without the data travelling twice.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "entity/entity.hpp"

namespace vpstream::conformance {

// The modulus of the byte pattern. Prime, so the pattern never repeats on a power-of-two
// boundary and a read at a wrong offset always shows.
inline constexpr std::uint32_t pattern_modulus = 251;

// seed mod 251 in [0, 251) for a seed of any size (the wire allows any integer); the pattern
// depends only on this residue, so the int64 overloads below accept it for any seed.
std::int64_t pattern_seed(const versile::Integer& seed);

// Byte `index` of pattern(·, seed): (index * 31 + seed) mod 251, with a mathematical (never
// negative) modulo for negative seeds.
std::uint8_t pattern_byte(std::uint64_t index, std::int64_t seed) noexcept;

// Writes bytes [offset, offset + out.size()) of the pattern with `seed` into `out`; lets
// streamer data produce any window of a long pattern without materialising all of it.
void fill_pattern(std::span<std::uint8_t> out, std::uint64_t offset, std::int64_t seed) noexcept;

// `length` bytes where byte i is (i * 31 + seed) mod 251.
versile::Bytes pattern(std::size_t length, std::int64_t seed);

// The entity tuple [i, "item-<i>", pattern(i mod 17, i)].
versile::Entity item(std::uint64_t i);

}  // namespace vpstream::conformance
