// Typed errors of the codec layer: everything a peer's bytes can do wrong (entities.md §8, §9).
#pragma once

#include <system_error>

namespace versile::codec {

enum class Errc {
  ok = 0,
  bad_type_code,          // 0xff where an entity type code is expected
  tagged_without_value,   // fe 00
  float_base_below_two,   // fb with base < 2
  no_peer_codec,          // f4 but the peer announced no codec
  invalid_text,           // text invalid for its codec (malformed UTF-8, odd UTF-16, surrogates)
  unknown_codec,          // f5 codec name not utf8/utf16 (or empty)
  unknown_remote_id,      // fd id the receiver does not own
  references_unsupported, // fc/fd in a context without object support
  entity_too_large,       // declared sizes exceed Limits::max_entity_bytes
  too_deep,               // nesting deeper than Limits::max_depth
  too_many_elements,      // a count above Limits::max_elements
  netbytes_too_long,      // a netbytes body longer than any limit allows
  truncated,              // input ended inside an entity (only when the caller says it ended)
  trailing_bytes,         // a complete entity followed by more input (single-entity decode)
  unencodable,            // encoder: value cannot be written (e.g. object without link context)
  bad_vec_header,         // VEC hello line malformed or too long
  direct_input_mismatch,  // commit_direct() for a window the decoder no longer expects
};

const std::error_category& codec_category() noexcept;
inline std::error_code make_error_code(Errc e) noexcept { return {static_cast<int>(e), codec_category()}; }
// Stable lowercase token for reports and the CLI ("bad_type_code", ...).
const char* errc_name(Errc e) noexcept;

}  // namespace versile::codec

template <>
struct std::is_error_code_enum<versile::codec::Errc> : std::true_type {};
