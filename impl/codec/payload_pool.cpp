#include "codec/payload_pool.hpp"

#include <iterator>
#include <utility>

namespace versile::codec {

std::shared_ptr<std::uint8_t> PayloadPool::acquire(std::size_t size) {
  if (size < kMinPooledSize) {
    auto small = std::make_shared_for_overwrite<std::uint8_t[]>(size);
    return {small, small.get()};
  }
  Buffer buffer;
  {
    std::scoped_lock lock(mutex_);
    for (auto it = cached_.rbegin(); it != cached_.rend(); ++it) {
      if (it->capacity >= size && it->capacity / kMaxWasteFactor <= size) {
        buffer = std::move(*it);
        cached_.erase(std::next(it).base());
        cached_bytes_ -= buffer.capacity;
        break;
      }
    }
  }
  if (!buffer.data) {
    buffer.data = std::make_unique_for_overwrite<std::uint8_t[]>(size);
    buffer.capacity = size;
  }
  const std::size_t capacity = buffer.capacity;
  // On failure to allocate the control block, shared_ptr runs the deleter: nothing leaks.
  return std::shared_ptr<std::uint8_t>(buffer.data.release(), [this, capacity](std::uint8_t* p) {
    give_back(Buffer{std::unique_ptr<std::uint8_t[]>(p), capacity});
  });
}

void PayloadPool::give_back(Buffer buffer) noexcept {
  std::vector<Buffer> dropped;  // freed after the lock is released
  std::scoped_lock lock(mutex_);
  if (buffer.capacity > limits_.max_bytes || limits_.max_buffers == 0) return;
  // Make room by dropping the oldest (coldest) buffers.
  std::size_t drop = 0;
  std::size_t bytes = cached_bytes_;
  while (drop < cached_.size() &&
         (cached_.size() - drop >= limits_.max_buffers || bytes + buffer.capacity > limits_.max_bytes)) {
    bytes -= cached_[drop].capacity;
    ++drop;
  }
  try {
    dropped.reserve(drop);
    std::move(cached_.begin(), cached_.begin() + static_cast<std::ptrdiff_t>(drop),
              std::back_inserter(dropped));
    cached_.erase(cached_.begin(), cached_.begin() + static_cast<std::ptrdiff_t>(drop));
    cached_bytes_ = bytes;
    cached_.push_back(std::move(buffer));
    cached_bytes_ += cached_.back().capacity;
  } catch (...) {
    // Out of memory: the buffer is simply freed.
  }
}

PayloadPool& PayloadPool::shared() {
  // Never destroyed: payloads may be released during static destruction.
  static PayloadPool* const pool = new PayloadPool(Limits{});
  return *pool;
}

std::size_t PayloadPool::cached_buffers() const {
  std::scoped_lock lock(mutex_);
  return cached_.size();
}

std::size_t PayloadPool::cached_bytes() const {
  std::scoped_lock lock(mutex_);
  return cached_bytes_;
}

}  // namespace versile::codec
