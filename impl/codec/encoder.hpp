// Explicit entity encoding (entities.md §2–§7): headers in pre-order, then payloads in reverse.
#pragma once

#include <optional>
#include <system_error>
#include <vector>

#include "codec/output_buffer.hpp"
#include "codec/reference_resolver.hpp"
#include "entity/entity.hpp"

namespace versile::codec {

struct EncodeOptions {
  // The codec this side announced in its VEC hello; strings without an explicit codec use f4
  // with it. nullopt: no channel codec, so every string is sent as f5 "utf8".
  std::optional<StringCodec> channel_codec = StringCodec::utf8;
  // Required to write live object references; raw references are written as they are.
  ReferenceResolver* refs = nullptr;
};

// Appends the encoding of `e` to `out`. On error nothing usable was appended and the error is
// Errc::unencodable (or the resolver's error).
std::error_code encode(const Entity& e, OutputBuffer& out, const EncodeOptions& opts = {});
// Convenience: the encoding as one contiguous vector; throws std::system_error on error.
std::vector<std::uint8_t> encode_to_vector(const Entity& e, const EncodeOptions& opts = {});

}  // namespace versile::codec
