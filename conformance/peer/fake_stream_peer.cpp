#include "peer/fake_stream_peer.hpp"

#include <algorithm>

namespace vpstream::conformance {

FakeStreamPeer::FakeStreamPeer() {
  for (const char* m : {"peer_set_start_pos", "peer_read_push", "peer_write_lim", "peer_closed", "peer_fail", "peer_error"}) {
    const std::string name = m;
    publish_deferred(name, [this, name](versile::DeferredCall& call) { record(name, call); });
  }
}

void FakeStreamPeer::record(const std::string& method, versile::DeferredCall& call) {
  std::unique_lock l{mu_};
  calls_.push_back({method, call.args});
  cv_.notify_all();
  if (hold_ && method == "peer_read_push") {
    held_.push_back(std::move(call.responder));
    return;
  }
  l.unlock();
  call.responder.result(versile::Entity());
}

void FakeStreamPeer::hold_push_results(bool hold) {
  std::scoped_lock l{mu_};
  hold_ = hold;
}

std::size_t FakeStreamPeer::release_held() {
  std::vector<versile::link::Responder> held;
  {
    std::scoped_lock l{mu_};
    held.swap(held_);
  }
  for (auto& r : held) r.result(versile::Entity());
  return held.size();
}

std::size_t FakeStreamPeer::held() const {
  std::scoped_lock l{mu_};
  return held_.size();
}

std::vector<FakeStreamPeer::Call> FakeStreamPeer::calls() const {
  std::scoped_lock l{mu_};
  return calls_;
}

std::vector<FakeStreamPeer::Call> FakeStreamPeer::calls(const std::string& method) const {
  std::scoped_lock l{mu_};
  std::vector<Call> out;
  for (const auto& c : calls_) {
    if (c.method == method) out.push_back(c);
  }
  return out;
}

void FakeStreamPeer::link_closed() {
  {
    std::scoped_lock l{mu_};
    if (!link_closed_at_) link_closed_at_ = std::chrono::steady_clock::now();
  }
  cv_.notify_all();
}

bool FakeStreamPeer::wait_for(const std::function<bool(const std::vector<Call>&)>& pred,
                              std::chrono::milliseconds timeout) const {
  constexpr auto kDispatchGrace = std::chrono::milliseconds(200);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock l{mu_};
  for (;;) {
    if (pred(calls_)) return true;
    auto until = deadline;
    if (link_closed_at_) until = std::min(until, *link_closed_at_ + kDispatchGrace);
    if (std::chrono::steady_clock::now() >= until) return false;
    cv_.wait_until(l, until);
  }
}

bool FakeStreamPeer::wait_count(const std::string& method, std::size_t n, std::chrono::milliseconds timeout) const {
  return wait_for(
      [&](const std::vector<Call>& cs) {
        std::size_t k = 0;
        for (const auto& c : cs) k += c.method == method;
        return k >= n;
      },
      timeout);
}

}  // namespace vpstream::conformance
