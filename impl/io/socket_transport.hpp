// ByteTransport over any connected Boost.Asio stream socket (TCP or local). The socket must be
// bound to the link's strand (constructed with it as executor) so completions land there.
#pragma once

#include <utility>

#include <boost/asio/write.hpp>

#include "io/byte_transport.hpp"

namespace versile::io {

template <class Socket>
class SocketTransport final : public ByteTransport {
 public:
  explicit SocketTransport(Socket socket)
      : executor_(socket.get_executor()), socket_(std::move(socket)) {}

  boost::asio::any_io_executor executor() const override { return executor_; }

  void async_read_some(boost::asio::mutable_buffer buffer, Handler handler) override {
    socket_.async_read_some(buffer, std::move(handler));
  }

  void async_write(std::span<const boost::asio::const_buffer> buffers, Handler handler) override {
    boost::asio::async_write(socket_, buffers, std::move(handler));
  }

  boost::system::error_code shutdown_send() override {
    boost::system::error_code ec;
    socket_.shutdown(Socket::shutdown_send, ec);
    return ec;
  }

  void close() override {
    boost::system::error_code ignored;
    socket_.cancel(ignored);
    socket_.close(ignored);
  }

  Socket& socket() noexcept { return socket_; }

 private:
  boost::asio::any_io_executor executor_;
  Socket socket_;
};

}  // namespace versile::io
