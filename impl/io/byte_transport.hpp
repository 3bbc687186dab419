// The byte channel under a link: a connected stream socket, or a wrapper around one (a tap
// that records traffic, a fault injector that splits, delays or cuts it). Every completion
// handler runs on executor() — the link's strand — so wrappers and the driver never race.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <system_error>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/system/error_code.hpp>

namespace versile::io {

class ByteTransport {
 public:
  using Handler = std::function<void(const boost::system::error_code&, std::size_t)>;

  virtual ~ByteTransport() = default;

  // The strand all handlers run on; callers invoke the operations from it too.
  virtual boost::asio::any_io_executor executor() const = 0;
  // Reads at least one byte (or fails; EOF = boost::asio::error::eof).
  virtual void async_read_some(boost::asio::mutable_buffer buffer, Handler handler) = 0;
  // Writes every byte of `buffers` (or fails). The span and the bytes it points to stay valid
  // until the handler runs; the handler receives the number of bytes written.
  virtual void async_write(std::span<const boost::asio::const_buffer> buffers, Handler handler) = 0;
  // Graceful end of our direction (FIN). Reading continues.
  virtual boost::system::error_code shutdown_send() = 0;
  // Abort: pending operations complete with operation_aborted, unsent bytes are dropped.
  virtual void close() = 0;
};

// Lets a harness interpose on a connection's transport (taps, fault profiles). Applied once
// per connection, before the first byte is exchanged (the VOP lines included).
using TransportWrapper =
    std::function<std::shared_ptr<ByteTransport>(std::shared_ptr<ByteTransport>)>;

}  // namespace versile::io
