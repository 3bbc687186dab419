// The sans-I/O VOL state machine (link.md §3.1, §4–§7, §9, §10). Single-threaded: every member
// function must be called from one thread at a time (the link strand). It never blocks and owns
// no thread, socket or timer. Input: start(), receive(), receive_eof(), on_timer(). Output: bytes
// queued as scatter-gather chunks (output_chunks()/consume_output()) and LinkCoreEvents callbacks.
//
// Protocol summary of what the core does by itself:
//  - sends "VEC_DRAFT-0.8-utf8\n" at start(), then the hello and, after the peer's valid hello,
//    its handshake object (local id 1); answers finish() on it with the gateway once the peer's
//    handshake object arrived (and our keep-alive request, if any, was granted); calls the
//    peer's keep_alive() (optional) and finish(); drops the peer handshake object afterwards;
//  - message ids 1, 2, 3 ... for everything it sends; accepts (and counts) gaps from the peer;
//  - object tables with send/receive counts, NOTIFY_DEREF when a PeerObject is released,
//    CONFIRM_DEREF when counts match, graceful shutdown when both tables become empty;
//  - keep-alive sending (when granted) and expiry/spam detection (when requested);
//  - any structural error: forced close with a typed error; every pending call fails with it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <system_error>
#include <vector>

#include "codec/decoder.hpp"
#include "codec/output_buffer.hpp"
#include "codec/reference_resolver.hpp"
#include "entity/entity.hpp"
#include "link/back_channel.hpp"
#include "link/call_target.hpp"
#include "link/call_types.hpp"
#include "link/link_config.hpp"
#include "link/link_error.hpp"
#include "link/peer_object.hpp"

namespace versile::link {

namespace testing {
class Hooks;
}

enum class LinkStatus : std::uint8_t {
  initial,      // constructed, start() not called
  handshaking,  // VEC/hello/handshake objects/finish in progress
  running,      // handshake complete in both directions
  closing,      // graceful shutdown: input stopped, finishing accepted calls, flushing output
  closed,       // transport closed (or must be); nothing more happens
};
const char* to_string(LinkStatus s) noexcept;

// The VOL message codes (§5.2).
enum class MessageCode : std::uint8_t {
  method_call = 1,
  method_call_void_result = 2,
  method_call_no_return = 3,
  call_result = 4,
  call_exception = 5,
  call_error = 6,
  notify_deref = 7,
  confirm_deref = 8,
  keep_alive = 9,
};

struct LinkStats {
  std::uint64_t messages_sent = 0;
  std::uint64_t messages_received = 0;
  std::uint64_t msg_id_gaps = 0;         // received msg_ids that were not previous+1
  std::uint64_t ignored_replies = 0;     // replies for unknown/finished call ids (§5.3)
  std::uint64_t ignored_derefs = 0;      // NOTIFY with unknown id / count mismatch, CONFIRM unknown
  std::uint64_t keep_alives_sent = 0;
  std::uint64_t keep_alives_received = 0;
  std::size_t local_objects = 0;         // our objects the peer may hold (incl. handshake object)
  std::size_t peer_objects = 0;          // peer objects we hold entries for
  std::size_t pending_outgoing_calls = 0;
  std::size_t pending_incoming_calls = 0;  // dispatched, Responder not yet completed
};

// Callbacks from LinkCore, always invoked on the strand from inside a LinkCore call. They may
// call LinkCore::call()/shutdown() re-entrantly, but never receive()/on_timer().
class LinkCoreEvents {
 public:
  using time_point = std::chrono::steady_clock::time_point;
  virtual ~LinkCoreEvents() = default;
  // Bytes were appended to the output queue.
  virtual void output_ready() {}
  // Our finish() returned the peer's gateway (§4.6). Application calls on it may start now,
  // even before handshake_complete() (§13.21). The core keeps only a weak reference: whoever
  // wants the gateway kept must hold this shared_ptr.
  virtual void peer_gateway_received(const std::shared_ptr<PeerObject>& gateway) { (void)gateway; }
  // Both finish() calls are done: status is running, keep-alive timers started.
  virtual void handshake_complete() {}
  // A peer call on one of our objects that implements CallTarget. The receiver decides where
  // target->handle_call(std::move(request)) runs (the Link facade uses LinkConfig::executor).
  virtual void incoming_call(std::shared_ptr<CallTarget> target, CallRequest request) = 0;
  // Call on_timer() at or after `when` (replaces any earlier request); time_point::max(): none.
  virtual void timer_wanted(time_point when) { (void)when; }
  // Close the transport. abort=false: all output has been consumed, send FIN (graceful);
  // abort=true: drop unsent output and close/reset now.
  virtual void close_transport(bool abort) = 0;
  // Status became closed. reason: {} after a local graceful shutdown(), otherwise the first
  // error (peer_eof, link_aborted, a protocol error ...). Called exactly once.
  virtual void link_closed(std::error_code reason) { (void)reason; }
};

// Completion of an outgoing call; runs exactly once on the strand (or synchronously inside
// LinkCore::call() when the call cannot be sent).
using CallCompletion = std::function<void(CallOutcome)>;

class LinkCore final : public codec::ReferenceResolver {
 public:
  using Clock = std::chrono::steady_clock;
  using time_point = Clock::time_point;

  LinkCore(LinkConfig config, LinkCoreEvents& events);
  ~LinkCore() override;
  LinkCore(const LinkCore&) = delete;
  LinkCore& operator=(const LinkCore&) = delete;

  // The back channel given to PeerObjects and Responders (a Link, or a test harness), and the
  // Link facade reported in CallRequest::link. Call before start().
  void attach(std::weak_ptr<LinkBackChannel> channel, std::weak_ptr<Link> link = {});

  // ---- input (strand) ----
  // Queues our VEC line and hello (the hello is held until the peer's VEC line arrived, §3.1).
  void start();
  // Peer bytes, any chunking. Ignored once closing/closed (§9.2: input stops immediately).
  void receive(std::span<const std::uint8_t> bytes);
  // Zero-copy receive of a large byte payload (codec::Decoder::direct_input): while a message
  // is inside a Bytes payload with at least `min_size` bytes missing, where the transport may
  // read the next bytes directly; empty otherwise. After such a read, receive_direct() with the
  // window's start and the byte count (instead of receive()); `owner` keeps the window alive.
  codec::Decoder::DirectInput direct_input(std::size_t min_size);
  void receive_direct(const std::uint8_t* window_start, std::size_t n);
  // The peer ended its byte stream: graceful close (§9.4), or an error if mid-entity /
  // during the handshake.
  void receive_eof();
  // The transport failed: forced close with `error` (Errc::transport_error if empty).
  void receive_transport_error(std::error_code error);
  // Timers (keep-alive send/expiry, handshake timeout) due at `now`.
  void on_timer(time_point now);

  // ---- output (strand) ----
  // All pending output as chunks. The bytes stay valid and unchanged until consumed by
  // consume_output() (new output is queued behind them, never into them).
  std::vector<codec::OutputBuffer::Chunk> output_chunks();
  // The transport wrote the first `n` bytes of output_chunks().
  void consume_output(std::size_t n);
  std::size_t output_size() const noexcept;
  bool has_output() const noexcept { return output_size() != 0; }

  // ---- application (strand) ----
  // Sends a call to `target` (a PeerObject of this link). Returns the call id (its msg_id), or
  // 0 if nothing was sent; `done` then already ran with the reason (link_closed,
  // wrong_link, codec::Errc::unencodable ...). mode no_return: done runs right after sending
  // with a null result.
  std::uint64_t call(const std::shared_ptr<PeerObject>& target, Tuple args, CallMode mode,
                     CallCompletion done);
  // force=false: §9.2 (pending outgoing calls fail with link_closed, accepted incoming calls
  // still get their replies, then FIN); force=true or handshake unfinished: §9.3.
  void shutdown(bool force);

  // ---- back-channel sinks (strand) ----
  void peer_object_released(std::uint64_t id, std::uint64_t generation);
  void complete_incoming_call(std::uint64_t call_id, CallMode mode, CallOutcome outcome);

  // ---- observers (strand) ----
  LinkStatus status() const noexcept;
  std::error_code close_error() const noexcept;
  // The peer's hello (valid once hello_accepted()).
  const PeerHello& peer_hello() const noexcept;
  bool hello_accepted() const noexcept;
  // Granted keep-alive periods: what we must send at, what the peer promised to send at.
  std::optional<std::chrono::milliseconds> keep_alive_send_period() const noexcept;
  std::optional<std::chrono::milliseconds> keep_alive_receive_period() const noexcept;
  std::shared_ptr<PeerObject> peer_gateway() const;
  LinkStats stats() const noexcept;
  const LinkConfig& config() const noexcept;

  // ---- codec::ReferenceResolver (used by the core's own encoder/decoder) ----
  std::error_code encode_ref(const ObjectRef& ref, codec::WireRef& out) override;
  std::error_code decode_ref(const codec::WireRef& ref, ObjectRef& out) override;

 private:
  friend class testing::Hooks;
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace versile::link
