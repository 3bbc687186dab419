// The harness's deliberately misbehaving VP peer: an ordinary client link of this
// implementation plus the link layer's testing hooks (raw entities, raw bytes, msg id
// override). Each hostile scenario is one Misbehaviour (data) applied after the handshake,
// followed by a probe call that tells whether the implementation under test kept the link.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "entity/entity.hpp"
#include "model/context.hpp"

namespace vpstream::conformance {

// What the fixture knows when it builds a hostile message.
struct PeerFacts {
  std::uint64_t next_msg_id = 1;  // the msg id our next message would carry
  std::uint64_t gateway_id = 0;   // the peer's id of its gateway (what fd carries)
};

struct Misbehaviour {
  enum class Kind {
    raw_bytes,        // bytes queued as they are (bad codes, truncated / oversized frames)
    raw_message,      // an entity built from PeerFacts, sent without envelope handling
    msg_id_shift,     // the next real call carries next_msg_id + shift (gap, or duplicate if < 0)
    encoded_message,  // `message` encoded by the codec, bytes passed through `patch`, sent raw
    stall_message,    // `message` encoded; the first half, a silent pause, then the rest
    half_close,       // raw bytes, then our direction ends (EOF)
  };
  Kind kind = Kind::raw_bytes;
  std::vector<std::uint8_t> bytes;
  std::function<versile::Entity(const PeerFacts&)> message;
  std::function<void(std::vector<std::uint8_t>&)> patch;
  std::int64_t shift = 0;
  bool consumes_msg_id = true;  // raw_message: keep our own msg ids consecutive afterwards
};

// What happened to the link after the misbehaviour.
enum class PeerReaction {
  kept_link,    // the probe echo succeeded
  closed_link,  // the implementation closed the link (the probe failed with link loss)
  no_answer,    // neither within the wait
};

// Runs the misbehaviour against the context's target and reports the reaction.
// Throws ScenarioAbort (UNIMPLEMENTED without a live transport).
PeerReaction misbehave(ScenarioContext& ctx, const Misbehaviour& m);

}  // namespace vpstream::conformance
