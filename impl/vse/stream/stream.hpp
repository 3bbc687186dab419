// The user-facing stream (stream.md §9): a cheap handle to a stream peer. Copies share the peer;
// when the last copy goes away the stream is closed (or failed, if the handshake has not
// completed yet), §9.9. Data is a Bytes entity on a byte stream and a Tuple entity on an
// entity stream.
//
//   auto stream = streamer.connect({.readahead = true});
//   stream.wait_status({.active = true});
//   for (const versile::Entity& item : stream.iterator()) std::cout << item << '\n';
//
// Blocking calls take a Timeout: nullopt waits indefinitely, zero never blocks (StreamTimeout
// when nothing is ready, SPEC of §9.4), otherwise StreamTimeout after that long.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>

#include "entity/entity.hpp"
#include "vse/stream/constants.hpp"
#include "vse/stream/peer_session.hpp"
#include "vse/stream/stream_errors.hpp"

namespace versile::stream {

class Stream {
 public:
  class Iterator;
  class Range;

  // Wraps a session as a new user handle (connect() does this).
  explicit Stream(std::shared_ptr<PeerSession> session);

  ElementKind kind() const;
  // The streamer's mode (0 until connected).
  Mode mode() const;
  StatusFlags status() const;
  bool connected() const { return status().connected; }
  bool active() const { return status().active; }
  bool done() const { return status().done; }
  bool failed() const { return status().failed; }
  bool closed() const { return status().closed; }
  // True as soon as any requested flag is set; false on timeout.
  bool wait_status(WaitFlags flags, Timeout timeout = std::nullopt) const;

  // Read-ahead (§8.1) and end-of-stream policy (§9.2).
  void set_readahead(std::int64_t num, std::optional<std::int64_t> step = std::nullopt);
  void enable_readahead();
  void disable_readahead();
  void set_eos_policy(bool eos);

  // Up to max_num elements; empty data = end of stream (§9.3).
  Entity recv(std::size_t max_num, Timeout timeout = std::nullopt);
  // Reads until `num` elements or end of stream (everything when num is nullopt) (§9.5).
  Entity read(std::optional<std::size_t> num = std::nullopt, std::size_t bsize = 1048576);
  // Sends at most one package; returns the number of elements taken from `data` (§8.4).
  std::size_t send(const Entity& data, Timeout timeout = std::nullopt);
  // Sends everything.
  void write(const Entity& data);

  void rseek(std::int64_t pos, PosRef ref = PosRef::abs, Timeout timeout = std::nullopt);
  void wseek(std::int64_t pos, PosRef ref = PosRef::abs, Timeout timeout = std::nullopt);
  void seek(std::int64_t pos, PosRef ref = PosRef::abs, Timeout timeout = std::nullopt);
  std::int64_t pos(Timeout timeout = std::nullopt) const;
  void trunc_before(Timeout timeout = std::nullopt);
  void trunc_after(Timeout timeout = std::nullopt);

  // Element by element (one-element Bytes on a byte stream, the entity on an entity stream)
  // until end of stream; then closes the stream if `close_at_end`. Requires READABLE.
  Range iterator(Timeout timeout = std::nullopt, bool close_at_end = true);

  // Idempotent (SPEC §9.7).
  void close();

  // Non-blocking operations: the handler runs once, on the thread that delivers the event that
  // completes it (or on this thread when it completes at once); it must not block.
  void async_recv(std::size_t max_num, PeerSession::RecvHandler handler);
  void async_send(Entity data, PeerSession::SendHandler handler);

  // Observers are held weakly; duplicates are ignored.
  void add_observer(const std::shared_ptr<StreamObserver>& observer);
  void remove_observer(const std::shared_ptr<StreamObserver>& observer);

  const std::shared_ptr<PeerSession>& session() const noexcept { return handle_->session; }

 private:
  // Shared by all copies; its destructor is the "last handle dropped" event.
  struct Handle {
    std::shared_ptr<PeerSession> session;
    explicit Handle(std::shared_ptr<PeerSession> s) : session(std::move(s)) {}
    ~Handle();
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
  };
  std::shared_ptr<Handle> handle_;
};

class Stream::Iterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = Entity;
  using difference_type = std::ptrdiff_t;
  using pointer = const Entity*;
  using reference = const Entity&;

  Iterator() = default;  // the end
  const Entity& operator*() const { return current_; }
  const Entity* operator->() const { return &current_; }
  Iterator& operator++();
  void operator++(int) { ++*this; }
  friend bool operator==(const Iterator& a, const Iterator& b) { return a.range_ == b.range_; }

 private:
  friend class Range;
  explicit Iterator(Range* range) : range_(range) {}
  Range* range_ = nullptr;  // null = end
  Entity current_;
};

class Stream::Range {
 public:
  Range(Stream stream, Timeout timeout, bool close_at_end)
      : stream_(std::move(stream)), timeout_(timeout), close_at_end_(close_at_end) {}
  Iterator begin();
  Iterator end() { return Iterator(); }

 private:
  friend class Iterator;
  // The next element, or nullopt at the end of the stream.
  std::optional<Entity> next();
  Stream stream_;
  Timeout timeout_;
  bool close_at_end_;
  bool finished_ = false;
};

}  // namespace versile::stream
