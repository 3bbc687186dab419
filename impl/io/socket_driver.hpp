// Drives one link::Link over a ByteTransport (link.md §3, §9): feeds received bytes to the link,
// writes its output chunks with scatter-gather writes straight from the link's buffers (no copy),
// half-closes (FIN) on graceful shutdown, closes at once on abort, and runs the link's timer.
// Everything happens on the transport's strand.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <system_error>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/steady_timer.hpp>

#include "io/byte_transport.hpp"
#include "link/link.hpp"
#include "link/link_driver.hpp"

namespace versile::io {

struct SocketDriverOptions {
  // Bytes already read from the transport that belong to the link (e.g. after a VOP line).
  std::vector<std::uint8_t> initial_input;
  // Bytes written before the link's first output, in the same write (e.g. VOP USE_TRANSPORT,
  // so it leaves in one segment with our VEC line, like the reference server).
  std::vector<std::uint8_t> initial_output;
  // Size of the read buffer (one read at most this much).
  std::size_t read_buffer_size = 64 * 1024;
  // While the link is inside a byte payload with at least this much missing, reads go straight
  // into the payload's buffer (no copy out of the read buffer, one large read instead of many
  // small ones). 0 disables.
  std::size_t direct_read_min = 32 * 1024;
  // After our FIN, how long to wait for the peer's EOF before closing the socket anyway.
  std::chrono::milliseconds linger = std::chrono::seconds(10);
};

// Maps a transport error to what the link is told: OS errors keep their errno value in
// std::system_category; anything else becomes link::Errc::transport_error.
std::error_code to_link_error(const boost::system::error_code& ec);
// An Asio error as a std::error_code: OS errors in std::system_category (so they compare with
// std::errc), other categories through Boost's own mapping.
std::error_code to_std_error(const boost::system::error_code& ec);

class SocketDriver final : public link::LinkDriver,
                           public std::enable_shared_from_this<SocketDriver> {
  struct Passkey {};

 public:
  // Attaches a new driver to `link` (which must not have been started) and starts it on the
  // transport's strand: link->start(), the initial input, then the read loop.
  static std::shared_ptr<SocketDriver> start(std::shared_ptr<ByteTransport> transport,
                                             std::shared_ptr<link::Link> link,
                                             SocketDriverOptions options = {});
  SocketDriver(Passkey, std::shared_ptr<ByteTransport> transport, std::shared_ptr<link::Link> link,
               SocketDriverOptions options);
  ~SocketDriver() override;

  // ---- link::LinkDriver (strand, post() from anywhere) ----
  void post(std::function<void()> fn) override;
  void output_ready() override;
  void close_transport(bool abort) override;
  void schedule_timer(time_point when) override;

  const boost::asio::any_io_executor& executor() const noexcept { return executor_; }
  // True once the transport is fully closed (strand-only meaning; racy elsewhere).
  bool transport_closed() const noexcept { return state_ == State::closed; }

  // From any thread: closes the transport at once (an open link is told the transport failed
  // (ECANCELED), so its pending calls fail and its tables are released) and calls
  // `released` on the strand after the driver has let go of its link. Runtime::stop() uses it
  // so that no link outlives its io threads in a Link <-> driver reference cycle.
  void abort(std::function<void()> released);

 private:
  enum class State : std::uint8_t {
    open,        // reading and writing for the link
    finishing,   // graceful close requested: write the rest, then FIN
    draining,    // FIN sent: discard input until the peer's EOF (or linger expires)
    closed,      // transport closed
  };

  void begin();
  void read_more();
  void on_read(const boost::system::error_code& ec, std::size_t n);
  void on_direct_read(const boost::system::error_code& ec, std::size_t n);
  // After a read completed: stop on errors (reported to the link), else read on.
  void after_read(const boost::system::error_code& ec);
  void write_more();
  void on_written(const boost::system::error_code& ec, std::size_t n);
  void send_fin();
  void close_now();
  void on_timer_fired(std::uint64_t generation, const boost::system::error_code& ec);
  // The link is told about the peer's EOF at most once and about a transport error at most
  // once, never after close_transport(). An error after the EOF is still reported: the EOF may
  // have left the link closing gracefully, waiting for output that can no longer drain.
  void report_to_link(const boost::system::error_code& ec);

  boost::asio::any_io_executor executor_;
  std::shared_ptr<ByteTransport> transport_;
  std::shared_ptr<link::Link> link_;  // released once the transport is closed
  SocketDriverOptions options_;
  State state_ = State::open;

  std::vector<std::uint8_t> read_buffer_;
  bool reading_ = false;
  // The payload window of a direct read in flight (kept alive until it completes).
  std::shared_ptr<void> direct_owner_;
  const std::uint8_t* direct_start_ = nullptr;
  bool peer_eof_ = false;  // the read side ended (EOF or error)
  bool eof_reported_ = false;    // the link was told about the peer's EOF
  bool error_reported_ = false;  // the link was told about a transport error

  bool writing_ = false;
  std::vector<boost::asio::const_buffer> write_buffers_;  // stable while a write is in flight
  std::vector<std::uint8_t> prefix_;                      // initial_output until written
  std::size_t prefix_in_flight_ = 0;

  boost::asio::steady_timer link_timer_;
  std::uint64_t timer_generation_ = 0;
  boost::asio::steady_timer linger_timer_;
};

}  // namespace versile::io
