// Two Links connected by in-memory buffers, for tests without sockets. Both links share one
// MemoryLoop, which is their strand: either pumped by the test thread (run_until_idle(),
// deterministic) or run by a background thread (start_thread(), for blocking-API tests).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "link/link.hpp"
#include "link/link_config.hpp"

namespace versile::link::testing {

class MemoryLoop {
 public:
  using time_point = std::chrono::steady_clock::time_point;
  MemoryLoop() = default;
  ~MemoryLoop();
  MemoryLoop(const MemoryLoop&) = delete;
  MemoryLoop& operator=(const MemoryLoop&) = delete;

  // Any thread.
  void post(std::function<void()> fn);
  // Timer `key` (one per driver) fires `fn` at `when` (time_point::max() cancels).
  void set_timer(const void* key, time_point when, std::function<void()> fn);

  // Manual mode (test thread): run tasks until the queue is empty; timers due at `now` (default:
  // steady_clock::now()) are run too. Returns the number of tasks run.
  std::size_t run_until_idle();
  std::size_t run_until_idle(time_point now);

  // Threaded mode: a background thread runs tasks and timers until stop() / destruction.
  void start_thread();
  void stop();

 private:
  struct Timer {
    const void* key;
    time_point when;
    std::function<void()> fn;
  };
  bool run_one_locked(std::unique_lock<std::mutex>& lock, time_point now);

  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  std::vector<Timer> timers_;
  std::thread thread_;
  bool stopping_ = false;
};

struct MemoryPair {
  std::shared_ptr<MemoryLoop> loop;
  std::shared_ptr<Link> a;  // conventionally the client side
  std::shared_ptr<Link> b;  // conventionally the server side
};

// Creates, connects and start()s two links (start runs on the loop: pump it or use threaded).
// Closing one side's transport makes the other side see EOF (graceful) or an abort
// (Errc::transport_error) after the bytes already delivered.
MemoryPair make_memory_pair(LinkConfig a_config, LinkConfig b_config, bool threaded = false);

}  // namespace versile::link::testing
