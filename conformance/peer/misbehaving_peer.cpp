#include "peer/misbehaving_peer.hpp"

#include <thread>

#include "codec/encoder.hpp"
#include "link/testing_hooks.hpp"
#include "peer/mid_frame_stall.hpp"
#include "scenarios/session.hpp"

namespace vpstream::conformance {

namespace {
using versile::link::LinkCore;
using versile::link::testing::Hooks;

PeerReaction probe(Session& session, versile::Proxy& gw, ScenarioContext& ctx) {
  session.step("probe: echo('probe')");
  try {
    const auto r = gw.call_for(ctx.scaled(std::chrono::milliseconds(3000)), "echo", versile::Entity("probe"));
    return r == versile::Entity("probe") ? PeerReaction::kept_link : PeerReaction::no_answer;
  } catch (const std::exception& e) {
    const auto c = category_of(e);
    if (c == ErrorCategory::link_closed) return PeerReaction::closed_link;
    if (c == ErrorCategory::no_response) return PeerReaction::no_answer;
    abort_with(c, std::string("probe failed: ") + e.what());
  }
}
}  // namespace

PeerReaction misbehave(ScenarioContext& ctx, const Misbehaviour& m) {
  SessionOptions options;
  // Declared before `stall` so that it is destroyed after it: the stall holds the client's
  // socket transport, whose strand lives in the session's io runtime (TSan: heap-use-after-free
  // in the strand's destructor when the runtime went first).
  std::unique_ptr<Session> session;
  std::shared_ptr<MidFrameStall> stall;
  if (m.kind == Misbehaviour::Kind::stall_message) {
    options.client_wrap = [&stall](std::shared_ptr<versile::io::ByteTransport> inner) {
      stall = std::make_shared<MidFrameStall>(std::move(inner));
      return stall;
    };
  }
  session = Session::open(ctx, std::move(options));
  auto gw = session->gateway();
  auto& link = *session->client()->link();
  const std::uint64_t gateway_id = gw.peer()->id();
  session->step("misbehave");
  switch (m.kind) {
    case Misbehaviour::Kind::raw_bytes:
    case Misbehaviour::Kind::half_close: {
      auto bytes = m.bytes;
      Hooks::with_core(link, [bytes](LinkCore& core) { Hooks::send_raw_bytes(core, bytes); });
      if (m.kind == Misbehaviour::Kind::half_close) {
        std::this_thread::sleep_for(ctx.scaled(std::chrono::milliseconds(50)));
        // Our graceful shutdown ends our direction after the bytes: the peer sees EOF mid-entity.
        session->client()->shutdown();
        const bool closed = session->client()->wait_closed(ctx.scaled(std::chrono::milliseconds(3000)));
        bool server_closed = true;
        if (session->server()) server_closed = session->server()->wait_closed(ctx.scaled(std::chrono::milliseconds(3000)));
        return closed && server_closed ? PeerReaction::closed_link : PeerReaction::no_answer;
      }
      break;
    }
    case Misbehaviour::Kind::raw_message: {
      auto build = m.message;
      const bool consume = m.consumes_msg_id;
      Hooks::with_core(link, [build, gateway_id, consume](LinkCore& core) {
        PeerFacts facts{Hooks::next_msg_id(core), gateway_id};
        Hooks::send_raw_entity(core, build(facts));
        if (consume) Hooks::override_next_msg_id(core, facts.next_msg_id + 1);
      });
      break;
    }
    case Misbehaviour::Kind::msg_id_shift: {
      const auto shift = m.shift;
      Hooks::with_core(link, [shift](LinkCore& core) {
        const auto next = static_cast<std::int64_t>(Hooks::next_msg_id(core));
        Hooks::override_next_msg_id(core, static_cast<std::uint64_t>(std::max<std::int64_t>(1, next + shift)));
      });
      break;
    }
    case Misbehaviour::Kind::encoded_message:
    case Misbehaviour::Kind::stall_message: {
      auto build = m.message;
      auto patch = m.patch;
      // The pause is made by the transport in the middle of the one write carrying the frame,
      // so none of our link's own messages can be interleaved with the stalled frame.
      const auto pause = ctx.scaled(std::chrono::milliseconds(300));
      Hooks::with_core(link, [build, patch, gateway_id, stall, pause](LinkCore& core) {
        PeerFacts facts{Hooks::next_msg_id(core), gateway_id};
        auto bytes = versile::codec::encode_to_vector(build(facts));
        if (patch) patch(bytes);
        if (stall) stall->arm(bytes, pause);
        Hooks::send_raw_bytes(core, bytes);
        Hooks::override_next_msg_id(core, facts.next_msg_id + 1);
      });
      if (stall) {
        session->step("stalled " + std::to_string(pause.count()) + " ms mid-frame");
        if (!stall->wait_sent(pause + session->wait())) {
          return session->client()->closed() ? PeerReaction::closed_link : PeerReaction::no_answer;
        }
      }
      break;
    }
  }
  const auto reaction = probe(*session, gw, ctx);
  if (reaction == PeerReaction::kept_link) session->close();
  return reaction;
}

}  // namespace vpstream::conformance
