// Binds a PeerSession to a VOL link: the published stream-peer object the streamer calls back
// (peer_set_start_pos, peer_read_push, peer_write_lim, peer_closed, peer_fail, peer_error; each
// answered only after the core processed it in sequence order), and the transport that sends
// the peer's calls to the streamer and reports link loss (§9.10 SPEC).
#pragma once

#include <memory>
#include <mutex>

#include "link/link.hpp"
#include "link/peer_object.hpp"
#include "object/external.hpp"
#include "vse/stream/peer_session.hpp"

namespace versile::stream {

class StreamPeerObject final : public External {
 public:
  explicit StreamPeerObject(std::shared_ptr<PeerSession> session);

 private:
  std::shared_ptr<PeerSession> session_;
};

class LinkPeerTransport final : public PeerTransport {
 public:
  explicit LinkPeerTransport(std::shared_ptr<link::PeerObject> streamer);
  ~LinkPeerTransport() override;

  // Reports the end of the streamer's link to `session` until release().
  void watch(const std::shared_ptr<PeerSession>& session);

  void send_call(Tuple args, std::function<void(link::CallOutcome)> done) override;
  void release() override;

 private:
  std::mutex mutex_;
  std::shared_ptr<link::PeerObject> streamer_;
  std::weak_ptr<link::Link> link_;
  std::optional<link::Link::ListenerId> listener_;
};

}  // namespace versile::stream
