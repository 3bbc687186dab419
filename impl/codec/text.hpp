// String payload codecs (entities.md §5.5): strict UTF-8 validation and the reference's UTF-16
// (BOM ff fe + little endian on output; BOM honoured, little endian assumed without one).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace versile::codec::text {

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF, no truncation.
bool is_valid_utf8(std::span<const std::uint8_t> bytes) noexcept;

// Decodes UTF-16 data (optional BOM) to UTF-8; false on odd length or unpaired surrogates.
bool utf16_to_utf8(std::span<const std::uint8_t> bytes, std::string& out);

// Appends `utf8` (already valid) as BOM ff fe + UTF-16LE.
void utf8_to_utf16le(std::string_view utf8, std::vector<std::uint8_t>& out);

}  // namespace versile::codec::text
