// Shared helpers for the codec tests: hex, chunked decoding, a configurable ReferenceResolver.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_set>
#include <vector>

#include "codec/decoder.hpp"
#include "codec/error.hpp"
#include "codec/reference_resolver.hpp"
#include "entity/entity.hpp"

namespace versile::codec::testing {

inline std::vector<std::uint8_t> from_hex(std::string_view hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    throw std::invalid_argument("bad hex digit");
  };
  if (hex.size() % 2 != 0) throw std::invalid_argument("odd hex length");
  std::vector<std::uint8_t> out(hex.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<std::uint8_t>(nibble(hex[2 * i]) * 16 + nibble(hex[2 * i + 1]));
  }
  return out;
}

inline std::string to_hex(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (std::uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

// Resolver for tests: fc ids become raw sender refs; fd ids are accepted only when owned.
class TestResolver : public ReferenceResolver {
 public:
  static TestResolver owning_everything() {
    TestResolver r;
    r.owns_all_ = true;
    return r;
  }
  static TestResolver owning_nothing() { return TestResolver(); }
  void own(Integer id) { owned_.insert(std::move(id)); }

  std::error_code encode_ref(const ObjectRef& ref, WireRef& out) override {
    ++encode_calls;
    if (ref.is_raw()) {
      out = WireRef{ref.raw_owner(), ref.raw_id()};
      return {};
    }
    out = WireRef{ObjectRef::Owner::sender, Integer(next_id_++)};
    return {};
  }
  std::error_code decode_ref(const WireRef& ref, ObjectRef& out) override {
    ++decode_calls;
    if (ref.owner == ObjectRef::Owner::receiver && !owns_all_ && !owned_.contains(ref.id)) {
      return Errc::unknown_remote_id;
    }
    out = ObjectRef::raw(ref.owner, ref.id);
    return {};
  }

  int encode_calls = 0;
  int decode_calls = 0;

 private:
  bool owns_all_ = false;
  std::unordered_set<Integer> owned_;
  std::int64_t next_id_ = 1;
};

struct ChunkedResult {
  Decoder::Status status = Decoder::Status::need_more;
  std::error_code error;
  std::size_t consumed = 0;
  std::optional<Entity> entity;
};

// Feeds `input` in chunks of the sizes produced by `next_size` (called repeatedly) and stops at
// the first complete entity or error. Fails the check if the decoder reads past an entity.
inline ChunkedResult decode_chunked(std::span<const std::uint8_t> input,
                                    const std::function<std::size_t()>& next_size,
                                    const DecodeOptions& opts = {}) {
  Decoder d(opts);
  ChunkedResult out;
  std::size_t pos = 0;
  while (true) {
    const std::size_t n = std::min(next_size(), input.size() - pos);
    const Decoder::Result r = d.feed(input.subspan(pos, n));
    if (r.consumed > n) throw std::logic_error("decoder consumed more than it was given");
    pos += r.consumed;
    out.consumed = pos;
    out.status = r.status;
    out.error = r.error;
    if (r.status == Decoder::Status::complete) {
      out.entity = d.take();
      return out;
    }
    if (r.status == Decoder::Status::error) return out;
    if (r.consumed < n) throw std::logic_error("decoder stopped early without a result");
    if (pos == input.size()) return out;
  }
}

inline ChunkedResult decode_bytewise(std::span<const std::uint8_t> input, const DecodeOptions& opts = {}) {
  return decode_chunked(input, [] { return std::size_t{1}; }, opts);
}

inline ChunkedResult decode_split(std::span<const std::uint8_t> input, std::size_t split,
                                  const DecodeOptions& opts = {}) {
  bool first = true;
  return decode_chunked(
      input,
      [&]() -> std::size_t {
        if (first) {
          first = false;
          return split;
        }
        return input.size();
      },
      opts);
}

inline ChunkedResult decode_random_chunks(std::span<const std::uint8_t> input, std::uint64_t seed,
                                          std::size_t max_chunk, const DecodeOptions& opts = {}) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::size_t> dist(0, max_chunk);
  return decode_chunked(input, [&] { return dist(rng); }, opts);
}

}  // namespace versile::codec::testing
