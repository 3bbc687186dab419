#include "vse/stream/iterator_data.hpp"

#include <exception>
#include <vector>

#include "vse/stream/stream_errors.hpp"

namespace versile::stream {

IteratorEntitiesData::IteratorEntitiesData(Generator next, std::int64_t buf_len)
    : next_(std::move(next)), buf_len_(buf_len < 1 ? 1 : buf_len) {
  prefetch();
}

void IteratorEntitiesData::prefetch() {
  while (!exhausted_ && static_cast<std::int64_t>(buffer_.size()) < buf_len_) {
    std::optional<Entity> item;
    try {
      item = next_ ? next_() : std::nullopt;
    } catch (const StreamException&) {
      throw;
    } catch (const std::exception& e) {
      throw StreamError(std::string("Iterator source failed: ") + e.what());
    }
    if (!item) {
      exhausted_ = true;
      next_ = nullptr;  // release the source's resources early
      break;
    }
    buffer_.push_back(std::move(*item));
  }
}

Entity IteratorEntitiesData::read(std::int64_t max_num) {
  if (closed_) throw StreamError("Streamer data was closed");
  std::vector<Entity> out;
  while (static_cast<std::int64_t>(out.size()) < max_num) {
    if (buffer_.empty()) prefetch();
    if (buffer_.empty()) break;
    out.push_back(std::move(buffer_.front()));
    buffer_.pop_front();
  }
  pos_ += static_cast<std::int64_t>(out.size());
  prefetch();
  return Entity(Tuple(std::move(out)));
}

std::int64_t IteratorEntitiesData::seek(std::int64_t, PosRef) {
  throw StreamError("Iterator data does not support seek");
}

void IteratorEntitiesData::close() {
  closed_ = true;
  buffer_.clear();
  next_ = nullptr;
}

Endpoints IteratorEntitiesData::endpoints() const {
  if (closed_) throw StreamError("Streamer data was closed");
  return {pos_, pos_ + static_cast<std::int64_t>(buffer_.size())};
}

}  // namespace versile::stream
