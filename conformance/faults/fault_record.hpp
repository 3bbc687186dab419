// What the fault transports did during one scenario: how many bytes they moved (splitting and
// delaying profiles make each byte expensive, so the runner extends a scenario's budget while
// bytes keep moving), when the first cut fired, and whether the implementation reported every
// cut link as lost (the runner attributes a missing reply to the cut only then; grading.hpp).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>

namespace vpstream::conformance {

class FaultRecord {
 public:
  using Clock = std::chrono::steady_clock;

  // A fault transport wrote `n` bytes to the connection (any thread).
  void note_written(std::size_t n) noexcept { bytes_written_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t bytes_written() const noexcept { return bytes_written_.load(std::memory_order_relaxed); }

  // A fault transport cut its connection (any thread).
  void note_cut(Clock::time_point at) {
    std::scoped_lock l{mu_};
    if (!first_cut_ || at < *first_cut_) first_cut_ = at;
  }
  // A session whose connection was cut ended: `reported` is true if the implementation ended
  // its link(s) with a reason, i.e. it noticed the loss (any thread).
  void note_link_end(bool reported) {
    std::scoped_lock l{mu_};
    all_losses_reported_ = all_losses_reported_ && reported;
  }

  std::optional<Clock::time_point> first_cut() const {
    std::scoped_lock l{mu_};
    return first_cut_;
  }
  bool cut_before(Clock::time_point t) const {
    std::scoped_lock l{mu_};
    return first_cut_ && *first_cut_ <= t;
  }
  bool losses_reported() const {
    std::scoped_lock l{mu_};
    return all_losses_reported_;
  }

 private:
  std::atomic<std::uint64_t> bytes_written_{0};
  mutable std::mutex mu_;
  std::optional<Clock::time_point> first_cut_;
  bool all_losses_reported_ = true;
};

}  // namespace vpstream::conformance
