// Thread-safe facade over one LinkCore, shared_ptr-managed. Two sides:
//  - the driver side (io layer / memory driver), always on the link strand: start(),
//    on_received(), on_eof(), on_transport_error(), on_timer(), output_chunks(),
//    consume_output();
//  - the application side (object layer, streams), from any thread: peer_gateway(), call(),
//    shutdown(), wait_closed(), status(), close_error(), close listeners.
// Application requests are posted to the strand; the core is only ever touched there.
// Incoming calls run through LinkConfig::executor (default: inline on the strand).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <system_error>
#include <vector>

#include "link/back_channel.hpp"
#include "link/call_types.hpp"
#include "link/link_config.hpp"
#include "link/link_core.hpp"
#include "link/link_driver.hpp"
#include "link/link_error.hpp"
#include "link/peer_object.hpp"

namespace versile::link {

class Link final : public LinkBackChannel, public std::enable_shared_from_this<Link> {
  struct Passkey {};

 public:
  using CloseListener = std::function<void(std::error_code reason)>;
  using ListenerId = std::uint64_t;

  static std::shared_ptr<Link> create(LinkConfig config = {});
  Link(Passkey, LinkConfig config);
  ~Link() override;

  // ---- driver side ----
  // Attach the transport before start(). The Link keeps the driver until the link closed.
  void attach_driver(std::shared_ptr<LinkDriver> driver);
  // Strand only:
  void start();
  void on_received(std::span<const std::uint8_t> bytes);
  // Zero-copy receive, see LinkCore::direct_input() / receive_direct().
  codec::Decoder::DirectInput direct_input(std::size_t min_size);
  void on_received_direct(const std::uint8_t* window_start, std::size_t n);
  void on_eof();
  void on_transport_error(std::error_code error);
  void on_timer();
  // Strand only: see LinkCore::output_chunks() / consume_output().
  std::vector<codec::OutputBuffer::Chunk> output_chunks();
  void consume_output(std::size_t n);
  bool has_output() const;

  // ---- application side (any thread) ----
  // Waits until our finish() returned the peer gateway (§4.6). Errors: timeout,
  // gateway_unavailable (hold_peer_gateway=false and already released), or the close reason.
  std::shared_ptr<PeerObject> peer_gateway(std::chrono::milliseconds timeout,
                                           std::error_code& error);
  // Throwing variant (LinkError).
  std::shared_ptr<PeerObject> peer_gateway(std::chrono::milliseconds timeout);

  // Calls `target` (a PeerObject of this link) with args ["name", ...] or [null, "meta", ...].
  // `done` runs exactly once, on the link strand, with no Link lock held; it must not block
  // (complete a promise, post work). If the link is already closed (or has no driver) it
  // runs synchronously on the calling thread with the close reason (link_closed if none).
  // no_return: done gets a null result once the message is queued.
  void call(std::shared_ptr<PeerObject> target, Tuple args, CallMode mode,
            std::function<void(CallOutcome)> done);

  // Graceful (§9.2) or forced (§9.3) shutdown. Idempotent; returns at once.
  void shutdown(bool force = false);
  // True if closed within `timeout`.
  bool wait_closed(std::chrono::milliseconds timeout) const;
  LinkStatus status() const;
  // {} while open and after a local graceful shutdown; otherwise why the link ended.
  std::error_code close_error() const;
  std::optional<PeerHello> peer_hello() const;  // once the peer hello was accepted
  LinkStats stats() const;                      // snapshot, refreshed on the strand

  // `listener(reason)` runs once when the link closes (on the strand, no lock held); if the
  // link is already closed it runs synchronously here. reason as in close_error().
  ListenerId add_close_listener(CloseListener listener);
  void remove_close_listener(ListenerId id);

  const LinkConfig& config() const noexcept { return config_; }

  // ---- LinkBackChannel ----
  void peer_object_released(std::uint64_t id, std::uint64_t generation) noexcept override;
  void incoming_call_completed(std::uint64_t call_id, CallMode mode,
                               CallOutcome outcome) noexcept override;

 private:
  friend class testing::Hooks;
  class CoreEvents;
  // Runs fn(core) on the strand if a driver is attached; false if it could not be posted.
  bool post_to_core(std::function<void(LinkCore&)> fn);
  void sync();  // strand, after every core step: publish the status/stats snapshot
  void handle_closed(std::error_code reason);

  const LinkConfig config_;
  std::unique_ptr<CoreEvents> events_;
  std::unique_ptr<LinkCore> core_;

  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::shared_ptr<LinkDriver> driver_;
  LinkStatus status_ = LinkStatus::initial;
  std::error_code close_error_;
  std::optional<PeerHello> peer_hello_;
  LinkStats stats_;
  std::shared_ptr<PeerObject> held_gateway_;  // hold_peer_gateway, or until first fetched
  std::weak_ptr<PeerObject> weak_gateway_;
  bool gateway_received_ = false;
  int gateway_waiters_ = 0;
  std::map<ListenerId, CloseListener> close_listeners_;
  ListenerId next_listener_id_ = 1;
};

}  // namespace versile::link
