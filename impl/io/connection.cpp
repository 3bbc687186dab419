#include "io/connection.hpp"

#include <boost/asio/local/connect_pair.hpp>
#include <boost/asio/local/stream_protocol.hpp>

namespace versile {

namespace io {
Runtime& runtime_of(const ConnectionOptions& options) {
  return options.runtime ? *options.runtime : Runtime::default_instance();
}
}  // namespace io

std::shared_ptr<Connection> Connection::start(std::shared_ptr<io::ByteTransport> transport,
                                              std::shared_ptr<Object> gateway,
                                              const ConnectionOptions& options,
                                              io::SocketDriverOptions driver_options) {
  auto& runtime = io::runtime_of(options);
  link::LinkConfig config = options.link;
  config.gateway = std::move(gateway);
  if (!config.executor) config.executor = runtime.call_executor();
  if (options.wrap) transport = options.wrap(std::move(transport));
  driver_options.read_buffer_size = options.read_buffer_size;
  driver_options.linger = options.linger;
  auto link = link::Link::create(std::move(config));
  auto driver = io::SocketDriver::start(std::move(transport), link, std::move(driver_options));
  runtime.track(driver);
  return std::make_shared<Connection>(Passkey{}, std::move(link), std::move(driver));
}

Connection::Connection(Passkey, std::shared_ptr<link::Link> link,
                       std::shared_ptr<io::SocketDriver> driver)
    : link_(std::move(link)), driver_(std::move(driver)) {}

Connection::~Connection() { link_->shutdown(false); }

Proxy Connection::peer_gw(std::chrono::milliseconds timeout) const {
  return Proxy(link_->peer_gateway(timeout));
}

void Connection::shutdown(bool force) { link_->shutdown(force); }

bool Connection::wait_closed(std::chrono::milliseconds timeout) const {
  return link_->wait_closed(timeout);
}

ConnectionPair link_pair(std::shared_ptr<Object> gw1, std::shared_ptr<Object> gw2,
                         const ConnectionOptions& options) {
  return link_pair(std::move(gw1), std::move(gw2), options, options);
}

ConnectionPair link_pair(std::shared_ptr<Object> gw1, std::shared_ptr<Object> gw2,
                         const ConnectionOptions& options1, const ConnectionOptions& options2) {
  using Socket = boost::asio::local::stream_protocol::socket;
  auto& runtime1 = io::runtime_of(options1);
  auto& runtime2 = io::runtime_of(options2);
  Socket s1(boost::asio::make_strand(runtime1.io_context()));
  Socket s2(boost::asio::make_strand(runtime2.io_context()));
  boost::asio::local::connect_pair(s1, s2);
  auto c1 = Connection::start(std::make_shared<io::SocketTransport<Socket>>(std::move(s1)),
                              std::move(gw1), options1);
  auto c2 = Connection::start(std::make_shared<io::SocketTransport<Socket>>(std::move(s2)),
                              std::move(gw2), options2);
  return {std::move(c1), std::move(c2)};
}

}  // namespace versile
