#include "vse/stream/streamer_data.hpp"

#include <utility>

#include "vse/stream/stream_errors.hpp"

namespace versile::stream {

void StreamerData::write(const Entity&) { throw StreamError("Write not supported"); }
void StreamerData::trunc_before() { throw StreamError("Truncation not supported"); }
void StreamerData::trunc_after() { throw StreamError("Truncation not supported"); }

void StreamerData::set_endpoints_listener(std::function<void()> listener) {
  std::scoped_lock lock(listener_mutex_);
  listener_ = std::move(listener);
}

void StreamerData::enable_notifications(bool enabled) {
  std::scoped_lock lock(listener_mutex_);
  notifications_enabled_ = enabled;
}

void StreamerData::notify_endpoints_changed() {
  std::function<void()> listener;
  {
    std::scoped_lock lock(listener_mutex_);
    if (!notifications_enabled_ || !listener_) return;
    listener = listener_;
  }
  try {
    listener();
  } catch (...) {
    enable_notifications(false);
  }
}

std::optional<std::int64_t> package_length(ElementKind kind, const Entity& package) {
  if (kind == ElementKind::bytes) {
    if (const Bytes* b = package.get_if<Bytes>()) return static_cast<std::int64_t>(b->size());
    return std::nullopt;
  }
  if (const Tuple* t = package.get_if<Tuple>()) return static_cast<std::int64_t>(t->size());
  return std::nullopt;
}

Entity empty_package(ElementKind kind) {
  if (kind == ElementKind::bytes) return Entity(Bytes());
  return Entity(Tuple());
}

}  // namespace versile::stream
