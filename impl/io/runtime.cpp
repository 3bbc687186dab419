#include "io/runtime.hpp"

#include <algorithm>

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

void Runtime::stop() {
  if (stopped_) return;
  stopped_ = true;
  // Methods first, while the io threads still carry their replies and nested calls.
  workers_.reset();  // runs what was posted, then joins
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
