#include "codec/output_buffer.hpp"

#include <algorithm>
#include <cstring>

namespace versile::codec {

namespace {
// Owned bytes go into arena blocks of at least this size, so many small appends share one.
constexpr std::size_t kArenaBlock = 4096;
// Shared payloads smaller than this are copied: a separate chunk (and a gather entry for the
// writer) costs more than copying a few hundred bytes.
constexpr std::size_t kShareThreshold = 256;
}  // namespace

void OutputBuffer::append_copy(std::span<const std::uint8_t> bytes) {
  if (bytes.empty()) return;
  const std::size_t n = bytes.size();
  if (arena_.empty() || arena_.back().capacity() - arena_.back().size() < n) {
    arena_.emplace_back();
    arena_.back().reserve(std::max(kArenaBlock, n));
  }
  const std::size_t index = arena_.size() - 1;
  auto& block = arena_.back();
  const std::size_t offset = block.size();
  block.insert(block.end(), bytes.begin(), bytes.end());

  // Extend the previous segment when it ends exactly where these bytes start.
  if (!segments_.empty()) {
    Segment& last = segments_.back();
    if (!last.owner && last.arena_index == index && last.offset + last.size == offset) {
      last.size += n;
      total_ += n;
      chunks_valid_ = false;
      return;
    }
  }
  segments_.push_back(Segment{nullptr, index, nullptr, offset, n});
  total_ += n;
  chunks_valid_ = false;
}

void OutputBuffer::append_byte(std::uint8_t b) { append_copy(std::span<const std::uint8_t>(&b, 1)); }

void OutputBuffer::append_shared(std::shared_ptr<const std::uint8_t> owner, const std::uint8_t* data,
                                 std::size_t size) {
  if (size == 0) return;
  if (size < kShareThreshold || !owner) {
    append_copy(std::span<const std::uint8_t>(data, size));
    return;
  }
  segments_.push_back(Segment{std::move(owner), 0, data, 0, size});
  total_ += size;
  chunks_valid_ = false;
}

std::span<const OutputBuffer::Chunk> OutputBuffer::chunks() const {
  if (!chunks_valid_) {
    chunks_.clear();
    chunks_.reserve(segments_.size());
    for (const Segment& s : segments_) {
      const std::uint8_t* p = s.owner ? s.data : arena_[s.arena_index].data() + s.offset;
      chunks_.push_back(Chunk{p, s.size});
    }
    chunks_valid_ = true;
  }
  return chunks_;
}

std::vector<std::uint8_t> OutputBuffer::flatten() const {
  std::vector<std::uint8_t> out(total_);
  std::size_t pos = 0;
  for (const Chunk& c : chunks()) {
    std::memcpy(out.data() + pos, c.data, c.size);
    pos += c.size;
  }
  return out;
}

void OutputBuffer::clear() {
  arena_.clear();
  segments_.clear();
  chunks_.clear();
  chunks_valid_ = false;
  total_ = 0;
}

}  // namespace versile::codec
