#include "faults/fault_transport.hpp"

#include <algorithm>
#include <random>
#include <vector>

#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

namespace vpstream::conformance {
namespace {

namespace asio = boost::asio;
using versile::io::ByteTransport;

class FaultTransport final : public ByteTransport, public std::enable_shared_from_this<FaultTransport> {
 public:
  FaultTransport(std::shared_ptr<ByteTransport> inner, FaultProfile profile, std::uint64_t seed, FaultEvents events)
      : inner_(std::move(inner)), profile_(std::move(profile)), rng_(seed), timer_(inner_->executor()),
        events_(std::move(events)) {}

  asio::any_io_executor executor() const override { return inner_->executor(); }

  void async_read_some(asio::mutable_buffer buffer, Handler handler) override {
    inner_->async_read_some(buffer, std::move(handler));
  }

  void async_write(std::span<const asio::const_buffer> buffers, Handler handler) override {
    // Copy: pieces are written over several completions and the caller's span may be a
    // temporary view. Test payloads are small enough for this to be irrelevant.
    auto op = std::make_shared<WriteOp>();
    for (const auto& b : buffers) {
      const auto* p = static_cast<const std::uint8_t*>(b.data());
      op->data.insert(op->data.end(), p, p + b.size());
    }
    op->handler = std::move(handler);
    next_piece(std::move(op));
  }

  boost::system::error_code shutdown_send() override {
    if (cut_) return asio::error::broken_pipe;
    return inner_->shutdown_send();
  }
  void close() override {
    timer_.cancel();
    inner_->close();
  }

 private:
  struct WriteOp {
    std::vector<std::uint8_t> data;
    std::size_t done = 0;
    Handler handler;
    asio::const_buffer piece_buffer;
  };

  std::size_t piece_size(std::size_t remaining) {
    switch (profile_.split) {
      case FaultProfile::Split::none: return remaining;
      case FaultProfile::Split::one_byte: return 1;
      case FaultProfile::Split::random: {
        std::uniform_int_distribution<std::size_t> d(1, std::max<std::size_t>(1, profile_.max_piece));
        return std::min(remaining, d(rng_));
      }
    }
    return remaining;
  }

  void next_piece(std::shared_ptr<WriteOp> op) {
    if (op->done == op->data.size()) {
      auto h = std::move(op->handler);
      h({}, op->done);
      return;
    }
    if (cut_) {
      auto h = std::move(op->handler);
      h(asio::error::connection_reset, op->done);
      return;
    }
    std::size_t n = piece_size(op->data.size() - op->done);
    if (profile_.cut_after_bytes) {
      const std::size_t allowed = *profile_.cut_after_bytes > written_ ? *profile_.cut_after_bytes - written_ : 0;
      if (allowed == 0) {
        cut_ = true;
        if (events_.cut) events_.cut();
        inner_->close();  // the connection is cut: both directions end abruptly
        next_piece(std::move(op));
        return;
      }
      n = std::min(n, allowed);
    }
    auto self = shared_from_this();
    auto write = [self, op, n] {
      op->piece_buffer = asio::const_buffer(op->data.data() + op->done, n);
      self->inner_->async_write(std::span<const asio::const_buffer>(&op->piece_buffer, 1),
                                [self, op](const boost::system::error_code& ec, std::size_t written) {
                                  op->done += written;
                                  self->written_ += written;
                                  if (self->events_.written) self->events_.written(written);
                                  if (ec) {
                                    auto h = std::move(op->handler);
                                    h(ec, op->done);
                                    return;
                                  }
                                  self->next_piece(op);
                                });
    };
    if (profile_.delay.count() > 0) {
      timer_.expires_after(profile_.delay);
      timer_.async_wait([write, op](const boost::system::error_code& ec) {
        if (ec) {
          auto h = std::move(op->handler);
          h(ec, op->done);
          return;
        }
        write();
      });
    } else {
      write();
    }
  }

  std::shared_ptr<ByteTransport> inner_;
  FaultProfile profile_;
  std::mt19937_64 rng_;
  asio::steady_timer timer_;
  FaultEvents events_;
  std::size_t written_ = 0;
  bool cut_ = false;
};

}  // namespace

std::shared_ptr<versile::io::ByteTransport> make_fault_transport(
    std::shared_ptr<versile::io::ByteTransport> inner, const FaultProfile& profile, std::uint64_t seed,
    FaultEvents events) {
  if (!profile.active()) return inner;
  return std::make_shared<FaultTransport>(std::move(inner), profile, seed, std::move(events));
}

versile::io::TransportWrapper fault_wrapper(const FaultProfile& profile, std::uint64_t seed, FaultEvents events) {
  return [profile, seed, events](std::shared_ptr<versile::io::ByteTransport> inner) {
    return make_fault_transport(std::move(inner), profile, seed, events);
  };
}

}  // namespace vpstream::conformance
