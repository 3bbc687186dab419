// ByteStreamerProxy::connect / EntityStreamerProxy::connect (stream.md §9.1): builds a stream
// peer bound to the streamer's link, issues peer_connect(peer, r_pkg + max_calls, r_pkg,
// r_size) and returns the Stream at once; the handshake completes in the background.
#include <memory>

#include "link/peer_object.hpp"
#include "vse/stream/link_peer.hpp"
#include "vse/stream/peer_core.hpp"
#include "vse/stream/peer_session.hpp"
#include "vse/stream/stream.hpp"
#include "vse/stream/streamer_proxy.hpp"

namespace versile::stream {

namespace {

Stream connect_peer(ElementKind kind, const ObjectRef& streamer, std::int64_t mode,
                    const ConnectOptions& options) {
  auto remote = streamer.as<link::PeerObject>();
  if (!remote) throw StreamError("Streamer is not an object of a connected peer");
  PeerConfig config = PeerConfig::defaults_for(kind);
  config.readahead = options.readahead;
  config.eos_policy = options.eos_policy;
  config.max_calls = options.max_calls;
  if (options.r_pkg) config.r_pkg = *options.r_pkg;
  if (options.r_size) config.r_size = *options.r_size;
  if (options.w_pkg) config.w_pkg = *options.w_pkg;
  if (options.w_size) config.w_size = *options.w_size;
  config.required_mode = static_cast<Mode>(mode);
  if (config.r_pkg < 1 || config.r_size < 1 || config.max_calls < 1 || config.w_pkg < 1 ||
      config.w_size < 1) {
    throw StreamError("Connect options must be at least 1");
  }

  auto transport = std::make_shared<LinkPeerTransport>(std::move(remote));
  auto session = PeerSession::create(std::move(config), transport);
  auto peer_object = std::make_shared<StreamPeerObject>(session);
  session->set_peer_reference(Entity(std::static_pointer_cast<Object>(peer_object)));
  Stream stream(session);
  transport->watch(session);
  session->connect();
  return stream;
}

}  // namespace

Stream ByteStreamerProxy::connect(const ConnectOptions& options) const {
  return connect_peer(ElementKind::bytes, streamer_, mode_, options);
}

Stream EntityStreamerProxy::connect(const ConnectOptions& options) const {
  return connect_peer(ElementKind::entities, streamer_, mode_, options);
}

}  // namespace versile::stream
