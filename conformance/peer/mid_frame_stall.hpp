// A transport wrapper for the misbehaving peer's "stall mid-frame" case: the next write that
// carries an armed frame goes out up to the middle of that frame, pauses, then sends the rest
// before it completes. The link writes one buffer list at a time, so nothing else the link
// sends (deref confirmations, keep-alives, the probe) can land inside the stalled frame, and
// the peer sees exactly: the first half, silence, the second half.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "io/byte_transport.hpp"

namespace vpstream::conformance {

class MidFrameStall final : public versile::io::ByteTransport, public std::enable_shared_from_this<MidFrameStall> {
 public:
  explicit MidFrameStall(std::shared_ptr<versile::io::ByteTransport> inner);

  // Any thread: the next write containing `frame` pauses for `pause` in its middle.
  void arm(std::vector<std::uint8_t> frame, std::chrono::milliseconds pause);
  // Any thread: true once the armed frame's second half was written; false if the transport
  // failed first or `timeout` passed.
  bool wait_sent(std::chrono::milliseconds timeout);

  boost::asio::any_io_executor executor() const override { return inner_->executor(); }
  void async_read_some(boost::asio::mutable_buffer buffer, Handler handler) override;
  void async_write(std::span<const boost::asio::const_buffer> buffers, Handler handler) override;
  boost::system::error_code shutdown_send() override { return inner_->shutdown_send(); }
  void close() override;

 private:
  struct StalledWrite;
  void finish(bool sent);

  std::shared_ptr<versile::io::ByteTransport> inner_;
  std::shared_ptr<StalledWrite> in_flight_;  // strand only
  std::mutex mu_;
  std::condition_variable cv_;
  std::optional<std::vector<std::uint8_t>> frame_;  // armed and not yet seen in a write
  std::chrono::milliseconds pause_{0};
  std::optional<bool> outcome_;  // set when the stalled write ended: true = both halves sent
};

}  // namespace vpstream::conformance
