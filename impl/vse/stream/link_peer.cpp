#include "vse/stream/link_peer.hpp"

#include <string>
#include <utility>
#include <vector>

namespace versile::stream {

StreamPeerObject::StreamPeerObject(std::shared_ptr<PeerSession> session)
    : session_(std::move(session)) {
  for (const char* name : {"peer_set_start_pos", "peer_read_push", "peer_write_lim",
                           "peer_closed", "peer_fail", "peer_error"}) {
    std::weak_ptr<PeerSession> weak = session_;
    publish_deferred(
        name,
        [weak, method = std::string(name)](DeferredCall& call) {
          auto responder = std::make_shared<link::Responder>(std::move(call.responder));
          auto session = weak.lock();
          if (!session) {
            responder->result(Entity());
            return;
          }
          std::vector<Entity> items;
          items.reserve(call.args.size() + 1);
          items.emplace_back(method);
          items.insert(items.end(), call.args.begin(), call.args.end());
          session->incoming(Tuple(std::move(items)), [responder](link::CallOutcome outcome) {
            responder->complete(std::move(outcome));
          });
        },
        PublishOptions{.doc = std::nullopt, .show = false, .runs_inline = true});
  }
}

LinkPeerTransport::LinkPeerTransport(std::shared_ptr<link::PeerObject> streamer)
    : streamer_(std::move(streamer)) {
  if (streamer_) link_ = streamer_->link();
}

LinkPeerTransport::~LinkPeerTransport() {
  if (listener_) {
    if (auto link = link_.lock()) link->remove_close_listener(*listener_);
  }
}

void LinkPeerTransport::watch(const std::shared_ptr<PeerSession>& session) {
  auto link = link_.lock();
  if (!link) {
    session->link_lost();
    return;
  }
  std::weak_ptr<PeerSession> weak = session;
  const auto id = link->add_close_listener([weak](std::error_code) {
    if (auto s = weak.lock()) s->link_lost();
  });
  std::scoped_lock lock(mutex_);
  listener_ = id;
}

void LinkPeerTransport::send_call(Tuple args, std::function<void(link::CallOutcome)> done) {
  std::shared_ptr<link::PeerObject> streamer;
  {
    std::scoped_lock lock(mutex_);
    streamer = streamer_;
  }
  std::shared_ptr<link::Link> link = streamer ? streamer->link() : nullptr;
  if (!link) {
    done(link::CallOutcome::failure(link::Errc::link_closed));
    return;
  }
  link->call(std::move(streamer), std::move(args), link::CallMode::normal, std::move(done));
}

void LinkPeerTransport::release() {
  std::optional<link::Link::ListenerId> listener;
  std::shared_ptr<link::PeerObject> streamer;
  {
    std::scoped_lock lock(mutex_);
    listener = std::exchange(listener_, std::nullopt);
    streamer = std::move(streamer_);
  }
  if (listener) {
    if (auto link = link_.lock()) link->remove_close_listener(*listener);
  }
  // `streamer` is released here, outside the lock (may send NOTIFY_DEREF).
}

}  // namespace versile::stream
