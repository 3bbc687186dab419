// versile::Connection: a link bound to a byte transport (link.md §3.2, §9), and the ways to make
// one: link_pair (two links over a local socketpair), connect_socket (any connected socket).
// VOP over TCP lives in io/vop.hpp.
//
//   auto [client, server] = versile::link_pair(nullptr, std::make_shared<MyGateway>());
//   versile::Proxy gw = client->peer_gw();
//   gw.call("add", 2, 3);
//   client->shutdown();
//
// Destroying the last shared_ptr to a Connection shuts its link down gracefully.
#pragma once

#include <chrono>
#include <memory>
#include <system_error>
#include <utility>

#include <boost/asio/basic_stream_socket.hpp>
#include <boost/asio/strand.hpp>

#include "entity/entity.hpp"
#include "io/byte_transport.hpp"
#include "io/runtime.hpp"
#include "io/socket_driver.hpp"
#include "io/socket_transport.hpp"
#include "link/link.hpp"
#include "link/link_config.hpp"
#include "object/proxy.hpp"

namespace versile {

struct ConnectionOptions {
  // Link settings. `gateway` is replaced by the gateway argument of the factory functions;
  // an empty `executor` runs incoming calls on the runtime's worker pool.
  link::LinkConfig link;
  // Interposes on the transport (tap, fault injection), before the first byte.
  io::TransportWrapper wrap;
  // The runtime whose io threads and workers serve the connection (default: the process-wide
  // one). Must outlive the connection.
  io::Runtime* runtime = nullptr;
  // Driver tuning (read buffer size, FIN linger).
  std::size_t read_buffer_size = 64 * 1024;
  std::chrono::milliseconds linger = std::chrono::seconds(10);
};

class Connection {
  struct Passkey {};

 public:
  static constexpr std::chrono::milliseconds kDefaultTimeout = std::chrono::seconds(30);

  // Starts a link over `transport` (whose executor is the link's strand). `driver` carries
  // bytes already read (after a VOP line) and bytes to send first (the VOP answer).
  static std::shared_ptr<Connection> start(std::shared_ptr<io::ByteTransport> transport,
                                           std::shared_ptr<Object> gateway,
                                           const ConnectionOptions& options,
                                           io::SocketDriverOptions driver = {});
  Connection(Passkey, std::shared_ptr<link::Link> link, std::shared_ptr<io::SocketDriver> driver);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // The peer's gateway once our finish() returned it (link.md §4.6). Throws link::LinkError
  // (timeout, the link's close reason, gateway_unavailable).
  Proxy peer_gw(std::chrono::milliseconds timeout = kDefaultTimeout) const;
  // Graceful (§9.2: pending outgoing calls fail, accepted peer calls are answered, then FIN)
  // or forced (§9.3). Returns at once; see wait_closed().
  void shutdown(bool force = false);
  // True if the link closed within `timeout`.
  bool wait_closed(std::chrono::milliseconds timeout = kDefaultTimeout) const;
  bool closed() const { return link_->status() == link::LinkStatus::closed; }
  // {} while open or after a local graceful shutdown, else why the link ended.
  std::error_code close_error() const { return link_->close_error(); }

  const std::shared_ptr<link::Link>& link() const noexcept { return link_; }

 private:
  std::shared_ptr<link::Link> link_;
  std::shared_ptr<io::SocketDriver> driver_;
};

using ConnectionPair = std::pair<std::shared_ptr<Connection>, std::shared_ptr<Connection>>;

// Two connected links over a local socketpair (Py link_pair). A null gateway is a plain object
// that answers every call with CALL_ERROR.
ConnectionPair link_pair(std::shared_ptr<Object> gw1, std::shared_ptr<Object> gw2,
                         const ConnectionOptions& options = {});
// The same with separate options per side (e.g. a tap on one side only).
ConnectionPair link_pair(std::shared_ptr<Object> gw1, std::shared_ptr<Object> gw2,
                         const ConnectionOptions& options1, const ConnectionOptions& options2);

namespace io {
io::Runtime& runtime_of(const ConnectionOptions& options);
}

// A link over any connected stream socket (TCP, local), raw VEC without VOP (Py from_socket).
// The socket is moved onto a strand of the connection's runtime.
template <class Protocol, class Executor>
std::shared_ptr<Connection> connect_socket(boost::asio::basic_stream_socket<Protocol, Executor> socket,
                                           std::shared_ptr<Object> gateway,
                                           const ConnectionOptions& options = {}) {
  using Socket = boost::asio::basic_stream_socket<Protocol>;
  auto& runtime = io::runtime_of(options);
  const Protocol protocol = socket.local_endpoint().protocol();
  Socket rehomed(boost::asio::make_strand(runtime.io_context()), protocol, socket.release());
  auto transport = std::make_shared<io::SocketTransport<Socket>>(std::move(rehomed));
  return Connection::start(std::move(transport), std::move(gateway), options);
}

}  // namespace versile
