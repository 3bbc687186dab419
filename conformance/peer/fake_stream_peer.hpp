// The harness's fake stream peer (stream.md §6): a published object with the six stream-peer
// methods that records every call the streamer under test makes, answers null (or holds the
// answers, to exercise the streamer's outstanding-push window), and lets a driver speak the
// streamer protocol directly (peer_connect, peer_read_start, …) with any arguments, right or
// wrong.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "object/external.hpp"

namespace vpstream::conformance {

class FakeStreamPeer : public versile::External {
 public:
  struct Call {
    std::string method;
    versile::Tuple args;  // after the method name
  };

  FakeStreamPeer();

  // While held, answers to peer_read_push are kept back (the streamer sees them outstanding).
  void hold_push_results(bool hold);
  // Answers every held call; returns how many.
  std::size_t release_held();
  std::size_t held() const;

  std::vector<Call> calls() const;
  std::vector<Call> calls(const std::string& method) const;
  // The link to the streamer closed: no call can arrive any more, so waits end after a short
  // grace (for calls already received but still being dispatched) instead of at their timeout.
  void link_closed();
  // Waits until `pred(calls)` holds; false on timeout (or once the link closed).
  bool wait_for(const std::function<bool(const std::vector<Call>&)>& pred, std::chrono::milliseconds timeout) const;
  bool wait_count(const std::string& method, std::size_t n, std::chrono::milliseconds timeout) const;

 private:
  void record(const std::string& method, versile::DeferredCall& call);
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::vector<Call> calls_;
  bool hold_ = false;
  std::optional<std::chrono::steady_clock::time_point> link_closed_at_;
  std::vector<versile::link::Responder> held_;
};

}  // namespace vpstream::conformance
