#include "codec/error.hpp"

#include <string>

namespace versile::codec {

const char* errc_name(Errc e) noexcept {
  switch (e) {
    case Errc::ok: return "ok";
    case Errc::bad_type_code: return "bad_type_code";
    case Errc::tagged_without_value: return "tagged_without_value";
    case Errc::float_base_below_two: return "float_base_below_two";
    case Errc::no_peer_codec: return "no_peer_codec";
    case Errc::invalid_text: return "invalid_text";
    case Errc::unknown_codec: return "unknown_codec";
    case Errc::unknown_remote_id: return "unknown_remote_id";
    case Errc::references_unsupported: return "references_unsupported";
    case Errc::entity_too_large: return "entity_too_large";
    case Errc::too_deep: return "too_deep";
    case Errc::too_many_elements: return "too_many_elements";
    case Errc::netbytes_too_long: return "netbytes_too_long";
    case Errc::truncated: return "truncated";
    case Errc::trailing_bytes: return "trailing_bytes";
    case Errc::unencodable: return "unencodable";
    case Errc::bad_vec_header: return "bad_vec_header";
    case Errc::direct_input_mismatch: return "direct_input_mismatch";
  }
  return "unknown";
}

namespace {

class CodecCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "vp_codec"; }
  std::string message(int ev) const override {
    switch (static_cast<Errc>(ev)) {
      case Errc::ok: return "success";
      case Errc::bad_type_code: return "byte 0xff where an entity type code is expected";
      case Errc::tagged_without_value: return "tagged entity with count 0 (no value)";
      case Errc::float_base_below_two: return "float with base below 2";
      case Errc::no_peer_codec: return "0xf4 string but the peer announced no string codec";
      case Errc::invalid_text: return "string bytes are not valid for their codec";
      case Errc::unknown_codec: return "unknown string codec name";
      case Errc::unknown_remote_id: return "0xfd reference to an object id the receiver does not own";
      case Errc::references_unsupported: return "object reference in a context without object support";
      case Errc::entity_too_large: return "declared entity size exceeds the per-entity byte limit";
      case Errc::too_deep: return "entity nesting exceeds the depth limit";
      case Errc::too_many_elements: return "element count exceeds the limit";
      case Errc::netbytes_too_long: return "netbytes integer body exceeds any limit";
      case Errc::truncated: return "input ended inside an entity";
      case Errc::trailing_bytes: return "bytes follow a complete entity";
      case Errc::unencodable: return "value cannot be encoded in this context";
      case Errc::bad_vec_header: return "malformed or oversized VEC header line";
      case Errc::direct_input_mismatch: return "direct input committed to a stale payload window";
    }
    return "unknown codec error " + std::to_string(ev);
  }
};

}  // namespace

const std::error_category& codec_category() noexcept {
  static const CodecCategory category;
  return category;
}

}  // namespace versile::codec
