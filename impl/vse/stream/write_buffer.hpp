// The streamer-side write buffer (stream.md §10.5 "Streamer usage"). It validates write-push
// data and tracks positions only: the reference keeps every written element of a context in
// memory and never reads it back (defect D21); we store nothing.
#pragma once

#include <cstdint>

#include "vse/stream/streamer_data.hpp"

namespace versile::stream {

class StreamerWriteBuffer {
 public:
  explicit StreamerWriteBuffer(ElementKind kind) noexcept : kind_(kind) {}

  ElementKind kind() const noexcept { return kind_; }
  // Bytes for a byte stream, a Tuple for an entity stream.
  bool valid_data(const Entity& data) const { return package_length(kind_, data).has_value(); }
  void new_context(std::int64_t pos) noexcept { wpos_ = pos; }
  void end_context() noexcept { wpos_ = 0; }
  // Accounts for `data` (already validated) at the write position.
  void write(const Entity& data) { wpos_ += package_length(kind_, data).value_or(0); }
  std::int64_t wpos() const noexcept { return wpos_; }

 private:
  ElementKind kind_;
  std::int64_t wpos_ = 0;
};

}  // namespace versile::stream
