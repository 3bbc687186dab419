#include "vse/stream/streamer_proxy.hpp"

#include <array>
#include <string_view>

namespace versile::stream {
namespace {

// The full OID prefix of VSE (1.3.6.1.4.1.38927.1) followed by the stream arc.
constexpr std::array<std::int64_t, 9> vse_stream_full_prefix{1, 3, 6, 1, 4, 1, 38927, 1, 2};
constexpr std::int64_t full_oid_header = 100;  // 10*n + t with n = 10 arcs, t = 0 (absolute)
constexpr std::int64_t name_header = -1;

std::optional<std::int64_t> small_int(const Entity& e) {
  const Integer* i = e.get_if<Integer>();
  if (!i) return std::nullopt;
  return i->to_int64();
}

bool is_int(const Entity& e, std::int64_t v) {
  auto i = small_int(e);
  return i && *i == v;
}

std::optional<ElementKind> kind_from_arc(const Entity& e) {
  auto i = small_int(e);
  if (!i) return std::nullopt;
  if (*i == 1) return ElementKind::bytes;
  if (*i == 2) return ElementKind::entities;
  return std::nullopt;
}

bool is_str(const Entity& e, std::string_view s) {
  const String* str = e.get_if<String>();
  return str && str->str() == s;
}

// Recognises the header; on success sets `kind` and returns how many tags it used.
std::size_t match_header(std::span<const Entity> tags, ElementKind& kind) {
  if (tags.empty()) return 0;
  if (is_int(tags[0], vse_oid_header)) {
    if (tags.size() < 3 || !is_int(tags[1], vse_stream_arc)) return 0;
    auto k = kind_from_arc(tags[2]);
    if (!k) return 0;
    kind = *k;
    return 3;
  }
  if (is_int(tags[0], full_oid_header)) {
    if (tags.size() < 1 + vse_stream_full_prefix.size() + 1) return 0;
    for (std::size_t i = 0; i < vse_stream_full_prefix.size(); ++i) {
      if (!is_int(tags[1 + i], vse_stream_full_prefix[i])) return 0;
    }
    auto k = kind_from_arc(tags[1 + vse_stream_full_prefix.size()]);
    if (!k) return 0;
    kind = *k;
    return 2 + vse_stream_full_prefix.size();
  }
  if (is_int(tags[0], name_header)) {
    if (tags.size() < 3) return 0;
    const Tuple* name = tags[1].get_if<Tuple>();
    const Tuple* version = tags[2].get_if<Tuple>();
    if (!name || !version || name->size() != 3 || version->size() != 2) return 0;
    if (!is_str((*name)[0], "versile") || !is_str((*name)[1], "stream")) return 0;
    if (is_str((*name)[2], "bytestreamer")) {
      kind = ElementKind::bytes;
    } else if (is_str((*name)[2], "entitystreamer")) {
      kind = ElementKind::entities;
    } else {
      return 0;
    }
    if (!is_int((*version)[0], 0) || !is_int((*version)[1], 8)) return 0;
    return 3;
  }
  return 0;
}

}  // namespace

Entity encode_streamer_tag(ElementKind kind, const ObjectRef& streamer, std::int64_t mode) {
  return Entity(Tagged(Entity(streamer), {Entity(vse_oid_header), Entity(vse_stream_arc),
                                          Entity(streamer_type_arc(kind)), Entity(mode)}));
}

std::optional<StreamerTag> decode_streamer_tag(const Entity& entity, std::error_code& error) {
  error = {};
  const Tagged* tagged = entity.get_if<Tagged>();
  ElementKind kind{};
  const std::size_t used = tagged ? match_header(tagged->tags(), kind) : 0;
  if (used == 0) {
    error = StreamErrc::proxy_not_streamer_tag;
    return std::nullopt;
  }
  const auto tags = tagged->tags();
  if (tags.size() != used + 1) {
    error = StreamErrc::proxy_bad_residual_tags;
    return std::nullopt;
  }
  auto mode = small_int(tags[used]);  // a boolean is not an Integer, hence rejected
  if (!mode) {
    error = StreamErrc::proxy_mode_not_integer;
    return std::nullopt;
  }
  const ObjectRef* ref = tagged->value().get_if<ObjectRef>();
  if (!ref) {
    error = StreamErrc::proxy_value_not_object;
    return std::nullopt;
  }
  return StreamerTag{kind, *ref, *mode};
}

std::optional<ByteStreamerProxy> to_byte_streamer_proxy(const Entity& entity,
                                                        std::error_code* error) {
  std::error_code ec;
  auto tag = decode_streamer_tag(entity, ec);
  if (tag && tag->kind != ElementKind::bytes) ec = StreamErrc::proxy_not_streamer_tag;
  if (error) *error = ec;
  if (ec) return std::nullopt;
  return ByteStreamerProxy(tag->streamer, tag->mode);
}

std::optional<EntityStreamerProxy> to_entity_streamer_proxy(const Entity& entity,
                                                            std::error_code* error) {
  std::error_code ec;
  auto tag = decode_streamer_tag(entity, ec);
  if (tag && tag->kind != ElementKind::entities) ec = StreamErrc::proxy_not_streamer_tag;
  if (error) *error = ec;
  if (ec) return std::nullopt;
  return EntityStreamerProxy(tag->streamer, tag->mode);
}

}  // namespace versile::stream

namespace versile {

stream::ByteStreamerProxy EntityConverter<stream::ByteStreamerProxy>::from_entity(
    const Entity& e) {
  std::error_code ec;
  auto p = stream::to_byte_streamer_proxy(e, &ec);
  if (!p) throw EntityTypeError("not a byte streamer proxy: " + ec.message());
  return *p;
}

stream::EntityStreamerProxy EntityConverter<stream::EntityStreamerProxy>::from_entity(
    const Entity& e) {
  std::error_code ec;
  auto p = stream::to_entity_streamer_proxy(e, &ec);
  if (!p) throw EntityTypeError("not an entity streamer proxy: " + ec.message());
  return *p;
}

}  // namespace versile
