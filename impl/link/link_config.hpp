// Configuration of one link: our gateway, hello licence, limits, keep-alive, execution.
// Defaults interoperate with the reference (link.md §10) and are stricter only where the
// reference is unbounded, with limits it never reaches.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "codec/limits.hpp"
#include "entity/entity.hpp"

namespace versile::link {

// What the peer's VOL hello said (§4.2); recorded, never influences the protocol.
struct PeerHello {
  bool copyleft = false;
  std::optional<std::string> licence;
  std::optional<std::string> url;
  std::optional<StringCodec> vec_codec;  // from the peer's VEC line
};

struct LinkConfig {
  using Clock = std::chrono::steady_clock;
  // Runs one task (an incoming call) somewhere; must not run it after the process ends.
  using Executor = std::function<void(std::function<void()>)>;

  // Our gateway, returned as the result of the peer's finish() (§4.4). nullptr: a plain
  // Object that answers every call with CALL_ERROR (Py's link_pair(gw=None)).
  std::shared_ptr<Object> gateway;

  // Our VOL hello licence fields (§4.2). Defaults = the reference's exact hello (67 bytes).
  // copyleft=false sends [false, null, null].
  bool copyleft = true;
  std::string licence = "LGPLv3";
  std::string url = "https://www.gnu.org/licenses/lgpl.txt";

  // Codec announced in our VEC line (f4 strings); nullopt sends every string as f5.
  std::optional<StringCodec> vec_codec = StringCodec::utf8;

  // Peer input limits. limits.max_entity_bytes is the max message size (101 MiB default).
  codec::Limits limits;
  std::size_t max_vec_line = 32;                 // §3.1, LF included
  std::size_t max_pending_incoming_calls = 4096; // unanswered peer calls before the link fails
  std::size_t max_local_objects = 1u << 20;      // objects the peer may hold at once
  std::size_t max_peer_objects = 1u << 20;       // peer objects we may hold at once

  // Keep-alive (§9.1). Requesting is optional; granting is always supported.
  std::optional<std::chrono::milliseconds> keep_alive_request;
  std::chrono::milliseconds keep_alive_min_send{300000};
  double keep_alive_expire_factor = 1.5;
  double keep_alive_spam_factor = 0.5;

  // Handshake must complete within this time (none by default, like the reference, §4.7).
  std::optional<std::chrono::milliseconds> handshake_timeout;

  // true: the Link keeps the peer gateway until it closes (Py link_pair default);
  // false: it is dropped right after the handshake unless peer_gateway() was already
  // waiting (Py hold_peer=False, VOPService server links) — the peer then gets NOTIFY_DEREF.
  bool hold_peer_gateway = true;

  // Optional authorizer, run once on the peer's valid hello; false ⇒ Errc::unauthorized.
  std::function<bool(const PeerHello&)> authorize;

  // Where incoming calls run (Link facade only). Empty = inline on the link strand.
  Executor executor;

  // Time source for keep-alive bookkeeping (tests substitute a fake clock).
  std::function<Clock::time_point()> clock = [] { return Clock::now(); };
};

}  // namespace versile::link
