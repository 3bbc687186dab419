// The stream peer as a sans-I/O state machine (stream.md §6–§9). It consumes incoming peer_*
// calls, the outcomes of its own outgoing calls and local API requests, and produces actions:
// outgoing calls (already windowed and in id order), replies to incoming calls and observer
// events. It never blocks, never owns a thread and is not thread-safe: the owner serialises
// access (see PeerSession) and turns "must wait" answers into blocking or asynchronous waits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "entity/entity.hpp"
#include "link/call_types.hpp"
#include "vse/stream/constants.hpp"
#include "vse/stream/sequence_caller.hpp"
#include "vse/stream/sequence_queue.hpp"
#include "vse/stream/stream_buffer.hpp"
#include "vse/stream/stream_errors.hpp"

namespace versile::stream {

// Local configuration of a peer (stream.md §9.1 connect arguments).
struct PeerConfig {
  ElementKind kind = ElementKind::bytes;
  std::int64_t r_pkg = defaults::byte_pkg;
  std::int64_t r_size = defaults::byte_size;
  std::int64_t max_calls = defaults::max_calls;
  std::int64_t w_pkg = defaults::byte_pkg;
  std::int64_t w_size = defaults::byte_size;
  // The mode the streamer must report (the proxy's mode); nullopt disables the check.
  std::optional<Mode> required_mode;
  bool readahead = false;
  bool eos_policy = true;

  static PeerConfig defaults_for(ElementKind kind);
};

// Observer notifications (stream.md §9.5).
enum class PeerEvent : std::uint8_t { can_recv, can_send, closed, ctx_error, failed };

// Identifies an incoming call whose reply the owner will send.
using IncomingToken = std::uint64_t;

// One action produced by the core, to be carried out in order. (A flat struct rather than a
// std::variant: g++ 12 reports false maybe-uninitialized warnings for vectors of variants.)
struct PeerAction {
  enum class Kind : std::uint8_t {
    call,              // send an outgoing call (already windowed, in id order)
    reply,             // answer an incoming call
    notify,            // observer notification
    release_streamer,  // cleanup done and nothing left to send: drop the streamer reference
  };
  Kind kind = Kind::call;
  // call: the msg_id (first argument; none for peer_connect), the method and the arguments
  // after the method name. For peer_connect the owner prepends the peer reference.
  std::optional<std::int64_t> seq;
  std::string method;
  std::vector<Entity> args;
  // reply: the incoming call and its outcome.
  IncomingToken token = 0;
  link::CallOutcome::Kind reply_kind = link::CallOutcome::Kind::result;
  Entity value;           // result or exception value
  std::error_code error;  // Kind::error (only logged: CALL_ERROR carries no reason)
  // notify
  PeerEvent event = PeerEvent::can_recv;

  link::CallOutcome outcome() const {
    switch (reply_kind) {
      case link::CallOutcome::Kind::result: return link::CallOutcome::result(value);
      case link::CallOutcome::Kind::exception: return link::CallOutcome::exception(value);
      case link::CallOutcome::Kind::error: break;
    }
    return link::CallOutcome::failure(error);
  }
};

// Status flags (stream.md §9.6).
struct StatusFlags {
  bool connected = false;
  bool active = false;
  bool done = false;
  bool failed = false;
  bool closed = false;
};

class PeerCore {
 public:
  enum class ContextMode : std::uint8_t { none, reading, writing };

  explicit PeerCore(PeerConfig config);

  // --- connection -------------------------------------------------------------------------
  // Issue peer_connect (§9.1). Throws StreamError when already connected or done/failed.
  void connect();
  void connect_result(link::CallOutcome outcome);

  // --- incoming calls (§6) -----------------------------------------------------------------
  // `args` = ["method", arg...]. Exactly one IncomingReply for `token` is produced, now or later.
  void incoming_call(IncomingToken token, const Tuple& args);

  // --- outcomes of our sequenced calls, and link loss ---------------------------------------
  void call_result(std::int64_t seq, const link::CallOutcome& outcome);
  // The link went away (§9.10 SPEC): fail locally without sending anything.
  void link_lost();

  // --- local API building blocks (§9.3–§9.7). Each "begin" runs the non-waiting part and may
  // throw the API exceptions; each "poll" either completes (value), throws, or returns nullopt
  // meaning "wait for the next state change". A ticket remembers the context it started in.
  struct Ticket {
    std::optional<std::int64_t> ctx;
  };
  Ticket begin_recv(std::size_t max_num);
  std::optional<Entity> poll_recv(const Ticket& t, std::size_t max_num);
  Ticket begin_send(const Entity& data);
  // Returns the number of elements sent (0 for empty data).
  std::optional<std::size_t> poll_send(const Ticket& t, const Entity& data);
  void check_pos();
  std::optional<std::int64_t> poll_pos();
  // Seeks. `ref` must not be CURRENT (the blocking layer converts it with pos() first).
  void rseek(std::int64_t pos, PosRef ref);
  void wseek(std::int64_t pos, PosRef ref);
  void seek(std::int64_t pos, PosRef ref);
  // Truncation: begin checks, poll issues the call once the start position is known.
  Ticket begin_trunc(bool before);
  bool poll_trunc(const Ticket& t, bool before);
  void close();
  // Local failure (§9.8). `msg` is sent in peer_fail; nullopt sends null.
  void fail(std::optional<std::string> msg);
  void fail(StreamErrc reason) { fail(std::string(errc_message(reason))); }
  // The user dropped the last handle (§9.9).
  void handle_dropped();
  void set_readahead(std::int64_t num, std::optional<std::int64_t> step = std::nullopt);
  void enable_readahead();
  void disable_readahead();
  void set_eos_policy(bool eos) { config_.eos_policy = eos; }
  // For iterator(): throws StreamError("Stream not readable") unless the mode is READABLE.
  void check_readable() const;

  // --- state --------------------------------------------------------------------------------
  StatusFlags status() const noexcept;
  Mode mode() const noexcept { return mode_; }
  ElementKind kind() const noexcept { return config_.kind; }
  const PeerConfig& config() const noexcept { return config_; }
  ContextMode context_mode() const noexcept { return ctx_mode_; }
  std::optional<std::int64_t> context() const noexcept { return ctx_; }
  std::optional<std::int64_t> start_pos() const noexcept { return spos_; }
  std::int64_t w_num() const noexcept { return w_num_; }
  std::int64_t w_size() const noexcept { return w_size_; }
  std::size_t buffered() const noexcept { return buffer_->max_read(); }
  std::int64_t read_limit() const noexcept { return r_rel_lim_; }
  std::int64_t write_limit() const noexcept { return w_rel_lim_; }
  std::int64_t write_pending() const noexcept { return w_pending_; }
  std::optional<std::string> failure_message() const { return fail_msg_; }
  const StreamBuffer& buffer() const noexcept { return *buffer_; }
  // Incremented on every state change that may let a waiter proceed.
  std::uint64_t generation() const noexcept { return generation_; }

  std::vector<PeerAction> take_actions();
  bool has_actions() const noexcept { return !actions_.empty(); }

 private:
  // Outgoing sequencing (§4.2, §4.3): ids at issue time, window = the streamer's call_lim.
  std::int64_t issue(std::string method, std::vector<Entity> args);
  void dispatch_held();
  // Incoming sequencing (§4.4, lenient bound).
  // Returns false when the call was rejected (answered with CALL_ERROR, handler dropped).
  bool enqueue(IncomingToken token, std::int64_t msg_id, std::function<void()> handler);
  void reply_null(IncomingToken token);
  void reply_exception(IncomingToken token, std::optional<std::string> text = std::nullopt);
  void reply_error(IncomingToken token, StreamErrc why);
  // ARGERR: fail("Invalid <method> arguments") and raise to the caller.
  void arg_error(IncomingToken token, StreamErrc reason,
                 std::optional<std::string> text = std::nullopt);

  void on_set_start_pos(IncomingToken token, const Tuple& args);
  void on_read_push(IncomingToken token, const Tuple& args);
  void on_write_lim(IncomingToken token, const Tuple& args);
  void on_closed(IncomingToken token, const Tuple& args);
  void on_fail(IncomingToken token, const Tuple& args);
  void on_error(IncomingToken token, const Tuple& args);

  void start_context(ContextMode mode, std::optional<std::int64_t> pos, std::optional<PosRef> ref);
  void clear_context();
  void update_rlim();
  void local_seek_check(std::int64_t pos, PosRef ref) const;
  void check_usable() const;                // failed / done / closed
  void check_context_error() const;         // throws the error class of a context error
  void set_context_error(std::int64_t code);
  void cleanup();
  void notify(PeerEvent e);
  void reply(IncomingToken token, link::CallOutcome::Kind kind, Entity value, std::error_code error);
  void changed() { ++generation_; }
  void maybe_release_streamer();

  PeerConfig config_;
  std::unique_ptr<StreamBuffer> buffer_;

  // Status.
  bool connect_issued_ = false;
  bool connect_answered_ = false;  // the peer_connect call completed (result or failure)
  bool connected_ = false;
  bool done_ = false;
  bool closed_ = false;
  bool failed_ = false;
  bool cleaned_up_ = false;
  bool streamer_released_ = false;
  bool accepted_by_streamer_ = false;  // connect result was well-formed: peer_fail may be sent
  bool fail_sent_ = false;
  bool silent_failure_ = false;  // link lost: nothing may be sent
  std::optional<std::string> fail_msg_;
  Mode mode_ = 0;
  std::int64_t w_num_ = 0;
  std::int64_t w_size_ = 0;

  // Current context (§7.1).
  ContextMode ctx_mode_ = ContextMode::none;
  std::optional<std::int64_t> ctx_;
  std::optional<std::int64_t> spos_;
  std::int64_t rel_pos_ = 0;
  std::int64_t r_rel_lim_ = 0;
  std::int64_t r_recv_ = 0;
  bool eos_ = false;
  std::int64_t w_rel_lim_ = 0;
  std::int64_t w_sent_ = 0;
  std::optional<std::int64_t> ctx_err_;
  // Not per context.
  std::int64_t r_pending_ = 0;  // incoming pushes queued, not yet processed
  std::int64_t w_pending_ = 0;  // our write pushes awaiting results
  std::optional<std::pair<std::int64_t, PosRef>> delayed_seek_;
  bool r_ahead_ = false;
  std::int64_t ahead_lim_ = 0;
  std::int64_t ahead_step_ = 0;

  // Outgoing sequencing: the window is 0 until the handshake result.
  struct Pending {
    std::string method;
    std::vector<Entity> args;
  };
  SequenceCaller<Pending> caller_{0};
  std::map<std::int64_t, std::string> in_flight_;  // seq → method, for result handling

  // Incoming sequencing.
  struct Waiting {
    IncomingToken token;
    std::function<void()> handler;
  };
  SequenceQueue<Waiting> queue_;

  std::uint64_t generation_ = 0;
  std::vector<PeerAction> actions_;
};

}  // namespace versile::stream
