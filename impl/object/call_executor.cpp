#include "object/call_executor.hpp"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace versile {

struct CallExecutor::State {
  explicit State(Options o) : options(o) {}

  void worker() {
    std::unique_lock lock(mutex);
    for (;;) {
      ++idle;
      wake.wait(lock, [&] { return stopping || !tasks.empty(); });
      --idle;
      if (tasks.empty()) return;  // stopping and drained
      std::function<void()> task = std::move(tasks.front());
      tasks.pop_front();
      lock.unlock();
      task();
      task = nullptr;  // destroy captured state outside the lock
      lock.lock();
    }
  }

  static void post(const std::shared_ptr<State>& state, std::function<void()> task) {
    {
      std::scoped_lock lock(state->mutex);
      if (state->stopping) return;  // dropping the task answers its call with CALL_ERROR
      state->tasks.push_back(std::move(task));
      // Grow only when every thread is busy: queued tasks beyond the idle count need a thread.
      if (state->idle < state->tasks.size() && state->threads.size() < state->options.max_threads) {
        // The thread co-owns the state: a detached worker (see ~CallExecutor) outlives the pool.
        state->threads.emplace_back([state] { state->worker(); });
      }
    }
    state->wake.notify_one();
  }

  Options options;
  mutable std::mutex mutex;
  std::condition_variable wake;
  std::deque<std::function<void()>> tasks;
  std::vector<std::thread> threads;
  std::size_t idle = 0;
  bool stopping = false;
};

CallExecutor::CallExecutor() : CallExecutor(Options{}) {}

CallExecutor::CallExecutor(Options options) : state_(std::make_shared<State>(options)) {
  if (state_->options.max_threads == 0) state_->options.max_threads = 1;
}

CallExecutor::~CallExecutor() {
  std::vector<std::thread> threads;
  {
    std::scoped_lock lock(state_->mutex);
    state_->stopping = true;
    threads.swap(state_->threads);
  }
  state_->wake.notify_all();
  for (std::thread& t : threads) {
    // A task destroying the last reference to the pool would run this on a pool thread.
    if (t.get_id() == std::this_thread::get_id()) {
      t.detach();
    } else {
      t.join();
    }
  }
}

void CallExecutor::post(std::function<void()> task) { State::post(state_, std::move(task)); }

link::LinkConfig::Executor CallExecutor::executor() {
  std::weak_ptr<State> weak = state_;
  return [weak](std::function<void()> task) {
    if (auto state = weak.lock()) State::post(state, std::move(task));
  };
}

std::size_t CallExecutor::thread_count() const {
  std::scoped_lock lock(state_->mutex);
  return state_->threads.size();
}

CallExecutor& shared_call_executor() {
  static CallExecutor pool;
  return pool;
}

}  // namespace versile
