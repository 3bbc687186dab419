// Streamer objects: the link adapter around StreamerCore (stream.md §1, §5). A streamer is a
// versile::External publishing peer_connect, peer_read_start, peer_read_lim, peer_write_start,
// peer_write_push, peer_trunc_before, peer_trunc_after, peer_close and peer_fail; every call is
// handed to the core (which checks the arguments exactly, §5) and answered when the core says
// so (results of sequenced calls acknowledge execution, §4.4). Outgoing peer_* calls go to the
// stream peer's proxy as normal calls; their outcomes feed back into the core.
//
//   versile::Entity reset() { return versile::stream::EntityStreamer::fixed(names).proxy(); }
//
// Streamers must be owned by a shared_ptr (they are link objects): use the static factories,
// which return a StreamerRef (a shared_ptr with a .proxy() shortcut).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <ranges>
#include <string>
#include <vector>

#include "entity/entity.hpp"
#include "object/external.hpp"
#include "object/proxy.hpp"
#include "vse/stream/iterator_data.hpp"
#include "vse/stream/streamer_core.hpp"
#include "vse/stream/streamer_proxy.hpp"

namespace versile::stream {

class Streamer : public External {
 public:
  ~Streamer() override;

  // The streamer proxy entity {"tagged": this, "tags": [21, 2, 1|2, mode]} (§2.1): what a
  // published method returns to hand the streamer out.
  Entity proxy();
  Mode mode() const noexcept { return mode_; }
  ElementKind kind() const noexcept { return kind_; }
  // Write-ahead limit and step (§10.1); applies at once to an active write context.
  void set_write_buffering(std::int64_t num, std::optional<std::int64_t> step = std::nullopt);

  bool connected() const;
  bool failed() const;
  bool done() const;

 protected:
  // Throws StreamError for a mode the data does not allow (§3.1) or a data kind that does not
  // match `kind`.
  Streamer(ElementKind kind, std::unique_ptr<StreamerData> data, const StreamerConfig& config);

 private:
  void on_call(std::string_view method, DeferredCall& call);
  void on_outcome(std::int64_t msg_id, const CallResult& result);
  void on_endpoints_changed();
  // The peer's link closed (stream.md §9.10 SPEC): fail locally even with nothing in flight.
  void watch_link(const ObjectRef& peer);
  void on_link_closed();
  // Runs the core's actions (replies, outgoing calls). Called with mutex_ held.
  void process();
  void send_call(const StreamerCall& call);

  ElementKind kind_;
  Mode mode_;
  mutable std::recursive_mutex mutex_;  // recursive: a failed send reports back on this thread
  StreamerCore core_;
  std::uint64_t next_token_ = 1;
  std::map<std::uint64_t, link::Responder> responders_;
  Proxy peer_;
  std::weak_ptr<link::Link> link_;
  std::optional<std::uint64_t> link_listener_;
};

// A shared_ptr to a streamer with the .proxy() shortcut of the recipe API.
template <class S>
class StreamerRef {
 public:
  explicit StreamerRef(std::shared_ptr<S> streamer) : streamer_(std::move(streamer)) {}
  Entity proxy() const { return streamer_->proxy(); }
  S* operator->() const noexcept { return streamer_.get(); }
  S& operator*() const noexcept { return *streamer_; }
  const std::shared_ptr<S>& ptr() const noexcept { return streamer_; }
  operator std::shared_ptr<S>() const noexcept { return streamer_; }  // NOLINT: a handle

 private:
  std::shared_ptr<S> streamer_;
};

class ByteStreamer final : public Streamer {
 public:
  // Prefer create(): a streamer must be owned by a shared_ptr.
  ByteStreamer(std::unique_ptr<StreamerData> data, const StreamerConfig& config)
      : Streamer(ElementKind::bytes, std::move(data), config) {}

  static StreamerRef<ByteStreamer> create(std::unique_ptr<StreamerData> data,
                                          const StreamerConfig& config);
  // Read-only streamer over `data` (FixedBytesData): mode 0x1045 plus the requested seek bits.
  static StreamerRef<ByteStreamer> fixed(Bytes data, bool seek_rew = false, bool seek_fwd = false,
                                         StreamerConfig config = {});
};

class EntityStreamer final : public Streamer {
 public:
  EntityStreamer(std::unique_ptr<StreamerData> data, const StreamerConfig& config)
      : Streamer(ElementKind::entities, std::move(data), config) {}

  static StreamerRef<EntityStreamer> create(std::unique_ptr<StreamerData> data,
                                            const StreamerConfig& config);
  static StreamerRef<EntityStreamer> fixed(Tuple items, bool seek_rew = false,
                                           bool seek_fwd = false, StreamerConfig config = {});
  // Any range of values an Entity can be built from (strings, integers, entities, …).
  template <std::ranges::input_range R>
    requires std::constructible_from<Entity, std::ranges::range_reference_t<R>>
  static StreamerRef<EntityStreamer> fixed(const R& items, bool seek_rew = false,
                                           bool seek_fwd = false, StreamerConfig config = {}) {
    std::vector<Entity> v;
    for (auto&& item : items) v.emplace_back(item);
    return fixed(Tuple(std::move(v)), seek_rew, seek_fwd, std::move(config));
  }
  // Sequential streamer over a generator (IteratorEntitiesData): mode 0x1045, no seek.
  static StreamerRef<EntityStreamer> iterator(IteratorEntitiesData::Generator next,
                                              std::int64_t buf_len = defaults::entity_size,
                                              StreamerConfig config = {});
};

}  // namespace versile::stream

namespace versile {

// Returning a StreamerRef from a published method sends the tagged proxy form.
template <class S>
struct EntityConverter<stream::StreamerRef<S>> {
  static Entity to_entity(const stream::StreamerRef<S>& s) { return s.proxy(); }
};

}  // namespace versile
