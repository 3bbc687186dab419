#include "io/transport_tap.hpp"

#include <utility>
#include <vector>

#include <boost/asio/error.hpp>

namespace versile::io {

namespace {

class TappedTransport final : public ByteTransport,
                              public std::enable_shared_from_this<TappedTransport> {
 public:
  TappedTransport(std::shared_ptr<ByteTransport> inner, std::shared_ptr<TransportTap> tap)
      : inner_(std::move(inner)), tap_(std::move(tap)) {}

  boost::asio::any_io_executor executor() const override { return inner_->executor(); }

  void async_read_some(boost::asio::mutable_buffer buffer, Handler handler) override {
    inner_->async_read_some(buffer, [self = shared_from_this(), buffer, h = std::move(handler)](
                                        const boost::system::error_code& ec, std::size_t n) {
      const auto now = TransportTap::Clock::now();
      if (n > 0) {
        self->tap_->on_data(TapDirection::received, now,
                            {static_cast<const std::uint8_t*>(buffer.data()), n});
      }
      if (ec == boost::asio::error::eof) {
        self->tap_->on_eof(TapDirection::received, now);
      } else if (ec) {
        self->tap_->on_error(TapDirection::received, now, ec);
      }
      h(ec, n);
    });
  }

  void async_write(std::span<const boost::asio::const_buffer> buffers, Handler handler) override {
    inner_->async_write(buffers, [self = shared_from_this(), buffers, h = std::move(handler)](
                                     const boost::system::error_code& ec, std::size_t n) {
      const auto now = TransportTap::Clock::now();
      // Report what was written, chunk by chunk (a failed write may have written a prefix).
      std::size_t left = n;
      for (const auto& b : buffers) {
        if (left == 0) break;
        const std::size_t take = std::min(left, b.size());
        if (take > 0) {
          self->tap_->on_data(TapDirection::sent, now,
                              {static_cast<const std::uint8_t*>(b.data()), take});
        }
        left -= take;
      }
      if (ec) self->tap_->on_error(TapDirection::sent, now, ec);
      h(ec, n);
    });
  }

  boost::system::error_code shutdown_send() override {
    auto ec = inner_->shutdown_send();
    const auto now = TransportTap::Clock::now();
    if (ec) {
      tap_->on_error(TapDirection::sent, now, ec);
    } else {
      tap_->on_eof(TapDirection::sent, now);
    }
    return ec;
  }

  void close() override {
    if (!closed_) {
      closed_ = true;
      tap_->on_error(TapDirection::sent, TransportTap::Clock::now(),
                     boost::asio::error::operation_aborted);
    }
    inner_->close();
  }

 private:
  std::shared_ptr<ByteTransport> inner_;
  std::shared_ptr<TransportTap> tap_;
  bool closed_ = false;
};

}  // namespace

std::shared_ptr<ByteTransport> make_tapped_transport(std::shared_ptr<ByteTransport> inner,
                                                     std::shared_ptr<TransportTap> tap) {
  return std::make_shared<TappedTransport>(std::move(inner), std::move(tap));
}

TransportWrapper tap_wrapper(std::shared_ptr<TransportTap> tap) {
  return [tap = std::move(tap)](std::shared_ptr<ByteTransport> inner) {
    return make_tapped_transport(std::move(inner), tap);
  };
}

}  // namespace versile::io
