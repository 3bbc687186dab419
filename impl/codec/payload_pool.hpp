// Recycles the buffers of large received byte payloads. The kernel writes a received payload
// into memory the process touches for the first time: a fresh 1 MiB buffer costs 256 page
// faults, 15% of the receiving io thread at 1 MiB stream packages. A released buffer is kept
// (a few, bounded in count and bytes) and handed out again for a payload that fits it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace versile::codec {

class PayloadPool {
 public:
  // Payloads below this size come straight from the allocator (its bins are already warm).
  static constexpr std::size_t kMinPooledSize = 64 * 1024;
  // A buffer is reused for a payload of at least half its capacity.
  static constexpr std::size_t kMaxWasteFactor = 2;

  struct Limits {
    std::size_t max_buffers = 32;
    std::size_t max_bytes = 32 * 1024 * 1024;
  };

  explicit PayloadPool(Limits limits) : limits_(limits) {}
  PayloadPool(const PayloadPool&) = delete;
  PayloadPool& operator=(const PayloadPool&) = delete;

  // Uninitialized storage for `size` bytes; the memory returns to the pool when the last owner
  // releases it. The pool must outlive the buffers (the process-wide one is never destroyed).
  std::shared_ptr<std::uint8_t> acquire(std::size_t size);

  // The process-wide pool the decoder uses.
  static PayloadPool& shared();

  // Buffers held for reuse, and their total capacity (for tests and diagnostics).
  std::size_t cached_buffers() const;
  std::size_t cached_bytes() const;

 private:
  struct Buffer {
    std::unique_ptr<std::uint8_t[]> data;
    std::size_t capacity = 0;
  };
  void give_back(Buffer buffer) noexcept;

  const Limits limits_;
  mutable std::mutex mutex_;
  std::vector<Buffer> cached_;  // most recently released last (warmest in cache)
  std::size_t cached_bytes_ = 0;
};

}  // namespace versile::codec
