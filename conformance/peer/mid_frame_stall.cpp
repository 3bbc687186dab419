#include "peer/mid_frame_stall.hpp"

#include <algorithm>

#include <boost/asio/error.hpp>
#include <boost/asio/steady_timer.hpp>

namespace vpstream::conformance {

namespace asio = boost::asio;

struct MidFrameStall::StalledWrite {
  std::vector<std::uint8_t> bytes;  // a copy of the whole write
  std::size_t split = 0;            // first byte of the frame's second half
  Handler handler;
  asio::const_buffer piece;
  asio::steady_timer timer;
  explicit StalledWrite(asio::any_io_executor ex) : timer(std::move(ex)) {}
};

MidFrameStall::MidFrameStall(std::shared_ptr<versile::io::ByteTransport> inner) : inner_(std::move(inner)) {}

void MidFrameStall::arm(std::vector<std::uint8_t> frame, std::chrono::milliseconds pause) {
  std::scoped_lock l{mu_};
  frame_ = std::move(frame);
  pause_ = pause;
  outcome_.reset();
}

bool MidFrameStall::wait_sent(std::chrono::milliseconds timeout) {
  std::unique_lock l{mu_};
  cv_.wait_for(l, timeout, [this] { return outcome_.has_value(); });
  return outcome_.value_or(false);
}

void MidFrameStall::finish(bool sent) {
  {
    std::scoped_lock l{mu_};
    outcome_ = sent;
  }
  cv_.notify_all();
}

void MidFrameStall::async_read_some(asio::mutable_buffer buffer, Handler handler) {
  inner_->async_read_some(buffer, std::move(handler));
}

void MidFrameStall::async_write(std::span<const asio::const_buffer> buffers, Handler handler) {
  std::optional<std::vector<std::uint8_t>> frame;
  std::chrono::milliseconds pause{0};
  {
    std::scoped_lock l{mu_};
    if (frame_) {
      frame = frame_;
      pause = pause_;
    }
  }
  if (!frame) return inner_->async_write(buffers, std::move(handler));
  auto op = std::make_shared<StalledWrite>(inner_->executor());
  for (const auto& b : buffers) {
    const auto* p = static_cast<const std::uint8_t*>(b.data());
    op->bytes.insert(op->bytes.end(), p, p + b.size());
  }
  const auto at = std::search(op->bytes.begin(), op->bytes.end(), frame->begin(), frame->end());
  if (at == op->bytes.end()) return inner_->async_write(buffers, std::move(handler));
  {
    std::scoped_lock l{mu_};
    frame_.reset();
  }
  op->split = static_cast<std::size_t>(at - op->bytes.begin()) + frame->size() / 2;
  op->handler = std::move(handler);
  in_flight_ = op;
  auto self = shared_from_this();
  auto fail = [self, op](const boost::system::error_code& ec, std::size_t written) {
    self->in_flight_.reset();
    self->finish(false);
    auto h = std::move(op->handler);
    h(ec, written);
  };
  op->piece = asio::const_buffer(op->bytes.data(), op->split);
  inner_->async_write({&op->piece, 1}, [self, op, pause, fail](const boost::system::error_code& ec, std::size_t n) {
    if (ec) return fail(ec, n);
    op->timer.expires_after(pause);
    op->timer.async_wait([self, op, fail](const boost::system::error_code& wait_ec) {
      if (wait_ec) return fail(asio::error::operation_aborted, op->split);
      op->piece = asio::const_buffer(op->bytes.data() + op->split, op->bytes.size() - op->split);
      self->inner_->async_write({&op->piece, 1}, [self, op, fail](const boost::system::error_code& ec2, std::size_t n) {
        if (ec2) return fail(ec2, op->split + n);
        self->in_flight_.reset();
        self->finish(true);
        auto h = std::move(op->handler);
        h({}, op->bytes.size());
      });
    });
  });
}

void MidFrameStall::close() {
  if (in_flight_) in_flight_->timer.cancel();
  inner_->close();
}

}  // namespace vpstream::conformance
