// Where incoming calls run (LinkConfig::executor, link.md §6.3): a thread pool, so that a slow
// published method never stalls the link strand or the other calls. The pool grows on demand
// (a new thread whenever every thread is busy, up to a maximum) because published methods may
// block on calls back to the peer; a fixed small pool would deadlock on nested call chains.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>

#include "link/link_config.hpp"

namespace versile {

class CallExecutor {
 public:
  struct Options {
    std::size_t max_threads = 64;  // tasks queue once this many threads are busy
  };

  CallExecutor();
  explicit CallExecutor(Options options);
  // Runs every task already posted, then joins the threads.
  ~CallExecutor();
  CallExecutor(const CallExecutor&) = delete;
  CallExecutor& operator=(const CallExecutor&) = delete;

  void post(std::function<void()> task);
  // For LinkConfig::executor. The returned function keeps the pool's queue alive; tasks posted
  // after the CallExecutor was destroyed are dropped (their Responders answer CALL_ERROR).
  link::LinkConfig::Executor executor();

  std::size_t thread_count() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

// A process-wide pool for links that do not bring their own.
CallExecutor& shared_call_executor();

}  // namespace versile
