// The streamer data interface (stream.md §10.1): the element sequence a streamer serves.
// Packages are entities: Bytes for byte streams, Tuple for entity streams. Implementations
// report problems by throwing StreamError (→ the streamer sets a context error or refuses a
// seek) or StreamFailure (→ the streamer fails the stream).
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>

#include "entity/entity.hpp"
#include "vse/stream/constants.hpp"

namespace versile::stream {

// (start, end) where end is one past the last element; nullopt for an unbounded side.
struct Endpoints {
  std::optional<std::int64_t> start;
  std::optional<std::int64_t> end;
  friend bool operator==(const Endpoints&, const Endpoints&) = default;
};

// The data's mode requirement: a streamer mode m is accepted iff (m & mask) == bits and every
// bit of m lies in mask | opt_mode().
struct RequiredMode {
  Mode bits = 0;
  Mode mask = 0;
};

class StreamerData {
 public:
  virtual ~StreamerData() = default;

  virtual ElementKind kind() const noexcept = 0;
  // Up to max_num elements (max_num ≥ 1) from the current position, advancing it. Fewer than
  // max_num means the current end was reached; empty = at the end.
  virtual Entity read(std::int64_t max_num) = 0;
  // Overwrites/extends at the current position and advances; writes everything or throws.
  virtual void write(const Entity& data);
  // Repositions (ABS/START/END, CURRENT locally); returns the resulting absolute position.
  virtual std::int64_t seek(std::int64_t pos, PosRef ref) = 0;
  // The current position becomes the start / the end.
  virtual void trunc_before();
  virtual void trunc_after();
  // Releases resources; later operations throw StreamError.
  virtual void close() = 0;
  virtual std::int64_t pos() const = 0;
  virtual Endpoints endpoints() const = 0;
  virtual RequiredMode req_mode() const = 0;
  virtual Mode opt_mode() const = 0;

  // Endpoint-change notifications (§10.1): data whose endpoints change for reasons other than
  // the streamer's own operations calls notify_endpoints_changed(); the streamer registers the
  // listener. A listener that throws disables notifications.
  void set_endpoints_listener(std::function<void()> listener);
  void enable_notifications(bool enabled);

 protected:
  void notify_endpoints_changed();

 private:
  std::mutex listener_mutex_;
  std::function<void()> listener_;
  bool notifications_enabled_ = true;
};

// Number of elements in a package of the given kind (Bytes size or Tuple size); nullopt when
// the entity is not a package of that kind.
std::optional<std::int64_t> package_length(ElementKind kind, const Entity& package);
// The empty package of a kind (b'' or ()).
Entity empty_package(ElementKind kind);

}  // namespace versile::stream
