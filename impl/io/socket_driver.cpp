#include "io/socket_driver.hpp"

#include <algorithm>
#include <utility>

#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>

namespace versile::io {

std::error_code to_link_error(const boost::system::error_code& ec) {
  if (ec.category() == boost::system::system_category()) {
    return {ec.value(), std::system_category()};
  }
  return link::Errc::transport_error;
}

std::error_code to_std_error(const boost::system::error_code& ec) {
  if (ec.category() == boost::system::system_category()) return {ec.value(), std::system_category()};
  if (ec.category() == boost::system::generic_category()) return {ec.value(), std::generic_category()};
  return ec;
}

std::shared_ptr<SocketDriver> SocketDriver::start(std::shared_ptr<ByteTransport> transport,
                                                  std::shared_ptr<link::Link> link,
                                                  SocketDriverOptions options) {
  auto driver = std::make_shared<SocketDriver>(Passkey{}, std::move(transport), link,
                                               std::move(options));
  link->attach_driver(driver);
  boost::asio::post(driver->executor_, [driver] { driver->begin(); });
  return driver;
}

SocketDriver::SocketDriver(Passkey, std::shared_ptr<ByteTransport> transport,
                           std::shared_ptr<link::Link> link, SocketDriverOptions options)
    : executor_(transport->executor()),
      transport_(std::move(transport)),
      link_(std::move(link)),
      options_(std::move(options)),
      read_buffer_(std::max<std::size_t>(1, options_.read_buffer_size)),
      prefix_(std::move(options_.initial_output)),
      link_timer_(executor_),
      linger_timer_(executor_) {}

SocketDriver::~SocketDriver() {
  // No operation is pending here (each holds a reference), so this cannot race.
  if (state_ != State::closed) transport_->close();
}

void SocketDriver::post(std::function<void()> fn) { boost::asio::post(executor_, std::move(fn)); }

void SocketDriver::abort(std::function<void()> released) {
  boost::asio::post(executor_, [self = shared_from_this(), released = std::move(released)] {
    self->report_to_link(boost::asio::error::operation_aborted);
    self->close_now();
    // The strand runs handlers in order: this follows close_now()'s release of the link.
    boost::asio::post(self->executor_, released);
  });
}

void SocketDriver::begin() {
  if (state_ != State::open) return;
  link_->start();
  if (!options_.initial_input.empty() && state_ == State::open) {
    const auto input = std::move(options_.initial_input);
    link_->on_received(input);
  }
  if (state_ == State::open || state_ == State::finishing) read_more();
  write_more();  // the prefix leaves even if the link had nothing to say yet
}

void SocketDriver::read_more() {
  if (reading_ || state_ == State::closed) return;
  reading_ = true;
  if (state_ == State::open && options_.direct_read_min > 0) {
    auto direct = link_->direct_input(options_.direct_read_min);
    if (!direct.window.empty()) {
      direct_owner_ = std::move(direct.owner);
      direct_start_ = direct.window.data();
      transport_->async_read_some(
          boost::asio::buffer(direct.window.data(), direct.window.size()),
          [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
            self->on_direct_read(ec, n);
          });
      return;
    }
  }
  transport_->async_read_some(
      boost::asio::buffer(read_buffer_),
      [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
        self->on_read(ec, n);
      });
}

void SocketDriver::on_read(const boost::system::error_code& ec, std::size_t n) {
  reading_ = false;
  if (state_ == State::closed) return;
  if (state_ == State::open && n > 0) {
    link_->on_received({read_buffer_.data(), n});
  }
  after_read(ec);
}

void SocketDriver::on_direct_read(const boost::system::error_code& ec, std::size_t n) {
  reading_ = false;
  auto owner = std::move(direct_owner_);  // released after the link took the bytes
  const std::uint8_t* start = std::exchange(direct_start_, nullptr);
  if (state_ == State::closed) return;
  if (state_ == State::open && n > 0) link_->on_received_direct(start, n);
  after_read(ec);
}

void SocketDriver::after_read(const boost::system::error_code& ec) {
  if (ec) {
    peer_eof_ = true;
    if (state_ == State::open) {
      report_to_link(ec);
    } else if (state_ == State::draining) {
      close_now();  // our FIN is out and the peer's end arrived: done
    }
    return;
  }
  // Once closing, input is drained (not fed to the link) until the peer's EOF arrives, so the
  // kernel never answers unread data with a reset that could destroy our last replies.
  read_more();
}

void SocketDriver::output_ready() { write_more(); }

void SocketDriver::write_more() {
  if (writing_ || state_ == State::closed || state_ == State::draining) return;
  write_buffers_.clear();
  prefix_in_flight_ = prefix_.size();
  if (!prefix_.empty()) write_buffers_.emplace_back(prefix_.data(), prefix_.size());
  for (const auto& chunk : link_->output_chunks()) {
    if (chunk.size > 0) write_buffers_.emplace_back(chunk.data, chunk.size);
  }
  if (write_buffers_.empty()) {
    if (state_ == State::finishing) send_fin();
    return;
  }
  writing_ = true;
  // The written bytes belong to the link: the handler keeps it alive, since close_now() may
  // release link_ before an aborted write completes and wrappers may read the bytes then.
  transport_->async_write(
      write_buffers_,
      [self = shared_from_this(), link = link_](const boost::system::error_code& ec, std::size_t n) {
        self->on_written(ec, n);
      });
}

void SocketDriver::on_written(const boost::system::error_code& ec, std::size_t n) {
  writing_ = false;
  if (state_ == State::closed) return;
  const std::size_t from_prefix = std::min(n, prefix_in_flight_);
  prefix_.erase(prefix_.begin(), prefix_.begin() + static_cast<std::ptrdiff_t>(from_prefix));
  prefix_in_flight_ = 0;
  if (n > from_prefix) link_->consume_output(n - from_prefix);
  if (ec) {
    if (state_ == State::open) {
      report_to_link(ec);  // the link answers with close_transport(abort=true)
    }
    close_now();
    return;
  }
  write_more();
}

void SocketDriver::close_transport(bool abort) {
  if (state_ == State::closed) return;
  if (abort) {
    close_now();
    return;
  }
  if (state_ != State::open) return;
  state_ = State::finishing;
  if (!writing_) write_more();  // sends FIN once nothing is left
}

void SocketDriver::send_fin() {
  const auto ec = transport_->shutdown_send();
  state_ = State::draining;
  if (ec || peer_eof_) {
    close_now();
    return;
  }
  linger_timer_.expires_after(options_.linger);
  linger_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& e) {
    if (!e) self->close_now();
  });
  read_more();
}

void SocketDriver::close_now() {
  if (state_ == State::closed) return;
  state_ = State::closed;
  transport_->close();
  link_timer_.cancel();
  linger_timer_.cancel();
  ++timer_generation_;
  // We may be inside a call from the link: let go of it only after that call returned.
  boost::asio::post(executor_, [self = shared_from_this()] { self->link_.reset(); });
}

void SocketDriver::schedule_timer(time_point when) {
  const std::uint64_t generation = ++timer_generation_;
  if (when == time_point::max() || state_ == State::closed) {
    link_timer_.cancel();
    return;
  }
  link_timer_.expires_at(when);
  link_timer_.async_wait(
      [self = shared_from_this(), generation](const boost::system::error_code& ec) {
        self->on_timer_fired(generation, ec);
      });
}

void SocketDriver::on_timer_fired(std::uint64_t generation, const boost::system::error_code& ec) {
  if (ec || generation != timer_generation_ || state_ == State::closed || !link_) return;
  link_->on_timer();
}

void SocketDriver::report_to_link(const boost::system::error_code& ec) {
  if (state_ != State::open || error_reported_) return;
  if (ec == boost::asio::error::eof) {
    if (eof_reported_) return;
    eof_reported_ = true;
    link_->on_eof();
  } else {
    error_reported_ = true;
    link_->on_transport_error(to_link_error(ec));
  }
}

}  // namespace versile::io
