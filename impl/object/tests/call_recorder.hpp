// Test helper: drives an object's CallTarget::handle_call directly, without a link, and records
// what its Responders report (a LinkBackChannel standing in for the link).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "entity/entity.hpp"
#include "link/back_channel.hpp"
#include "link/call_target.hpp"

namespace versile::testing {

class CallRecorder final : public link::LinkBackChannel,
                           public std::enable_shared_from_this<CallRecorder> {
 public:
  static std::shared_ptr<CallRecorder> create() { return std::make_shared<CallRecorder>(); }

  void peer_object_released(std::uint64_t, std::uint64_t) noexcept override {}
  void incoming_call_completed(std::uint64_t call_id, link::CallMode,
                               link::CallOutcome outcome) noexcept override {
    {
      std::scoped_lock lock(mutex_);
      ++completions_[call_id];
      outcomes_.insert_or_assign(call_id, std::move(outcome));
    }
    changed_.notify_all();
  }

  // A request for `target` with a fresh call id; returns the id.
  std::uint64_t dispatch(link::CallTarget& target, Tuple args,
                         link::CallMode mode = link::CallMode::normal) {
    std::uint64_t id;
    {
      std::scoped_lock lock(mutex_);
      id = ++next_id_;
    }
    link::CallRequest request;
    request.args = std::move(args);
    request.mode = mode;
    request.call_id = id;
    request.responder = link::Responder(weak_from_this(), id, mode);
    target.handle_call(std::move(request));
    return id;
  }

  // Dispatches and waits for the outcome (the target may answer from another thread).
  link::CallOutcome call(link::CallTarget& target, Tuple args,
                         link::CallMode mode = link::CallMode::normal) {
    const std::uint64_t id = dispatch(target, std::move(args), mode);
    auto outcome = wait(id, std::chrono::seconds(10));
    if (!outcome) return link::CallOutcome::failure(std::make_error_code(std::errc::timed_out));
    return *outcome;
  }

  std::optional<link::CallOutcome> wait(std::uint64_t id, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    if (!changed_.wait_for(lock, timeout, [&] { return outcomes_.contains(id); })) return std::nullopt;
    return outcomes_.at(id);
  }

  std::optional<link::CallOutcome> peek(std::uint64_t id) {
    std::scoped_lock lock(mutex_);
    auto it = outcomes_.find(id);
    if (it == outcomes_.end()) return std::nullopt;
    return it->second;
  }

  int completions(std::uint64_t id) {
    std::scoped_lock lock(mutex_);
    auto it = completions_.find(id);
    return it == completions_.end() ? 0 : it->second;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::uint64_t, link::CallOutcome> outcomes_;
  std::map<std::uint64_t, int> completions_;
  std::uint64_t next_id_ = 0;
};

}  // namespace versile::testing
