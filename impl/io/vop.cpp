#include "io/vop.hpp"

#include <array>
#include <charconv>
#include <future>
#include <list>
#include <mutex>
#include <set>
#include <utility>

#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "io/socket_transport.hpp"

namespace versile {

namespace {

using boost::asio::ip::tcp;
using TcpTransport = io::SocketTransport<tcp::socket>;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    const int hi = hex_value(s[i + 1]);
    const int lo = hex_value(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

// Reads one VOP line through a ByteTransport on its strand (optionally after writing our own
// line first), with a deadline. Reports the outcome once, with the bytes that followed the LF.
class LineExchange : public std::enable_shared_from_this<LineExchange> {
 public:
  using Feed = std::function<io::VopFeedResult(std::span<const std::uint8_t>)>;
  using Done = std::function<void(std::error_code, std::vector<std::uint8_t> leftover)>;

  LineExchange(std::shared_ptr<io::ByteTransport> transport, std::string to_send, Feed feed,
               Done done)
      : transport_(std::move(transport)),
        timer_(transport_->executor()),
        to_send_(std::move(to_send)),
        feed_(std::move(feed)),
        done_(std::move(done)) {}

  void start(std::chrono::milliseconds timeout) {
    boost::asio::post(transport_->executor(), [self = shared_from_this(), timeout] {
      self->timer_.expires_after(timeout);
      self->timer_.async_wait([self](const boost::system::error_code& ec) {
        if (!ec && !self->finished_) {
          self->timed_out_ = true;
          self->transport_->close();
        }
      });
      if (self->to_send_.empty()) {
        self->read();
        return;
      }
      self->send_buffer_ = boost::asio::buffer(self->to_send_);
      self->transport_->async_write(
          {&self->send_buffer_, 1}, [self](const boost::system::error_code& ec, std::size_t) {
            if (ec) return self->finish(self->timed_out_ ? std::error_code(io::VopErrc::timeout) : io::to_std_error(ec));
            self->read();
          });
    });
  }

  // Any thread: abandon the exchange (server stop).
  void cancel() {
    boost::asio::post(transport_->executor(), [self = shared_from_this()] {
      if (!self->finished_) self->transport_->close();
    });
  }

 private:
  void read() {
    transport_->async_read_some(
        boost::asio::buffer(buffer_),
        [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
          self->on_read(ec, n);
        });
  }

  void on_read(const boost::system::error_code& ec, std::size_t n) {
    if (finished_) return;
    if (n > 0) {
      const auto r = feed_({buffer_.data(), n});
      if (r.status == io::VopFeedResult::Status::error) return finish(r.error);
      if (r.status == io::VopFeedResult::Status::done) {
        return finish({}, {buffer_.begin() + static_cast<std::ptrdiff_t>(r.consumed),
                           buffer_.begin() + static_cast<std::ptrdiff_t>(n)});
      }
    }
    if (ec) {
      if (timed_out_) return finish(io::VopErrc::timeout);
      if (ec == boost::asio::error::eof) return finish(io::VopErrc::peer_closed);
      return finish(io::to_std_error(ec));
    }
    read();
  }

  void finish(std::error_code ec, std::vector<std::uint8_t> leftover = {}) {
    if (finished_) return;
    finished_ = true;
    timer_.cancel();
    if (ec) transport_->close();  // VOP signals every failure by closing, nothing else
    done_(ec, std::move(leftover));
  }

  std::shared_ptr<io::ByteTransport> transport_;
  boost::asio::steady_timer timer_;
  std::string to_send_;
  boost::asio::const_buffer send_buffer_;
  Feed feed_;
  Done done_;
  std::array<std::uint8_t, 256> buffer_{};
  bool finished_ = false;
  bool timed_out_ = false;
};

[[noreturn]] void throw_vop(std::error_code ec, const std::string& what) {
  throw VopError(ec, what);
}
[[noreturn]] void throw_vop(const boost::system::error_code& ec, const std::string& what) {
  throw VopError(io::to_std_error(ec), what);
}

}  // namespace

std::optional<VopUrl> VopUrl::parse(std::string_view url) {
  constexpr std::string_view scheme = "vop://";
  if (!url.starts_with(scheme)) return std::nullopt;
  std::string_view rest = url.substr(scheme.size());
  if (rest.find_first_of("?#") != std::string_view::npos) return std::nullopt;
  VopUrl out;
  std::string_view authority = rest.substr(0, rest.find('/'));
  std::string_view path =
      authority.size() < rest.size() ? rest.substr(authority.size() + 1) : std::string_view{};
  std::string_view port_text;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    out.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return std::nullopt;
      port_text = after.substr(1);
      if (port_text.empty()) return std::nullopt;
    }
  } else {
    const auto colon = authority.find(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) return std::nullopt;
    }
  }
  if (out.host.empty()) return std::nullopt;
  if (!port_text.empty()) {
    unsigned value = 0;
    const auto [p, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc{} || p != port_text.data() + port_text.size() || value == 0 ||
        value > 65535) {
      return std::nullopt;
    }
    out.port = static_cast<std::uint16_t>(value);
  }
  while (!path.empty()) {
    const auto slash = path.find('/');
    auto segment = percent_decode(path.substr(0, slash));
    if (!segment) return std::nullopt;
    if (!segment->empty() || slash != std::string_view::npos) out.path.push_back(std::move(*segment));
    if (slash == std::string_view::npos) break;
    path = path.substr(slash + 1);
  }
  // "vop://h/" and "vop://h/a/" end with an empty segment that names nothing.
  if (!out.path.empty() && out.path.back().empty()) out.path.pop_back();
  return out;
}

std::shared_ptr<Connection> vop_connect(std::string_view url, std::shared_ptr<Object> gateway,
                                        const VopConnectOptions& options) {
  const auto parsed = VopUrl::parse(url);
  if (!parsed) throw_vop(io::VopErrc::bad_url, std::string(url));
  auto& runtime = io::runtime_of(options.connection);
  const auto deadline = std::chrono::steady_clock::now() + options.timeout;

  tcp::resolver resolver(runtime.io_context());
  boost::system::error_code rec;
  const auto endpoints = resolver.resolve(parsed->host, std::to_string(parsed->port), rec);
  if (rec) throw_vop(rec, "resolve " + parsed->host);

  // TCP connect on the link's strand-to-be, bounded by the deadline.
  tcp::socket socket(boost::asio::make_strand(runtime.io_context()));
  auto connected = std::make_shared<std::promise<boost::system::error_code>>();
  boost::asio::async_connect(socket, endpoints,
                             [connected](const boost::system::error_code& ec, const tcp::endpoint&) {
                               connected->set_value(ec);
                             });
  auto connect_future = connected->get_future();
  if (connect_future.wait_until(deadline) != std::future_status::ready) {
    boost::asio::post(socket.get_executor(), [&socket] {
      boost::system::error_code ignored;
      socket.close(ignored);
    });
    connect_future.wait();
    throw_vop(io::VopErrc::timeout, "connect " + std::string(url));
  }
  if (const auto ec = connect_future.get(); ec) throw_vop(ec, "connect " + std::string(url));
  boost::system::error_code nodelay_ec;
  socket.set_option(tcp::no_delay(true), nodelay_ec);

  std::shared_ptr<io::ByteTransport> transport = std::make_shared<TcpTransport>(std::move(socket));
  if (options.connection.wrap) transport = options.connection.wrap(std::move(transport));

  struct Outcome {
    std::error_code error;
    std::vector<std::uint8_t> leftover;
  };
  auto negotiated = std::make_shared<std::promise<Outcome>>();
  auto client = std::make_shared<io::VopClientNegotiation>(io::VopTransportSet{io::VopTransport::plain});
  auto exchange = std::make_shared<LineExchange>(
      transport, client->request_line(),
      [client](std::span<const std::uint8_t> bytes) { return client->feed(bytes); },
      [negotiated](std::error_code ec, std::vector<std::uint8_t> leftover) {
        negotiated->set_value({ec, std::move(leftover)});
      });
  const auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  exchange->start(std::max(remaining, std::chrono::milliseconds(1)));
  auto outcome = negotiated->get_future().get();  // the exchange's own timer bounds this
  if (outcome.error) throw_vop(outcome.error, "VOP negotiation with " + std::string(url));

  ConnectionOptions connection = options.connection;
  connection.wrap = nullptr;  // already applied, before the VOP line
  io::SocketDriverOptions driver;
  driver.initial_input = std::move(outcome.leftover);
  return Connection::start(std::move(transport), std::move(gateway), connection,
                           std::move(driver));
}

namespace io {

struct VopServer::State : std::enable_shared_from_this<VopServer::State> {
  VopServerOptions options;
  GatewayFactory factory;
  Runtime* runtime = nullptr;
  boost::asio::strand<boost::asio::io_context::executor_type> strand;
  tcp::acceptor acceptor;
  tcp::endpoint endpoint;

  mutable std::mutex mutex;
  bool stopping = false;
  bool force = false;
  std::set<std::shared_ptr<Connection>> connections;
  std::list<std::weak_ptr<LineExchange>> negotiating;
  std::promise<void> accept_loop_done;

  State(VopServerOptions opts, GatewayFactory f, Runtime& rt)
      : options(std::move(opts)),
        factory(std::move(f)),
        runtime(&rt),
        strand(boost::asio::make_strand(rt.io_context())),
        acceptor(strand) {}

  void accept() {
    acceptor.async_accept(
        boost::asio::make_strand(runtime->io_context()),
        [self = shared_from_this()](const boost::system::error_code& ec, tcp::socket socket) {
          if (ec) {
            if (!self->acceptor.is_open() || ec == boost::asio::error::operation_aborted) {
              self->accept_loop_done.set_value();
              return;
            }
          } else {
            self->negotiate(std::move(socket));
          }
          self->accept();
        });
  }

  void negotiate(tcp::socket socket) {
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    std::shared_ptr<ByteTransport> transport = std::make_shared<TcpTransport>(std::move(socket));
    if (options.connection.wrap) transport = options.connection.wrap(std::move(transport));
    auto server = std::make_shared<VopServerNegotiation>(VopTransportSet{VopTransport::plain});
    auto exchange = std::make_shared<LineExchange>(
        transport, std::string{},
        [server](std::span<const std::uint8_t> bytes) { return server->feed(bytes); },
        [self = shared_from_this(), transport, server](std::error_code ec,
                                                      std::vector<std::uint8_t> leftover) {
          if (ec) {
            if (self->options.on_refused) self->options.on_refused(ec);
            return;
          }
          self->start_link(transport, server->answer_line(), std::move(leftover));
        });
    {
      std::scoped_lock lock(mutex);
      if (stopping) {
        transport->close();
        return;
      }
      std::erase_if(negotiating, [](const auto& w) { return w.expired(); });
      negotiating.push_back(exchange);
    }
    exchange->start(options.negotiation_timeout);
  }

  void start_link(std::shared_ptr<ByteTransport> transport, const std::string& answer,
                  std::vector<std::uint8_t> leftover) {
    SocketDriverOptions driver;
    driver.initial_input = std::move(leftover);
    driver.initial_output.assign(answer.begin(), answer.end());
    ConnectionOptions connection = options.connection;
    connection.wrap = nullptr;  // applied before the VOP line
    std::shared_ptr<Object> gateway = factory ? factory() : nullptr;
    auto conn = Connection::start(std::move(transport), std::move(gateway), connection,
                                  std::move(driver));
    {
      std::scoped_lock lock(mutex);
      if (stopping) {
        conn->shutdown(force);
      } else {
        connections.insert(conn);
      }
    }
    std::weak_ptr<State> weak = shared_from_this();
    std::weak_ptr<Connection> weak_conn = conn;
    conn->link()->add_close_listener([weak, weak_conn](std::error_code) {
      auto self = weak.lock();
      auto c = weak_conn.lock();
      if (!self || !c) return;
      std::shared_ptr<Connection> last;  // released outside the lock
      std::scoped_lock lock(self->mutex);
      if (auto it = self->connections.find(c); it != self->connections.end()) {
        last = *it;
        self->connections.erase(it);
      }
    });
    if (options.on_connection) options.on_connection(conn);
  }
};

VopServer::VopServer(VopServerOptions options, GatewayFactory factory) {
  auto& runtime = runtime_of(options.connection);
  state_ = std::make_shared<State>(std::move(options), std::move(factory), runtime);
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(state_->options.host, ec);
  if (ec) throw VopError(to_std_error(ec), "listen address " + state_->options.host);
  const tcp::endpoint endpoint(address, state_->options.port);
  auto& acceptor = state_->acceptor;
  if (acceptor.open(endpoint.protocol(), ec); ec) throw VopError(to_std_error(ec), "socket");
  acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (acceptor.bind(endpoint, ec); ec) {
    throw VopError(to_std_error(ec), "bind " + state_->options.host + ":" + std::to_string(state_->options.port));
  }
  if (acceptor.listen(boost::asio::socket_base::max_listen_connections, ec); ec) {
    throw VopError(to_std_error(ec), "listen");
  }
  state_->endpoint = acceptor.local_endpoint();
  boost::asio::post(state_->strand, [state = state_] { state->accept(); });
}

VopServer::~VopServer() {
  stop();
  // The accept handler holds the state, so nothing dangles if this gives up (e.g. when the
  // runtime was stopped first and the handler can no longer run).
  state_->accept_loop_done.get_future().wait_for(std::chrono::seconds(5));
}

tcp::endpoint VopServer::local_endpoint() const { return state_->endpoint; }

void VopServer::stop(bool force) {
  std::vector<std::shared_ptr<Connection>> open;
  std::vector<std::shared_ptr<LineExchange>> pending;
  {
    std::scoped_lock lock(state_->mutex);
    if (state_->stopping) return;
    state_->stopping = true;
    state_->force = force;
    open.assign(state_->connections.begin(), state_->connections.end());
    for (auto& w : state_->negotiating) {
      if (auto e = w.lock()) pending.push_back(std::move(e));
    }
  }
  boost::asio::post(state_->strand, [state = state_] {
    boost::system::error_code ignored;
    state->acceptor.close(ignored);
  });
  for (auto& e : pending) e->cancel();
  for (auto& c : open) c->shutdown(force);
}

std::vector<std::shared_ptr<Connection>> VopServer::connections() const {
  std::scoped_lock lock(state_->mutex);
  return {state_->connections.begin(), state_->connections.end()};
}

}  // namespace io
}  // namespace versile
