// What a transport (the io layer's socket driver, or the in-memory test driver) provides to a
// Link. The Link calls these from the strand (post() also from any thread).
#pragma once

#include <chrono>
#include <functional>

namespace versile::link {

class LinkDriver {
 public:
  using time_point = std::chrono::steady_clock::time_point;
  virtual ~LinkDriver() = default;
  // Runs fn on the link strand, later (never inline), in post order. Callable from any thread,
  // also after the transport closed (then it may drop fn).
  virtual void post(std::function<void()> fn) = 0;
  // Output became available: start writing Link::output_chunks() if no write is in flight.
  virtual void output_ready() = 0;
  // Close the transport: abort=false after all output was consumed (FIN / shutdown(SHUT_WR)
  // then close when the peer's EOF arrives or immediately); abort=true drop everything now.
  // After this the driver must not call on_received()/on_eof() any more.
  virtual void close_transport(bool abort) = 0;
  // Call Link::on_timer() on the strand at or after `when` (replaces the previous request;
  // time_point::max() cancels).
  virtual void schedule_timer(time_point when) = 0;
};

}  // namespace versile::link
