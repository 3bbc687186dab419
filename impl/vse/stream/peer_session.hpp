// A stream peer at run time: the PeerCore behind a mutex, the waits of the blocking API, the
// asynchronous operations, observers, and a PeerTransport that carries the core's calls to the
// streamer. Thread-safe. Actions of the core are carried out outside the lock, in order, by
// whichever thread is currently draining (so outgoing calls keep their id order).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <type_traits>
#include <vector>

#include "entity/entity.hpp"
#include "link/call_types.hpp"
#include "vse/stream/peer_core.hpp"

namespace versile::stream {

// How a session reaches its streamer (a link in production, a scripted fake in tests).
class PeerTransport {
 public:
  virtual ~PeerTransport() = default;
  // Sends `args` (["method", ...]) as a normal call; `done` runs exactly once with the outcome,
  // from any thread, possibly before send_call returns.
  virtual void send_call(Tuple args, std::function<void(link::CallOutcome)> done) = 0;
  // The session no longer needs the streamer (drop the reference, stop watching the link).
  virtual void release() = 0;
};

// Observer callbacks (stream.md §9.5). Called from the stream's event processing, without the
// stream's lock held; exceptions are swallowed. Default handlers do nothing.
class StreamObserver {
 public:
  virtual ~StreamObserver() = default;
  virtual void can_recv() {}
  virtual void can_send() {}
  virtual void closed() {}
  virtual void ctx_error() {}
  virtual void failed() {}
};

// Which flags wait_status waits for (any of them).
struct WaitFlags {
  bool connected = false;
  bool active = false;
  bool done = false;
  bool failed = false;
  bool closed = false;
};

// nullopt = wait indefinitely; zero = one attempt (StreamTimeout if it cannot complete, §9.4).
using Timeout = std::optional<std::chrono::nanoseconds>;

class PeerSession : public std::enable_shared_from_this<PeerSession> {
 public:
  using RecvHandler = std::function<void(std::exception_ptr error, Entity data)>;
  using SendHandler = std::function<void(std::exception_ptr error, std::size_t sent)>;

  static std::shared_ptr<PeerSession> create(PeerConfig config,
                                             std::shared_ptr<PeerTransport> transport);
  ~PeerSession();

  // The object reference handed to the streamer in peer_connect (set before connect()).
  void set_peer_reference(Entity reference);
  void connect();

  // ---- transport side ----
  // An incoming call (["method", ...]); `reply` runs exactly once with its outcome.
  void incoming(const Tuple& args, std::function<void(link::CallOutcome)> reply);
  void link_lost();

  // ---- user API (see Stream) ----
  bool wait_status(WaitFlags flags, Timeout timeout);
  StatusFlags status() const;
  Mode mode() const;
  ElementKind kind() const;
  Entity recv(std::size_t max_num, Timeout timeout);
  std::size_t send(const Entity& data, Timeout timeout);
  std::int64_t pos(Timeout timeout);
  void rseek(std::int64_t pos, PosRef ref, Timeout timeout);
  void wseek(std::int64_t pos, PosRef ref, Timeout timeout);
  void seek(std::int64_t pos, PosRef ref, Timeout timeout);
  void trunc_before(Timeout timeout) { trunc(true, timeout); }
  void trunc_after(Timeout timeout) { trunc(false, timeout); }
  void close();
  void handle_dropped();
  void set_readahead(std::int64_t num, std::optional<std::int64_t> step);
  void enable_readahead();
  void disable_readahead();
  void set_eos_policy(bool eos);
  void check_readable() const;
  void async_recv(std::size_t max_num, RecvHandler handler);
  void async_send(Entity data, SendHandler handler);
  void add_observer(const std::shared_ptr<StreamObserver>& observer);
  void remove_observer(const std::shared_ptr<StreamObserver>& observer);

  // Read-only view for tests and diagnostics (under the lock).
  template <class F>
  auto inspect(F&& f) const {
    std::scoped_lock lock(mutex_);
    return f(core_);
  }

 private:
  PeerSession(PeerConfig config, std::shared_ptr<PeerTransport> transport);
  // Carries out the core's actions outside the lock; call with the lock held.
  void flush(std::unique_lock<std::mutex>& lock);
  void perform(PeerAction& action);
  void poll_async();  // under the lock
  void trunc(bool before, Timeout timeout);
  // Runs `poll` (returning an optional) until it yields a value, throws, or the timeout passes.
  template <class Poll>
  auto wait_until_ready(std::unique_lock<std::mutex>& lock, Timeout timeout, Poll&& poll)
      -> std::remove_cvref_t<decltype(poll().value())>;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  PeerCore core_;
  std::shared_ptr<PeerTransport> transport_;
  Entity peer_reference_;

  std::vector<PeerAction> pending_actions_;
  std::vector<std::function<void()>> pending_callbacks_;
  bool draining_ = false;
  std::uint64_t seen_generation_ = 0;

  std::map<IncomingToken, std::function<void(link::CallOutcome)>> replies_;
  IncomingToken next_token_ = 1;

  struct AsyncRecv {
    std::size_t max_num;
    PeerCore::Ticket ticket;
    RecvHandler handler;
  };
  struct AsyncSend {
    Entity data;
    PeerCore::Ticket ticket;
    SendHandler handler;
  };
  std::vector<AsyncRecv> async_recvs_;
  std::vector<AsyncSend> async_sends_;
  std::vector<std::weak_ptr<StreamObserver>> observers_;
};

}  // namespace versile::stream
