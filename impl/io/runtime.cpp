#include "io/runtime.hpp"

#include <algorithm>
#include <chrono>
#include <future>

#include "io/socket_driver.hpp"

namespace versile::io {

Runtime::Runtime(RuntimeOptions options)
    : options_(options),
      io_(static_cast<int>(std::max<std::size_t>(1, options.io_threads))),
      guard_(boost::asio::make_work_guard(io_)),
      workers_(std::make_unique<CallExecutor>(
          CallExecutor::Options{std::max<std::size_t>(1, options.max_worker_threads)})) {
  const std::size_t n = std::max<std::size_t>(1, options_.io_threads);
  io_threads_.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    io_threads_.emplace_back([this] { io_.run(); });
  }
}

Runtime::~Runtime() { stop(); }

void Runtime::track(const std::shared_ptr<SocketDriver>& driver) {
  std::scoped_lock lock(tracked_mutex_);
  // Pruned when the list doubled, so it stays within twice the live connections.
  if (tracked_.size() >= 64 && tracked_.size() == tracked_.capacity()) {
    std::erase_if(tracked_, [](const auto& weak) { return weak.expired(); });
  }
  tracked_.push_back(driver);
}

void Runtime::abort_tracked() {
  std::vector<std::weak_ptr<SocketDriver>> tracked;
  {
    std::scoped_lock lock(tracked_mutex_);
    tracked.swap(tracked_);
  }
  std::vector<std::future<void>> released;
  for (const auto& weak : tracked) {
    if (auto driver = weak.lock()) {
      auto done = std::make_shared<std::promise<void>>();
      released.push_back(done->get_future());
      driver->abort([done] { done->set_value(); });
    }
  }
  // Bounded: a handler blocked on the io threads must not make stop() hang.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (auto& f : released) f.wait_until(deadline);
}

void Runtime::stop() {
  if (stopped_) return;
  stopped_ = true;
  // Methods first, while the io threads still carry their replies and nested calls.
  workers_.reset();  // runs what was posted, then joins
  abort_tracked();
  guard_.reset();
  io_.stop();
  for (auto& t : io_threads_) {
    if (t.joinable()) t.join();
  }
}

Runtime& Runtime::default_instance() {
  static Runtime instance;
  return instance;
}

}  // namespace versile::io
