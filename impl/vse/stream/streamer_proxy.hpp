// The VSE representation of streamers (stream.md §2): a VTagged whose value is the streamer
// object reference and whose tags are [21, 2, 1|2, mode] (VSE-relative OID form, the only form
// emitted). Decoding also accepts the full-OID form [100, 1,3,6,1,4,1,38927,1,2,1|2, mode] and
// the name form [-1, ("versile","stream","bytestreamer"|"entitystreamer"), (0,8), mode].
//
// ByteStreamerProxy / EntityStreamerProxy are the receiver's value types; with the
// EntityConverter specialisations below, `entity.as<versile::stream::EntityStreamerProxy>()`
// decodes a received proxy. connect() is defined by the stream-peer side (connect.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <system_error>

#include "entity/entity.hpp"
#include "vse/stream/connect_options.hpp"
#include "vse/stream/constants.hpp"
#include "vse/stream/stream_errors.hpp"

namespace versile::stream {

class Stream;

// The OID header code of the VSE-relative form: 10*n + t, n = 2 arcs, t = 1 (VSE prefix).
inline constexpr std::int64_t vse_oid_header = 21;
// Arcs after the VSE prefix 1.3.6.1.4.1.38927.1: (2, 1) byte streamer, (2, 2) entity streamer.
inline constexpr std::int64_t vse_stream_arc = 2;
constexpr std::int64_t streamer_type_arc(ElementKind k) noexcept {
  return k == ElementKind::bytes ? 1 : 2;
}

// What a streamer proxy entity carries.
struct StreamerTag {
  ElementKind kind;
  ObjectRef streamer;
  // The mode tag, stored unvalidated (REF accepts any integer, also 0 and negatives). Integers
  // outside int64 are rejected as proxy_mode_not_integer.
  std::int64_t mode;
};

// The tagged entity {"tagged": streamer, "tags": [21, 2, 1|2, mode]}.
Entity encode_streamer_tag(ElementKind kind, const ObjectRef& streamer, std::int64_t mode);

// Decodes any of the three header forms. Errors: proxy_not_streamer_tag (not a VTagged or a
// different type — callers pass such values through unchanged), proxy_bad_residual_tags,
// proxy_mode_not_integer, proxy_value_not_object (parse errors of a streamer tag).
std::optional<StreamerTag> decode_streamer_tag(const Entity& entity, std::error_code& error);

// A reference to a remote (or local) byte streamer plus its advertised mode.
class ByteStreamerProxy {
 public:
  static constexpr ElementKind kind = ElementKind::bytes;
  ByteStreamerProxy(ObjectRef streamer, std::int64_t mode)
      : streamer_(std::move(streamer)), mode_(mode) {}

  // The streamer object (a link PeerObject when received from a peer).
  const ObjectRef& streamer() const noexcept { return streamer_; }
  std::int64_t mode() const noexcept { return mode_; }
  Entity to_entity() const { return encode_streamer_tag(kind, streamer_, mode_); }

  // Connects a new stream peer (§9.1); returns at once, the handshake runs in the background.
  // Defined by the stream-peer side (vse/stream/connect.cpp).
  Stream connect(const ConnectOptions& options = {}) const;

  friend bool operator==(const ByteStreamerProxy&, const ByteStreamerProxy&) = default;

 private:
  ObjectRef streamer_;
  std::int64_t mode_;
};

class EntityStreamerProxy {
 public:
  static constexpr ElementKind kind = ElementKind::entities;
  EntityStreamerProxy(ObjectRef streamer, std::int64_t mode)
      : streamer_(std::move(streamer)), mode_(mode) {}

  const ObjectRef& streamer() const noexcept { return streamer_; }
  std::int64_t mode() const noexcept { return mode_; }
  Entity to_entity() const { return encode_streamer_tag(kind, streamer_, mode_); }

  // See ByteStreamerProxy::connect.
  Stream connect(const ConnectOptions& options = {}) const;

  friend bool operator==(const EntityStreamerProxy&, const EntityStreamerProxy&) = default;

 private:
  ObjectRef streamer_;
  std::int64_t mode_;
};

// Decodes `entity` as a streamer proxy of the given kind; nullopt (with `error` set) if it is
// not one. A streamer of the other kind is proxy_not_streamer_tag.
std::optional<ByteStreamerProxy> to_byte_streamer_proxy(const Entity& entity,
                                                        std::error_code* error = nullptr);
std::optional<EntityStreamerProxy> to_entity_streamer_proxy(const Entity& entity,
                                                            std::error_code* error = nullptr);

}  // namespace versile::stream

namespace versile {

template <>
struct EntityConverter<stream::ByteStreamerProxy> {
  // Throws EntityTypeError when the entity is not a byte streamer proxy.
  static stream::ByteStreamerProxy from_entity(const Entity& e);
  static Entity to_entity(const stream::ByteStreamerProxy& p) { return p.to_entity(); }
};

template <>
struct EntityConverter<stream::EntityStreamerProxy> {
  static stream::EntityStreamerProxy from_entity(const Entity& e);
  static Entity to_entity(const stream::EntityStreamerProxy& p) { return p.to_entity(); }
};

}  // namespace versile
