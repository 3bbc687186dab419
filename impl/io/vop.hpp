// VOP over TCP with the PLAIN transport (link.md §3.3, §3.4): vop_connect() as VOP client and
// VopServer as VOP server. Only PLAIN is enabled: a client offers ":PLAIN" only and closes on
// any other answer; the server answers PLAIN when offered and otherwise closes without a word.
// After the negotiation each direction is a raw VEC stream run by a versile::Connection.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "io/connection.hpp"
#include "io/vop_negotiation.hpp"

namespace versile {

// Thrown by vop_connect() and VopServer: code() is a io::VopErrc, or an OS error
// (std::system_category / boost system category: refused, unreachable, address in use ...).
class VopError : public std::system_error {
 public:
  using std::system_error::system_error;
};

// vop://host[:port][/path...] — host may be a bracketed IPv6 literal; port defaults to 4433.
struct VopUrl {
  static constexpr std::uint16_t kDefaultPort = 4433;
  std::string host;
  std::uint16_t port = kDefaultPort;
  std::vector<std::string> path;  // percent-decoded segments (empty: the gateway itself)

  // nullopt when `url` is not a vop:// URL of this form.
  static std::optional<VopUrl> parse(std::string_view url);
};

struct VopConnectOptions {
  ConnectionOptions connection;
  // Bound on TCP connect + VOP negotiation together.
  std::chrono::milliseconds timeout = std::chrono::seconds(30);
};

// Connects as VOP client and starts the link (PLAIN). Blocking; must not be called on an io
// thread. Throws VopError (bad_url, negotiation failures, timeout, OS errors). A non-empty URL
// path is not resolved here (no urlget call, §3.4): callers get the gateway connection.
std::shared_ptr<Connection> vop_connect(std::string_view url, std::shared_ptr<Object> gateway,
                                        const VopConnectOptions& options = {});

namespace io {

struct VopServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: the OS picks a free port (see VopServer::port())
  // Link settings of every accepted connection (gateway comes from the factory). Server links
  // drop the client's gateway after the handshake unless asked for (like Py's VOPService).
  ConnectionOptions connection = [] {
    ConnectionOptions o;
    o.link.hold_peer_gateway = false;
    return o;
  }();
  // A client that has not completed its TRANSPORTS line within this time is dropped.
  std::chrono::milliseconds negotiation_timeout = std::chrono::seconds(10);
  // Called (on an io thread) for every connection whose link started, and for refused ones.
  std::function<void(const std::shared_ptr<Connection>&)> on_connection;
  std::function<void(std::error_code)> on_refused;
};

class VopServer {
 public:
  using GatewayFactory = std::function<std::shared_ptr<Object>()>;

  // Binds and listens at once (throws VopError with the OS error on failure), then accepts on
  // the runtime's io threads. One gateway per connection from `factory` (null → plain object).
  VopServer(VopServerOptions options, GatewayFactory factory);
  // stop(), then waits (bounded) until the accept loop has ended.
  ~VopServer();
  VopServer(const VopServer&) = delete;
  VopServer& operator=(const VopServer&) = delete;

  boost::asio::ip::tcp::endpoint local_endpoint() const;
  std::uint16_t port() const { return local_endpoint().port(); }

  // Stops accepting, drops clients still negotiating and shuts down every open connection
  // (graceful unless `force`). Idempotent; returns at once.
  void stop(bool force = false);
  // The connections whose links are still open.
  std::vector<std::shared_ptr<Connection>> connections() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace io
}  // namespace versile
