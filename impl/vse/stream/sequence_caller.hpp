// Sender side of sequenced calls (stream.md §4.2, §4.3): allocates message ids at issue time and
// enforces the other side's outstanding-call limit, holding calls back in a FIFO and releasing
// them in id order as results come in. Sans-I/O: the owner sends what take_dispatchable() hands
// out and reports each finished call with complete(). This is the intended behaviour of the
// reference's caller, not its defect D2 (held calls are dispatched, never lost).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <set>
#include <utility>
#include <vector>

namespace versile::stream {

template <class Payload>
class SequenceCaller {
 public:
  struct Call {
    std::int64_t msg_id;
    Payload payload;
  };

  // The limit is 0 (hold everything) until the handshake tells the other side's call_lim.
  explicit SequenceCaller(std::size_t limit = 0) : limit_(limit) {}

  // Allocates the next id (0, 1, 2, … in issue order) and queues the call; it becomes
  // dispatchable when the window allows.
  std::int64_t issue(Payload payload) {
    const std::int64_t id = next_id_++;
    held_.push_back(Call{id, std::move(payload)});
    return id;
  }

  // The calls that may be sent now, in id order; they count as outstanding from here on.
  std::vector<Call> take_dispatchable() {
    std::vector<Call> out;
    while (!held_.empty() && outstanding_.size() < limit_) {
      outstanding_.insert(held_.front().msg_id);
      out.push_back(std::move(held_.front()));
      held_.pop_front();
    }
    return out;
  }

  // A dispatched call got its result or error. Returns false for an id that is not outstanding
  // (then nothing changes).
  bool complete(std::int64_t msg_id) { return outstanding_.erase(msg_id) > 0; }

  // Sets the outstanding-call limit. A lower limit does not recall dispatched calls.
  void set_limit(std::size_t limit) noexcept { limit_ = limit; }

  // Drops held (never dispatched) calls, e.g. on failure or close; outstanding ones still
  // complete normally. Ids keep counting.
  std::vector<Call> drop_held() {
    std::vector<Call> out(std::make_move_iterator(held_.begin()),
                          std::make_move_iterator(held_.end()));
    held_.clear();
    return out;
  }

  std::size_t limit() const noexcept { return limit_; }
  std::size_t outstanding() const noexcept { return outstanding_.size(); }
  std::size_t held() const noexcept { return held_.size(); }
  // The id the next issue() will allocate.
  std::int64_t next_id() const noexcept { return next_id_; }

 private:
  std::size_t limit_;
  std::int64_t next_id_ = 0;
  std::deque<Call> held_;
  std::set<std::int64_t> outstanding_;
};

}  // namespace versile::stream
