// Fault injection for the conformance harness's misbehaving peer and for hostile-input tests.
// NOT part of the protocol API: nothing here is needed to talk VP correctly, and everything here
// can make the link violate the protocol on purpose.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>

#include "entity/entity.hpp"
#include "link/link.hpp"
#include "link/link_core.hpp"

namespace versile::link::testing {

// Handshake deviations; set before start().
struct HandshakeFaults {
  std::optional<std::string> vec_line;         // sent instead of "VEC_DRAFT-0.8-utf8\n"
  std::optional<Entity> hello;                 // sent instead of our hello
  bool send_handshake_object = true;           // false: never send it (peer stalls)
  std::optional<Entity> handshake_object;      // sent instead of our fc handshake object
  bool call_peer_finish = true;                // false: never call the peer's finish()
  bool answer_finish = true;                   // false: never answer the peer's finish()
  bool drop_peer_handshake_object = true;      // false: keep it (no NOTIFY_DEREF for it)
};

class Hooks {
 public:
  // ---- on a LinkCore (strand) ----
  static void set_handshake_faults(LinkCore& core, HandshakeFaults faults);
  // Encodes `e` with the link's resolver (live local objects get ids/counts; raw
  // ObjectRefs are written as given) and queues it with no envelope and no msg id.
  static std::error_code send_raw_entity(LinkCore& core, const Entity& e);
  // Queues raw bytes as they are.
  static void send_raw_bytes(LinkCore& core, std::span<const std::uint8_t> bytes);
  // The next message sent gets `msg_id`; later ones continue from msg_id + 1 (gaps/duplicates).
  static void override_next_msg_id(LinkCore& core, std::uint64_t msg_id);
  // The msg_id the next message would get.
  static std::uint64_t next_msg_id(const LinkCore& core);

  // ---- on a Link (any thread; posted to the strand) ----
  static void with_core(Link& link, std::function<void(LinkCore&)> fn);
};

}  // namespace versile::link::testing
