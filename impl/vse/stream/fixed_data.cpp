#include "vse/stream/fixed_data.hpp"

#include <algorithm>

#include "vse/stream/stream_errors.hpp"

namespace versile::stream {

std::int64_t fixed_seek_target(std::int64_t pos, PosRef ref, std::int64_t current,
                               std::int64_t length) {
  std::int64_t base = 0;
  switch (ref) {
    case PosRef::abs:
    case PosRef::start: base = 0; break;
    case PosRef::end: base = length; break;
    case PosRef::current: base = current; break;
    default: throw StreamError("Invalid seek pos reference");
  }
  std::int64_t target = 0;
  if (__builtin_add_overflow(base, pos, &target) || target < 0 || target > length) {
    throw StreamError("Out-of-range seek position");
  }
  return target;
}

namespace {
std::int64_t take(std::int64_t pos, std::int64_t max_num, std::int64_t length) {
  if (max_num <= 0 || pos >= length) return 0;
  return std::min(max_num, length - pos);
}
}  // namespace

Entity FixedBytesData::read(std::int64_t max_num) {
  if (closed_) throw StreamError("Streamer data was closed");
  const auto n = take(pos_, max_num, static_cast<std::int64_t>(data_.size()));
  Bytes out = data_.slice(static_cast<std::size_t>(pos_), static_cast<std::size_t>(n));
  pos_ += n;
  return Entity(std::move(out));
}

std::int64_t FixedBytesData::seek(std::int64_t pos, PosRef ref) {
  if (closed_) throw StreamError("Streamer data was closed");
  pos_ = fixed_seek_target(pos, ref, pos_, static_cast<std::int64_t>(data_.size()));
  return pos_;
}

RequiredMode FixedBytesData::req_mode() const { return fixed_data_req_mode; }
Mode FixedBytesData::opt_mode() const { return fixed_data_opt_mode; }

Entity FixedEntitiesData::read(std::int64_t max_num) {
  if (closed_) throw StreamError("Streamer data was closed");
  const auto n = take(pos_, max_num, static_cast<std::int64_t>(items_.size()));
  const auto first = items_.begin() + pos_;
  std::vector<Entity> out(first, first + n);
  pos_ += n;
  return Entity(Tuple(std::move(out)));
}

std::int64_t FixedEntitiesData::seek(std::int64_t pos, PosRef ref) {
  if (closed_) throw StreamError("Streamer data was closed");
  pos_ = fixed_seek_target(pos, ref, pos_, static_cast<std::int64_t>(items_.size()));
  return pos_;
}

RequiredMode FixedEntitiesData::req_mode() const { return fixed_data_req_mode; }
Mode FixedEntitiesData::opt_mode() const { return fixed_data_opt_mode; }

}  // namespace versile::stream
