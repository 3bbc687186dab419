// Built-in read-only in-memory streamer data (stream.md §10.2): fixed bytes and fixed entities.
// Position starts at 0, endpoints are always (0, len); the streamer mode must be
// READABLE|START_BOUNDED|END_BOUNDED|FIXED_DATA (0x1045) plus optionally SEEK_REW/SEEK_FWD.
#pragma once

#include <vector>

#include "vse/stream/streamer_data.hpp"

namespace versile::stream {

class FixedBytesData final : public StreamerData {
 public:
  explicit FixedBytesData(Bytes data) : data_(std::move(data)) {}

  ElementKind kind() const noexcept override { return ElementKind::bytes; }
  Entity read(std::int64_t max_num) override;
  std::int64_t seek(std::int64_t pos, PosRef ref) override;
  void close() override { closed_ = true; }
  std::int64_t pos() const override { return pos_; }
  Endpoints endpoints() const override { return {0, static_cast<std::int64_t>(data_.size())}; }
  RequiredMode req_mode() const override;
  Mode opt_mode() const override;

 private:
  Bytes data_;
  std::int64_t pos_ = 0;
  bool closed_ = false;
};

class FixedEntitiesData final : public StreamerData {
 public:
  explicit FixedEntitiesData(Tuple items) : items_(std::move(items)) {}
  explicit FixedEntitiesData(std::vector<Entity> items) : items_(std::move(items)) {}

  ElementKind kind() const noexcept override { return ElementKind::entities; }
  Entity read(std::int64_t max_num) override;
  std::int64_t seek(std::int64_t pos, PosRef ref) override;
  void close() override { closed_ = true; }
  std::int64_t pos() const override { return pos_; }
  Endpoints endpoints() const override { return {0, static_cast<std::int64_t>(items_.size())}; }
  RequiredMode req_mode() const override;
  Mode opt_mode() const override;

 private:
  Tuple items_;
  std::int64_t pos_ = 0;
  bool closed_ = false;
};

// The fixed data mode requirement (0x1045, 0xF3FF) and optional bits (0x0C00).
inline constexpr RequiredMode fixed_data_req_mode{0x1045, 0xF3FF};
inline constexpr Mode fixed_data_opt_mode = 0x0C00;

// Shared seek arithmetic of in-memory data: END → p+len, CURRENT → p+cur, ABS/START → p; the
// result must lie in [0, len] (StreamError otherwise).
std::int64_t fixed_seek_target(std::int64_t pos, PosRef ref, std::int64_t current,
                               std::int64_t length);

}  // namespace versile::stream
