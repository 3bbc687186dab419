#include "link/testing_hooks.hpp"

#include "link/core_state.hpp"

namespace versile::link::testing {

void Hooks::set_handshake_faults(LinkCore& core, HandshakeFaults faults) {
  core.s_->faults = std::move(faults);
}

std::error_code Hooks::send_raw_entity(LinkCore& core, const Entity& e) {
  LinkCore::State::Step step(*core.s_);
  if (core.s_->status == LinkStatus::closed) return Errc::link_closed;
  return core.s_->send_raw_entity(e);
}

void Hooks::send_raw_bytes(LinkCore& core, std::span<const std::uint8_t> bytes) {
  LinkCore::State::Step step(*core.s_);
  if (core.s_->status == LinkStatus::closed) return;
  core.s_->queue_bytes(bytes);
}

void Hooks::override_next_msg_id(LinkCore& core, std::uint64_t msg_id) {
  core.s_->msg_id_override = msg_id;
}

std::uint64_t Hooks::next_msg_id(const LinkCore& core) {
  return core.s_->msg_id_override ? *core.s_->msg_id_override : core.s_->next_msg_id;
}

void Hooks::with_core(Link& link, std::function<void(LinkCore&)> fn) {
  link.post_to_core(std::move(fn));
}

}  // namespace versile::link::testing
