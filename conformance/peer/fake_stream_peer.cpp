#include "peer/fake_stream_peer.hpp"

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

bool FakeStreamPeer::wait_for(const std::function<bool(const std::vector<Call>&)>& pred,
                              std::chrono::milliseconds timeout) const {
  std::unique_lock l{mu_};
  return cv_.wait_for(l, timeout, [&] { return pred(calls_); });
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
