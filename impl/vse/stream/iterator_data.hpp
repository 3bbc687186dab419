// Built-in sequential entity data over a generator (stream.md §10.3). Prefetches up to buf_len
// items at construction, when its buffer empties during a read, and once after each read, so a
// read comes back short only when the source is exhausted (which lets eos work as for fixed
// data). No seeking; the streamer mode is exactly 0x1045.
#pragma once

#include <deque>
#include <functional>
#include <optional>

#include "vse/stream/streamer_data.hpp"

namespace versile::stream {

class IteratorEntitiesData final : public StreamerData {
 public:
  // Returns the next item, or nullopt when the source is exhausted. An exception from the
  // generator is reported as a StreamError (a context error GENERAL for the reader).
  using Generator = std::function<std::optional<Entity>()>;

  explicit IteratorEntitiesData(Generator next, std::int64_t buf_len = defaults::entity_size);

  ElementKind kind() const noexcept override { return ElementKind::entities; }
  Entity read(std::int64_t max_num) override;
  std::int64_t seek(std::int64_t pos, PosRef ref) override;
  void close() override;
  std::int64_t pos() const override { return pos_; }
  Endpoints endpoints() const override;
  RequiredMode req_mode() const override { return {0x1045, 0xFFFF}; }
  Mode opt_mode() const override { return 0; }

 private:
  void prefetch();

  Generator next_;
  std::int64_t buf_len_;
  std::deque<Entity> buffer_;
  std::int64_t pos_ = 0;
  bool exhausted_ = false;
  bool closed_ = false;
};

}  // namespace versile::stream
