#include "link/peer_object.hpp"

#include "link/link.hpp"

namespace versile::link {

PeerObject::PeerObject(std::weak_ptr<LinkBackChannel> channel, std::uint64_t id,
                       std::uint64_t generation)
    : channel_(std::move(channel)), channel_id_(channel_.lock().get()), id_(id),
      generation_(generation) {}

PeerObject::~PeerObject() {
  // Last handle gone (any thread): the link sends NOTIFY_DEREF from its strand (§7.3).
  if (auto channel = channel_.lock()) channel->peer_object_released(id_, generation_);
}

std::shared_ptr<Link> PeerObject::link() const {
  return std::dynamic_pointer_cast<Link>(channel_.lock());
}

}  // namespace versile::link
