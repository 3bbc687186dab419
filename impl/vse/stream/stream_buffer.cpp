#include "vse/stream/stream_buffer.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

#include "vse/stream/stream_errors.hpp"

namespace versile::stream {

void StreamBuffer::new_context(std::int64_t pos, bool /*can_cache*/) {
  packages_.clear();
  head_offset_ = 0;
  stored_ = 0;
  rpos_ = pos;
  wpos_ = pos;
}

void StreamBuffer::write(const Entity& data, bool advance) {
  if (!valid_data(data)) throw StreamError("Invalid data type");
  const std::size_t n = len_data(data);
  wpos_ += static_cast<std::int64_t>(n);
  if (advance) {
    // Send path: positions only, nothing is kept.
    packages_.clear();
    head_offset_ = 0;
    stored_ = 0;
    rpos_ = wpos_;
    return;
  }
  if (n == 0) return;
  packages_.push_back(data);
  stored_ += n;
}

Entity StreamBuffer::take_from_head(std::size_t max, std::size_t& taken) {
  const Entity& head = packages_.front();
  const std::size_t left = len_data(head) - head_offset_;
  taken = std::min(left, max);
  Entity part = (head_offset_ == 0 && taken == left) ? head : slice(head, head_offset_, taken);
  if (taken == left) {
    packages_.pop_front();
    head_offset_ = 0;
  } else {
    head_offset_ += taken;
  }
  return part;
}

Entity StreamBuffer::read(std::size_t max) {
  const std::size_t want = std::min(max, stored_);
  if (want == 0) return empty_data();
  std::size_t taken = 0;
  Entity result = take_from_head(want, taken);
  if (taken < want) {
    // The request spans packages: collect the parts, then join them into one package.
    std::vector<Entity> parts;
    parts.push_back(std::move(result));
    std::size_t remaining = want - taken;
    while (remaining > 0) {
      parts.push_back(take_from_head(remaining, taken));
      remaining -= taken;
    }
    result = join(parts);
  }
  stored_ -= want;
  rpos_ += static_cast<std::int64_t>(want);
  wpos_ = std::max(wpos_, rpos_);
  return result;
}

std::size_t ByteStreamBuffer::len_data(const Entity& data) const { return data.as_bytes().size(); }

Entity ByteStreamBuffer::slice(const Entity& data, std::size_t offset, std::size_t n) const {
  return Entity(data.as_bytes().slice(offset, n));
}

Entity ByteStreamBuffer::join(std::span<const Entity> parts) const {
  if (parts.size() == 1) return parts.front();
  std::size_t total = 0;
  for (const Entity& p : parts) total += p.as_bytes().size();
  std::vector<std::uint8_t> out(total);
  std::size_t at = 0;
  for (const Entity& p : parts) {
    const Bytes& b = p.as_bytes();
    if (b.size() > 0) std::memcpy(out.data() + at, b.data(), b.size());
    at += b.size();
  }
  return Entity(Bytes(std::move(out)));
}

std::size_t EntityStreamBuffer::len_data(const Entity& data) const {
  return data.as_tuple().size();
}

Entity EntityStreamBuffer::slice(const Entity& data, std::size_t offset, std::size_t n) const {
  const Tuple& t = data.as_tuple();
  offset = std::min(offset, t.size());
  n = std::min(n, t.size() - offset);
  const auto from = t.begin() + static_cast<std::ptrdiff_t>(offset);
  return Entity(Tuple(std::vector<Entity>(from, from + static_cast<std::ptrdiff_t>(n))));
}

Entity EntityStreamBuffer::join(std::span<const Entity> parts) const {
  if (parts.size() == 1) return parts.front();
  std::vector<Entity> items;
  for (const Entity& p : parts) {
    const Tuple& t = p.as_tuple();
    items.insert(items.end(), t.begin(), t.end());
  }
  return Entity(Tuple(std::move(items)));
}

std::unique_ptr<StreamBuffer> make_stream_buffer(ElementKind kind) {
  if (kind == ElementKind::bytes) return std::make_unique<ByteStreamBuffer>();
  return std::make_unique<EntityStreamBuffer>();
}

}  // namespace versile::stream
