// Stream buffers (stream.md §10.5): the peer's read buffer (pushed packages waiting for recv)
// and the position bookkeeping of its send path. A package is a Bytes entity on a byte stream
// and a Tuple entity on an entity stream; the element count is the byte count / tuple length.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <span>

#include "entity/entity.hpp"
#include "vse/stream/constants.hpp"

namespace versile::stream {

class StreamBuffer {
 public:
  virtual ~StreamBuffer() = default;

  virtual ElementKind kind() const noexcept = 0;
  // Reset to `pos` and drop stored data. `can_cache` (FIXED_DATA or DATA_LOCK) is a hint the
  // built-in buffers do not use (REF: no caching).
  void new_context(std::int64_t pos, bool can_cache = false);
  // Reset to position 0 and drop stored data.
  void end_context() { new_context(0); }
  // Store `data` (wpos advances). With `advance` the data is not stored and rpos follows wpos:
  // the send path only tracks positions. Throws StreamError for data of the wrong type.
  void write(const Entity& data, bool advance = false);
  // Remove up to `max` stored elements (as one package, empty when nothing is stored).
  Entity read(std::size_t max);
  // Elements stored and not yet read.
  std::size_t max_read() const noexcept { return stored_; }
  std::int64_t rpos() const noexcept { return rpos_; }
  std::int64_t wpos() const noexcept { return wpos_; }

  // Element-type operations.
  virtual bool valid_data(const Entity& data) const noexcept = 0;
  bool has_data(const Entity& data) const { return len_data(data) > 0; }
  virtual std::size_t len_data(const Entity& data) const = 0;
  // The first `n` elements of `data` (`data` itself when it is not longer).
  Entity first(const Entity& data, std::size_t n) const {
    return n >= len_data(data) ? data : slice(data, 0, n);
  }
  // Elements [n, end) of `data` (`data` itself for n == 0).
  Entity skip(const Entity& data, std::size_t n) const { return n == 0 ? data : slice(data, n, SIZE_MAX); }
  // Elements [offset, offset+n) of `data`, clamped; byte packages share storage.
  virtual Entity slice(const Entity& data, std::size_t offset, std::size_t n) const = 0;
  virtual Entity join(std::span<const Entity> parts) const = 0;
  virtual Entity empty_data() const = 0;

 private:
  // Removes up to `max` elements from the head package and returns them (the package itself
  // when it goes whole, else a slice); `taken` is their count.
  Entity take_from_head(std::size_t max, std::size_t& taken);

  std::deque<Entity> packages_;  // non-empty packages; the first may be partly consumed
  std::size_t head_offset_ = 0;  // elements of packages_.front() already read
  std::size_t stored_ = 0;
  std::int64_t rpos_ = 0;
  std::int64_t wpos_ = 0;
};

// Byte packages (Bytes). Reading within one package is a zero-copy slice.
class ByteStreamBuffer final : public StreamBuffer {
 public:
  ElementKind kind() const noexcept override { return ElementKind::bytes; }
  bool valid_data(const Entity& data) const noexcept override { return data.is<Bytes>(); }
  std::size_t len_data(const Entity& data) const override;
  Entity slice(const Entity& data, std::size_t offset, std::size_t n) const override;
  Entity join(std::span<const Entity> parts) const override;
  Entity empty_data() const override { return Entity(Bytes()); }
};

// Entity packages (Tuple). Every C++ element is already an Entity, so the reference's
// allow_native distinction (and its defect D12) has no counterpart here.
class EntityStreamBuffer final : public StreamBuffer {
 public:
  ElementKind kind() const noexcept override { return ElementKind::entities; }
  bool valid_data(const Entity& data) const noexcept override { return data.is<Tuple>(); }
  std::size_t len_data(const Entity& data) const override;
  Entity slice(const Entity& data, std::size_t offset, std::size_t n) const override;
  Entity join(std::span<const Entity> parts) const override;
  Entity empty_data() const override { return Entity(Tuple()); }
};

std::unique_ptr<StreamBuffer> make_stream_buffer(ElementKind kind);

}  // namespace versile::stream
