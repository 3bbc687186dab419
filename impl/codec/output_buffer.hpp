// Scatter-gather encoder output: small header bytes are owned, large payloads are referenced.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace versile::codec {

class OutputBuffer {
 public:
  struct Chunk {
    const std::uint8_t* data;
    std::size_t size;
  };

  // Appends owned bytes (copied into an internal arena).
  void append_copy(std::span<const std::uint8_t> bytes);
  void append_byte(std::uint8_t b);
  // Appends a reference to bytes kept alive by `owner`; payloads below a small threshold are
  // copied instead, since a separate chunk costs more than the copy.
  void append_shared(std::shared_ptr<const std::uint8_t> owner, const std::uint8_t* data,
                     std::size_t size);

  std::size_t size() const noexcept { return total_; }
  bool empty() const noexcept { return total_ == 0; }
  // The chunks in order (stable until the next append or clear).
  std::span<const Chunk> chunks() const;
  std::vector<std::uint8_t> flatten() const;
  void clear();

 private:
  struct Segment {
    std::shared_ptr<const std::uint8_t> owner;  // null: bytes live in arena_[arena_index]
    std::size_t arena_index = 0;
    const std::uint8_t* data = nullptr;
    std::size_t offset = 0;
    std::size_t size = 0;
  };
  std::vector<std::vector<std::uint8_t>> arena_;
  std::vector<Segment> segments_;
  mutable std::vector<Chunk> chunks_;
  mutable bool chunks_valid_ = false;
  std::size_t total_ = 0;
};

}  // namespace versile::codec
