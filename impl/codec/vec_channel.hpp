// The VEC entity channel on a byte stream (entities.md §9, link.md §3.1): a hello line each
// way, then concatenated explicit entities. Sans-I/O: feed received bytes, pull entities.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "codec/decoder.hpp"

namespace versile::codec {

// "VEC_DRAFT-0.8-utf8\n" (or without the codec part).
std::string vec_hello_line(std::optional<StringCodec> own_codec = StringCodec::utf8);

// Maximum length of a VEC hello line including its LF (entities.md §9).
inline constexpr std::size_t kVecHelloMaxBytes = 32;

// Parses the peer's VEC hello line (≤ 32 bytes including LF). Consumes exactly the line, so
// bytes after the LF (entity data) stay with the caller. After an error it stays failed.
class VecHelloParser {
 public:
  enum class Status { need_more, done, error };
  struct Result {
    std::size_t consumed = 0;
    Status status = Status::need_more;
    std::error_code error;
  };
  Result feed(std::span<const std::uint8_t> input);
  // Valid after `done`: the peer's codec for f4 strings (nullopt = none announced).
  std::optional<StringCodec> peer_codec() const noexcept { return codec_; }

 private:
  std::error_code parse_line();
  std::string line_;
  std::optional<StringCodec> codec_;
  std::error_code error_;
  bool done_ = false;
};

// Parses a codec token as accepted in f5 names (case-insensitive utf8/utf16, optional -/_).
std::optional<StringCodec> parse_codec_name(std::string_view name) noexcept;

}  // namespace versile::codec
