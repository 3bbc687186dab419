// A handle to an object owned by the peer of one link (received as fc, link.md §7.2). The link's
// peer table only holds a weak_ptr to it: when the last shared_ptr goes away (on any thread),
// the link sends NOTIFY_DEREF [id, recv_count] from its strand (§7.3). Encoding a PeerObject on
// its own link writes fd id; on any other link it is an ordinary local object of that link.
#pragma once

#include <cstdint>
#include <memory>

#include "entity/entity.hpp"
#include "link/back_channel.hpp"

namespace versile::link {

class Link;
class LinkCore;

class PeerObject : public Object {
 public:
  ~PeerObject() override;
  PeerObject(const PeerObject&) = delete;
  PeerObject& operator=(const PeerObject&) = delete;

  // The peer's id for the object (what fd carries back to it).
  std::uint64_t id() const noexcept { return id_; }
  // The owning link, or null if it is gone (or the core runs without a Link facade).
  std::shared_ptr<Link> link() const;
  // True if this handle was created by the link behind `channel`.
  bool belongs_to(const LinkBackChannel* channel) const noexcept { return channel_id_ == channel; }

 private:
  friend class LinkCore;
  PeerObject(std::weak_ptr<LinkBackChannel> channel, std::uint64_t id, std::uint64_t generation);

  std::weak_ptr<LinkBackChannel> channel_;
  const LinkBackChannel* channel_id_;  // identity only, never dereferenced
  std::uint64_t id_;
  std::uint64_t generation_;  // which handle of this id (a re-sent id gets a new handle)
};

}  // namespace versile::link
