#include "link/call_target.hpp"
#include "link/link_error.hpp"

namespace versile::link {

Responder& Responder::operator=(Responder&& other) noexcept {
  if (this != &other) {
    if (armed_) complete(CallOutcome::failure(Errc::call_error));
    link_ = std::move(other.link_);
    call_id_ = other.call_id_;
    mode_ = other.mode_;
    armed_ = other.armed_;
    other.armed_ = false;
  }
  return *this;
}

Responder::~Responder() {
  if (armed_) complete(CallOutcome::failure(Errc::call_error));
}

void Responder::complete(CallOutcome outcome) noexcept {
  if (!armed_) return;
  armed_ = false;
  if (auto link = link_.lock()) link->incoming_call_completed(call_id_, mode_, std::move(outcome));
  link_.reset();
}

}  // namespace versile::link
