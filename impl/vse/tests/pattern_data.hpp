// Streamer data for volume tests and benchmarks: a read-only byte source of any length that
// generates a repeating pattern without holding the whole volume (reads are zero-copy slices of
// one shared block), and a write-only sink that counts what it receives.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "entity/entity.hpp"
#include "vse/stream/constants.hpp"
#include "vse/stream/stream_errors.hpp"
#include "vse/stream/streamer_data.hpp"

namespace versile::stream::testing {

// Byte i of the pattern.
constexpr std::uint8_t pattern_byte(std::uint64_t i) {
  return static_cast<std::uint8_t>((i * 31u + (i >> 8)) & 0xff);
}
// The pattern repeats every kPatternPeriod bytes (so a block slice is valid at any offset).
inline constexpr std::uint64_t kPatternPeriod = 256u * 256u;

class PatternBytesData final : public StreamerData {
 public:
  // max_read bounds the size of one read (the block holds period + max_read bytes).
  PatternBytesData(std::int64_t length, std::int64_t max_read)
      : length_(length), block_(make_block(static_cast<std::size_t>(max_read))) {}

  ElementKind kind() const noexcept override { return ElementKind::bytes; }
  Entity read(std::int64_t max_num) override {
    const std::int64_t n = std::min({max_num, length_ - pos_,
                                     static_cast<std::int64_t>(block_.size() - kPatternPeriod)});
    const auto offset = static_cast<std::size_t>(static_cast<std::uint64_t>(pos_) % kPatternPeriod);
    pos_ += n;
    return Entity(block_.slice(offset, static_cast<std::size_t>(n)));
  }
  std::int64_t seek(std::int64_t pos, PosRef ref) override {
    const std::int64_t target = ref == PosRef::end ? length_ + pos : pos;
    if (target < 0 || target > length_) throw StreamError("Out-of-range seek position");
    return pos_ = target;
  }
  void close() override {}
  std::int64_t pos() const override { return pos_; }
  Endpoints endpoints() const override { return {0, length_}; }
  RequiredMode req_mode() const override { return {0x1045, 0xF3FF}; }
  Mode opt_mode() const override { return 0x0C00; }

 private:
  static Bytes make_block(std::size_t max_read) {
    std::vector<std::uint8_t> v(kPatternPeriod + max_read);
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = pattern_byte(i);
    return Bytes(std::move(v));
  }
  std::int64_t length_;
  std::int64_t pos_ = 0;
  Bytes block_;
};

// Mode of a streamer over CountingSink.
inline constexpr Mode kSinkMode = mode::writable | mode::start_bounded | mode::end_bounded |
                                  mode::end_can_inc | mode::can_move_end;

class CountingSink final : public StreamerData {
 public:
  ElementKind kind() const noexcept override { return ElementKind::bytes; }
  Entity read(std::int64_t) override { return Entity(Bytes()); }
  void write(const Entity& data) override { pos_ += static_cast<std::int64_t>(data.as_bytes().size()); }
  std::int64_t seek(std::int64_t pos, PosRef) override { return pos_ = pos; }
  void close() override {}
  std::int64_t pos() const override { return pos_; }
  Endpoints endpoints() const override { return {0, pos_}; }
  RequiredMode req_mode() const override { return {0, 0}; }
  Mode opt_mode() const override { return kSinkMode; }

 private:
  std::int64_t pos_ = 0;
};

}  // namespace versile::stream::testing
