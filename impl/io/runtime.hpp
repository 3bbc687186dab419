// The io runtime: one io_context driven by io threads (sockets, strands, timers; one by default)
// and a thread pool on which published methods run, so a slow method never stalls a link. The
// pool is a versile::CallExecutor: it starts small and grows while every thread is busy (up to
// a maximum), because a published method may block on a call back to the peer.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include "link/link_config.hpp"
#include "object/call_executor.hpp"

namespace versile::io {

class SocketDriver;

struct RuntimeOptions {
  std::size_t io_threads = 1;
  // Upper bound of the published-method pool (threads are created on demand).
  std::size_t max_worker_threads = 64;
};

class Runtime {
 public:
  explicit Runtime(RuntimeOptions options = {});
  // Stops the io threads and joins them and the worker pool.
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  boost::asio::io_context& io_context() noexcept { return io_; }
  boost::asio::io_context::executor_type io_executor() noexcept { return io_.get_executor(); }
  // Where incoming calls run (LinkConfig::executor for links of this runtime).
  link::LinkConfig::Executor call_executor() { return workers_->executor(); }
  CallExecutor& workers() noexcept { return *workers_; }
  const RuntimeOptions& options() const noexcept { return options_; }

  // Connections served by this runtime. stop() aborts those still open: a link and its driver
  // reference each other until the transport closed, so a link left open (e.g. a graceful
  // close still in progress) would otherwise never be freed and its pending calls never fail.
  void track(const std::shared_ptr<SocketDriver>& driver);

  // Idempotent: runs the posted methods, aborts the tracked connections still open, then stops
  // and joins the io threads; after stop() no further handlers run. Must not be called from an
  // io thread.
  void stop();

  // The process-wide instance, created on first use with default options.
  static Runtime& default_instance();

 private:
  RuntimeOptions options_;
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guard_;
  std::unique_ptr<CallExecutor> workers_;
  void abort_tracked();

  std::vector<std::thread> io_threads_;
  std::mutex tracked_mutex_;
  std::vector<std::weak_ptr<SocketDriver>> tracked_;
  bool stopped_ = false;
};

}  // namespace versile::io
