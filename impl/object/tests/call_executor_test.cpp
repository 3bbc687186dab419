// CallExecutor: the pool incoming calls run on (grows while every thread is busy, bounded).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <future>
#include <optional>
#include <thread>

#include "object/call_executor.hpp"

namespace versile {
namespace {

using namespace std::chrono_literals;

struct Latch {
  std::mutex m;
  std::condition_variable cv;
  bool open = false;
  void release() {
    {
      std::scoped_lock l{m};
      open = true;
    }
    cv.notify_all();
  }
  void wait() {
    std::unique_lock l{m};
    cv.wait_for(l, 10s, [&] { return open; });
  }
};

template <class F>
bool eventually(F condition) {
  for (int i = 0; i < 500; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return condition();
}

TEST(CallExecutor, RunsTasksOnPoolThreads) {
  CallExecutor pool;
  std::atomic<int> done{0};
  std::atomic<bool> on_caller_thread{false};
  const auto caller = std::this_thread::get_id();
  for (int i = 0; i < 100; ++i) {
    pool.post([&] {
      if (std::this_thread::get_id() == caller) on_caller_thread = true;
      ++done;
    });
  }
  EXPECT_TRUE(eventually([&] { return done == 100; }));
  EXPECT_FALSE(on_caller_thread);
  EXPECT_GE(pool.thread_count(), 1u);
}

TEST(CallExecutor, GrowsWhileBusyUpToTheMaximum) {
  CallExecutor pool(CallExecutor::Options{.max_threads = 3});
  Latch latch;
  std::atomic<int> running{0};
  std::atomic<int> peak{0};
  std::atomic<int> done{0};
  for (int i = 0; i < 5; ++i) {
    pool.post([&] {
      const int now = ++running;
      int seen = peak.load();
      while (now > seen && !peak.compare_exchange_weak(seen, now)) {
      }
      latch.wait();
      --running;
      ++done;
    });
  }
  // Three blocked tasks run at once; the other two wait for a free thread.
  EXPECT_TRUE(eventually([&] { return running == 3; }));
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(running, 3);
  EXPECT_EQ(pool.thread_count(), 3u);
  latch.release();
  EXPECT_TRUE(eventually([&] { return done == 5; }));
  EXPECT_EQ(peak, 3);
}

TEST(CallExecutor, DoesNotGrowWhileAThreadIsIdle) {
  CallExecutor pool;
  std::atomic<int> done{0};
  for (int i = 0; i < 20; ++i) {
    pool.post([&] { ++done; });
    ASSERT_TRUE(eventually([&] { return done == i + 1; }));
  }
  EXPECT_LE(pool.thread_count(), 2u);  // sequential short tasks reuse the idle thread
}

TEST(CallExecutor, DestructorRunsQueuedTasksAndLaterPostsAreDropped) {
  std::atomic<int> done{0};
  link::LinkConfig::Executor executor;
  {
    CallExecutor pool(CallExecutor::Options{.max_threads = 1});
    executor = pool.executor();
    for (int i = 0; i < 10; ++i) {
      executor([&] {
        std::this_thread::sleep_for(1ms);
        ++done;
      });
    }
  }
  EXPECT_EQ(done, 10);
  // The pool is gone: a posted task is destroyed without running.
  auto token = std::make_shared<int>(0);
  std::weak_ptr<int> watch = token;
  executor([token = std::move(token), &done] { ++done; });
  EXPECT_TRUE(watch.expired());
  EXPECT_EQ(done, 10);
}

TEST(CallExecutor, SharedInstanceWorks) {
  std::promise<int> result;
  shared_call_executor().post([&] { result.set_value(7); });
  EXPECT_EQ(result.get_future().get(), 7);
}

}  // namespace
}  // namespace versile
