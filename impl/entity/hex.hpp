// Hex text for byte strings, as VEJ ({"bytes": "00ff"}), the `vpstream entity` tool and the
// vp-trace/1 files write it: lowercase out, either case in.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace versile {

std::string to_hex(std::span<const std::uint8_t> bytes);

// nullopt for an odd number of digits or a non-hex character.
std::optional<std::vector<std::uint8_t>> from_hex(std::string_view text);

}  // namespace versile
