// Receiver side of sequenced calls (stream.md §4.4): admits incoming calls by message id within
// a window and hands them out strictly in id order. Sans-I/O: the owner admits a call, then runs
// every call pop_ready() returns and only then answers it (so a result acknowledges execution).
//
// Window (SPEC): the lenient bound `m < next_id + lim` (Java), not the reference's shrinking
// bound `next_id + lim - queued` (defect D17). Parked calls are plain data: waiting costs no
// thread (D16). clear() returns the dropped calls so the owner can answer them with null (SPEC),
// which keeps the remote caller's window draining.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "vse/stream/stream_errors.hpp"

namespace versile::stream {

template <class Pending>
class SequenceQueue {
 public:
  struct Ready {
    std::int64_t msg_id;
    Pending pending;
  };

  explicit SequenceQueue(std::size_t lim) : lim_(lim) {}

  // Admits call `msg_id` (already validated as an integer ≥ 0; callers map ids that do not fit
  // int64 to sequence_out_of_window). Returns ok when stored; otherwise the sequencing error
  // and nothing changes.
  StreamErrc admit(std::int64_t msg_id, Pending pending) {
    if (msg_id < next_id_) return StreamErrc::sequence_duplicate;
    if (static_cast<std::uint64_t>(msg_id - next_id_) >= lim_) {
      return StreamErrc::sequence_out_of_window;
    }
    if (waiting_.contains(msg_id)) return StreamErrc::sequence_already_queued;
    waiting_.emplace(msg_id, std::move(pending));
    return StreamErrc::ok;
  }

  // The next call in id order if it has arrived; consumes its id.
  std::optional<Ready> pop_ready() {
    auto it = waiting_.find(next_id_);
    if (it == waiting_.end()) return std::nullopt;
    Ready r{it->first, std::move(it->second)};
    waiting_.erase(it);
    ++next_id_;
    return r;
  }

  // Drops every waiting call (in id order) and returns them for the owner to answer.
  std::vector<Ready> clear() {
    std::vector<Ready> out;
    out.reserve(waiting_.size());
    for (auto& [id, p] : waiting_) out.push_back(Ready{id, std::move(p)});
    waiting_.clear();
    return out;
  }

  void set_limit(std::size_t lim) noexcept { lim_ = lim; }
  std::size_t limit() const noexcept { return lim_; }
  std::int64_t next_id() const noexcept { return next_id_; }
  std::size_t queued() const noexcept { return waiting_.size(); }
  bool is_queued(std::int64_t msg_id) const { return waiting_.contains(msg_id); }

 private:
  std::size_t lim_;
  std::int64_t next_id_ = 0;
  std::map<std::int64_t, Pending> waiting_;
};

}  // namespace versile::stream
