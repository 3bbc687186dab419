// Internal: the state behind LinkCore (one per link). Not part of the public API; shared by
// link_core.cpp and testing_hooks.cpp only.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "codec/decoder.hpp"
#include "codec/output_buffer.hpp"
#include "codec/vec_channel.hpp"
#include "link/link_core.hpp"
#include "link/testing_hooks.hpp"

namespace versile::link {

struct LinkCore::State {
  State(LinkConfig c, LinkCoreEvents& e);

  // Counts nested entry points; the outermost one runs deferred callbacks on exit.
  struct Step {
    explicit Step(State& st);
    ~Step();
    Step(const Step&) = delete;
    Step& operator=(const Step&) = delete;
    State& s;
  };

  enum class InPhase { vec_line, hello, handshake_object, messages, stopped };
  enum class Internal { none, keep_alive, finish };
  struct PendingCall {
    CallMode mode = CallMode::normal;
    Internal internal = Internal::none;
    CallCompletion done;
  };
  struct LocalEntry {
    std::shared_ptr<Object> object;
    std::uint64_t send_count = 0;
  };
  struct PeerEntry {
    std::weak_ptr<PeerObject> handle;
    std::uint64_t recv_count = 0;
    std::uint64_t generation = 0;
  };
  struct JournalEntry {
    std::uint64_t id;
    bool was_new;
  };

  // --- helpers (link_core.cpp) ---
  void defer(std::function<void()> fn);
  void queue_output(codec::OutputBuffer buf);
  void queue_bytes(std::span<const std::uint8_t> bytes);
  std::error_code encode_entity(const Entity& e, codec::OutputBuffer& out);
  std::error_code send_raw_entity(const Entity& e);
  std::error_code send_message(MessageCode code, Entity payload, std::uint64_t* used_id = nullptr);
  Entity own_hello() const;
  void send_hello();
  bool validate_hello(const Entity& e);
  void on_peer_hello(const Entity& e);
  void on_peer_handshake_object(const Entity& e);
  void ready_to_finish();
  void answer_finish(const Integer& call_id);
  void send_internal_call(Internal kind, Tuple args);
  void on_internal_reply(Internal kind, const CallOutcome& outcome);
  void check_handshake_complete();
  void on_handshake_object_call(const Integer& call_id, CallMode mode, const Tuple& args);
  void process_input(std::span<const std::uint8_t> bytes);
  // After the decoder took input: fail on error, dispatch a completed entity. False when input
  // processing must stop.
  bool after_decode(const codec::Decoder::Result& r);
  bool accepts_input() const noexcept;
  void on_message(const Entity& e);
  void on_call(const Integer& call_id, CallMode mode, const Entity& payload);
  void on_reply(const Integer& call_id, CallOutcome outcome);
  void on_notify_deref(const Integer& obj_id, const Integer& recv_count);
  void on_confirm_deref(const Integer& obj_id);
  void on_keep_alive();
  void check_gc_shutdown();
  std::optional<time_point> next_deadline() const;
  void update_timer();
  void fail_pending_outgoing(std::error_code reason);
  void begin_graceful(std::error_code reason);
  void check_drained();
  void fail(std::error_code reason);
  void finish_close(bool abort);

  LinkConfig cfg;
  LinkCoreEvents& ev;
  LinkCore* resolver = nullptr;
  std::weak_ptr<LinkBackChannel> channel;
  const LinkBackChannel* channel_id = nullptr;
  std::shared_ptr<LinkBackChannel> null_channel;
  std::weak_ptr<Link> link;

  LinkStatus status = LinkStatus::initial;
  std::error_code close_error;
  bool eof_received = false;

  // Deferred callbacks / output notification.
  int depth = 0;
  std::deque<std::function<void()>> deferred;
  bool output_notify = false;
  time_point timer_requested = time_point::max();

  // Input.
  InPhase in_phase = InPhase::vec_line;
  codec::VecHelloParser vec_parser;
  std::size_t vec_line_bytes = 0;
  std::optional<codec::Decoder> decoder;
  PeerHello peer_hello;
  bool hello_accepted = false;
  std::uint64_t last_received_msg_id = 0;

  // Output: one immutable buffer per unit, so handed-out chunks stay valid until consumed.
  std::deque<codec::OutputBuffer> output;
  // Output still unconsumed when the link failed: the driver may have a write of it in flight,
  // so its bytes are kept until the core is destroyed rather than freed at the failure.
  std::deque<codec::OutputBuffer> abandoned_output;
  std::size_t output_front_offset = 0;
  std::size_t output_total = 0;
  std::uint64_t next_msg_id = 1;
  std::optional<std::uint64_t> msg_id_override;

  // Handshake.
  std::shared_ptr<Object> own_hs;
  std::shared_ptr<Object> gateway;
  std::shared_ptr<PeerObject> peer_hs;
  bool can_finish = false;
  std::optional<Integer> deferred_finish;
  bool peer_called_finish = false;
  bool peer_called_keep_alive = false;
  bool finish_answered = false;
  bool finish_returned = false;
  std::weak_ptr<PeerObject> peer_gateway;
  std::optional<time_point> handshake_deadline;

  // Object tables (§7.1).
  std::unordered_map<std::uint64_t, LocalEntry> local;
  std::unordered_map<const Object*, std::uint64_t> local_ids;
  std::uint64_t next_local_id = 1;
  std::unordered_map<std::uint64_t, PeerEntry> peers;
  std::uint64_t next_generation = 1;
  bool journaling = false;
  std::vector<JournalEntry> journal;

  // Calls.
  std::unordered_map<std::uint64_t, PendingCall> pending_out;
  std::unordered_map<std::uint64_t, Integer> pending_in;  // ticket → peer's call id
  std::uint64_t next_ticket = 1;

  // Keep-alive (§9.1).
  std::optional<std::chrono::milliseconds> keep_alive_send;     // granted to the peer
  std::optional<std::chrono::milliseconds> keep_alive_receive;  // granted by the peer
  time_point last_sent{};
  time_point last_received{};
  bool have_last_keep_alive = false;
  time_point last_keep_alive{};
  std::deque<std::chrono::milliseconds> keep_alive_intervals;

  testing::HandshakeFaults faults;
  LinkStats stats;
};

}  // namespace versile::link
