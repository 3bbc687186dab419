// How object references map to wire ids; implemented by the link (link.md §7).
#pragma once

#include <system_error>

#include "entity/entity.hpp"

namespace versile::codec {

struct WireRef {
  ObjectRef::Owner owner;  // sender → fc, receiver → fd
  Integer id;
};

class ReferenceResolver {
 public:
  virtual ~ReferenceResolver() = default;
  // Encoding: how `ref` is written. A local object gets (or reuses) an id and its send count
  // is incremented here; a proxy for a peer object of this link is written as fd.
  virtual std::error_code encode_ref(const ObjectRef& ref, WireRef& out) = 0;
  // Decoding: turn a wire reference into a live ObjectRef. fc ids create/reuse peer proxies
  // (and count the receipt); an fd id must name one of our objects (else unknown_remote_id).
  virtual std::error_code decode_ref(const WireRef& ref, ObjectRef& out) = 0;
};

}  // namespace versile::codec
