// Sans-I/O protocol core of a streamer (stream.md §5, §7, §8.2, §8.3, §9.2, §13 SPEC fixes).
//
// The core takes the peer's incoming calls (method name + argument entities, each with a token
// chosen by the caller), the outcomes of its own outgoing calls and link loss, and emits an
// ordered list of actions: sequenced calls to send to the peer (msg_id allocated at issue
// time, already released by the outstanding-call window) and replies to incoming calls. The
// adapter (ByteStreamer / EntityStreamer) binds it to a link; tests drive it directly with a
// scripted fake peer. Not thread-safe: the owner serialises all calls.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <variant>
#include <vector>

#include "entity/entity.hpp"
#include "vse/stream/constants.hpp"
#include "vse/stream/sequence_caller.hpp"
#include "vse/stream/sequence_queue.hpp"
#include "vse/stream/stream_errors.hpp"
#include "vse/stream/streamer_data.hpp"
#include "vse/stream/write_buffer.hpp"

namespace versile::stream {

// Construction parameters of a streamer (§10.1). Unset values take the element kind's
// defaults (§3.4).
struct StreamerConfig {
  Mode mode = 0;
  bool write_buffer = false;  // a WRITABLE streamer needs one
  std::optional<std::int64_t> w_lim;   // write-ahead limit (byte 10^7, entity 10^4)
  std::optional<std::int64_t> w_step;  // default ⌈w_lim/2⌉
  std::optional<std::int64_t> w_pkg;   // max queued write pushes (10)
  std::optional<std::int64_t> w_size;  // max elements per write push (byte 10^6, entity 1000)
  std::int64_t max_calls = defaults::max_calls;
  // Local caps on the peer's read offer; unset = kind default. uncapped_reads = the
  // reference's None (no local cap; values are still clamped to sane maxima).
  std::optional<std::int64_t> r_pkg;
  std::optional<std::int64_t> r_size;
  bool uncapped_reads = false;
};

// How an incoming call is answered (CALL_RESULT, CALL_EXCEPTION or CALL_ERROR) or how one of
// our outgoing calls ended.
struct CallReply {
  enum class Kind : std::uint8_t { result, exception, error };
  Kind kind = Kind::result;
  Entity value;           // result value, or the exception entity
  std::error_code error;  // for Kind::error

  static CallReply result(Entity v = {}) { return {Kind::result, std::move(v), {}}; }
  static CallReply exception(Entity v) { return {Kind::exception, std::move(v), {}}; }
  // An exception entity whose single argument is `text` (or no argument when text is empty).
  static CallReply exception_text(std::string_view text);
  static CallReply error_code(std::error_code e) { return {Kind::error, Entity{}, e}; }
  bool is_result() const noexcept { return kind == Kind::result; }
};

// A sequenced call to the peer: `method(args...)` where args[0] is the msg_id.
struct StreamerCall {
  std::int64_t msg_id = 0;
  std::string method;
  std::vector<Entity> args;
};

// The answer to the incoming call identified by `token`.
struct ReplyAction {
  std::uint64_t token = 0;
  CallReply reply;
};

using StreamerAction = std::variant<StreamerCall, ReplyAction>;

class StreamerCore {
 public:
  enum class ContextMode : std::uint8_t { none, reading, writing };

  // Checks the mode against the data (§3.1); a rejection throws StreamError whose code() is
  // StreamErrc::data_mode_mismatch, data_mode_unsupported, invalid_streamer_mode or
  // writable_requires_write_buffer (what() is the reference's text for the first two).
  StreamerCore(std::unique_ptr<StreamerData> data, const StreamerConfig& config);
  ~StreamerCore();
  StreamerCore(const StreamerCore&) = delete;
  StreamerCore& operator=(const StreamerCore&) = delete;

  // An incoming call `method(args...)` (args without the method name). Every call is
  // answered exactly once through a ReplyAction carrying `token` (possibly later, for calls
  // parked behind a sequencing gap).
  void handle_call(std::uint64_t token, std::string_view method, std::span<const Entity> args);
  // The outcome of our outgoing call `msg_id`.
  void handle_call_outcome(std::int64_t msg_id, const CallReply& outcome);
  // The link is gone: fail locally without messages, close the data, release queued calls
  // (their replies are still emitted; the adapter may drop them).
  void handle_link_lost();
  // The data reported an endpoint change (§10.1 hook).
  void handle_endpoints_changed();
  // Changes the write-ahead limit/step at run time (§10.1 set_write_buffering).
  void set_write_buffering(std::int64_t num, std::optional<std::int64_t> step = std::nullopt);

  // Drains the actions produced so far, in order.
  std::vector<StreamerAction> take_actions();

  // --- state, for adapters and tests ---
  Mode mode() const noexcept { return mode_; }
  ElementKind kind() const noexcept { return kind_; }
  bool connected() const noexcept { return connected_; }
  bool failed() const noexcept { return failed_; }
  bool done() const noexcept { return done_; }
  // The peer object passed to peer_connect (None before it and after close/failure).
  const Entity& peer() const noexcept { return peer_; }
  // True once nothing more will ever be sent to the peer: the adapter may drop its handle.
  bool peer_releasable() const noexcept;
  ContextMode context_mode() const noexcept { return ctx_mode_; }
  std::optional<std::int64_t> context_id() const noexcept { return ctx_; }
  std::optional<std::int64_t> context_error() const noexcept { return ctx_err_; }
  std::int64_t position() const noexcept { return ctx_spos_ + ctx_rpos_; }
  std::int64_t read_pending() const noexcept { return r_pending_; }
  std::int64_t write_pending() const noexcept { return w_pending_; }
  std::int64_t negotiated_r_num() const noexcept { return r_num_; }
  std::int64_t negotiated_r_size() const noexcept { return r_size_; }
  std::int64_t call_lim() const noexcept { return call_lim_; }
  // Why the streamer failed (empty while healthy).
  std::error_code failure_reason() const noexcept { return failure_reason_; }

 private:
  enum class Method : std::uint8_t {
    connect, read_start, write_start, read_lim, write_push, trunc_before, trunc_after, close, fail
  };
  enum class OutMethod : std::uint8_t {
    set_start_pos, read_push, write_lim, error, closed, fail
  };
  struct Pending {
    std::uint64_t token = 0;
    Method method = Method::close;
    std::optional<std::int64_t> pos;
    std::optional<PosRef> pos_ref;
    bool eos = false;
    std::int64_t number = 0;  // rel_pos (read_lim) or write_ctx (write_push)
    Entity data;
    std::int64_t length = 0;
  };
  struct OutPayload {
    OutMethod method;
    std::vector<Entity> args;  // after the msg_id
  };

  void reply(std::uint64_t token, CallReply r);
  void argerr(std::uint64_t token, StreamErrc e, std::string_view text = {});
  void handle_connect(std::uint64_t token, std::span<const Entity> args);
  void handle_sequenced(std::uint64_t token, Method m, std::span<const Entity> args);
  void run_queue();
  CallReply run_handler(Pending& p, std::int64_t msg_id);
  CallReply start_context(const Pending& p, std::int64_t msg_id, bool reading);
  void handle_read_lim(std::int64_t rel_pos);
  void handle_write_push(const Pending& p);
  void handle_trunc(std::int64_t msg_id, bool before);
  void handle_close();
  void handle_peer_fail();

  void issue(OutMethod m, std::vector<Entity> args);
  void flush_calls();
  void fail(StreamErrc reason);
  void cleanup();
  void clear_context();
  void set_context_error(ContextErrorCode code);
  void poll_endpoints();
  void push_loop();
  void update_write_limit();
  void close_data() noexcept;

  ElementKind kind_;
  std::unique_ptr<StreamerData> data_;
  Mode mode_;
  std::optional<StreamerWriteBuffer> wbuf_;
  std::int64_t w_buf_lim_;
  std::int64_t w_buf_step_;
  std::int64_t w_pkg_;
  std::int64_t w_size_;
  std::int64_t call_lim_;
  std::optional<std::int64_t> local_r_pkg_;
  std::optional<std::int64_t> local_r_size_;

  bool connected_ = false;
  bool peer_active_ = false;  // new calls may be issued to the peer
  bool failed_ = false;
  bool done_ = false;
  bool data_closed_ = false;
  std::error_code failure_reason_;
  Entity peer_;

  SequenceCaller<OutPayload> caller_;
  std::map<std::int64_t, OutMethod> in_flight_;
  SequenceQueue<Pending> queue_;

  std::int64_t r_num_ = 0;
  std::int64_t r_size_ = 0;
  std::int64_t r_pending_ = 0;
  std::int64_t w_pending_ = 0;

  ContextMode ctx_mode_ = ContextMode::none;
  std::optional<std::int64_t> ctx_;
  std::optional<std::int64_t> ctx_err_;
  std::int64_t ctx_spos_ = 0;
  std::int64_t ctx_rpos_ = 0;
  std::int64_t r_rel_lim_ = 0;
  bool r_eos_ = false;
  bool eos_sent_ = false;
  std::int64_t w_rel_lim_ = 0;
  std::int64_t w_recv_ = 0;

  std::vector<StreamerAction> actions_;
};

}  // namespace versile::stream
