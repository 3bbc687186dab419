// Sans-I/O VOP transport negotiation (link.md §3.3): one ASCII line from the client listing the
// transports it allows, one line back from the server naming the chosen one. Feed received
// bytes; bytes after the LF are not consumed and belong to the negotiated transport.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>

#include "io/vop_error.hpp"

namespace versile::io {

enum class VopTransport : std::uint8_t { vts = 1, tls = 2, plain = 4 };
std::string_view to_string(VopTransport t) noexcept;

// A set of transports (bit mask of VopTransport).
class VopTransportSet {
 public:
  constexpr VopTransportSet() noexcept = default;
  constexpr VopTransportSet(std::initializer_list<VopTransport> ts) noexcept {
    for (auto t : ts) bits_ |= static_cast<std::uint8_t>(t);
  }
  constexpr bool contains(VopTransport t) const noexcept {
    return (bits_ & static_cast<std::uint8_t>(t)) != 0;
  }
  constexpr void insert(VopTransport t) noexcept { bits_ |= static_cast<std::uint8_t>(t); }
  constexpr bool empty() const noexcept { return bits_ == 0; }
  friend constexpr bool operator==(VopTransportSet, VopTransportSet) = default;

 private:
  std::uint8_t bits_ = 0;
};

inline constexpr std::size_t kVopMaxLine = 64;  // including the LF
inline constexpr std::string_view kVopRequestPrefix = "VOP_DRAFT-0.8 TRANSPORTS:";
inline constexpr std::string_view kVopAnswerPrefix = "VOP_DRAFT-0.8 USE_TRANSPORT:";

// Outcome of one feed(). `consumed` never goes past the LF that completes the line.
struct VopFeedResult {
  enum class Status { need_more, done, error };
  std::size_t consumed = 0;
  Status status = Status::need_more;
  std::error_code error;
};

// Collects one LF-terminated line of at most kVopMaxLine bytes.
class VopLineReader {
 public:
  // need_more, done (line() holds the text without LF) or error line_too_long.
  VopFeedResult feed(std::span<const std::uint8_t> input);
  const std::string& line() const noexcept { return line_; }

 private:
  std::string line_;
};

// The server side: reads the client's TRANSPORTS line and picks by server preference
// VTS > TLS > PLAIN among the offered transports it has enabled.
class VopServerNegotiation {
 public:
  explicit VopServerNegotiation(VopTransportSet enabled = {VopTransport::plain});

  VopFeedResult feed(std::span<const std::uint8_t> input);
  // Valid after done.
  VopTransport chosen() const noexcept { return chosen_; }
  VopTransportSet offered() const noexcept { return offered_; }
  // "VOP_DRAFT-0.8 USE_TRANSPORT:<chosen>\n" — send this after done.
  std::string answer_line() const;

 private:
  VopTransportSet enabled_;
  VopTransportSet offered_;
  VopTransport chosen_ = VopTransport::plain;
  VopLineReader reader_;
  std::optional<std::error_code> final_;
};

// The client side: sends request_line() first, then feeds the server's answer.
class VopClientNegotiation {
 public:
  // An empty set is a local configuration error: request_line() then throws std::system_error
  // (no_transport_enabled).
  explicit VopClientNegotiation(VopTransportSet offered = {VopTransport::plain});

  // "VOP_DRAFT-0.8 TRANSPORTS[:VTS][:TLS][:PLAIN]\n" in this fixed order.
  std::string request_line() const;
  VopFeedResult feed(std::span<const std::uint8_t> input);
  VopTransport chosen() const noexcept { return chosen_; }

 private:
  VopTransportSet offered_;
  VopTransport chosen_ = VopTransport::plain;
  VopLineReader reader_;
  std::optional<std::error_code> final_;
};

// Parses the transport list after "TRANSPORTS:" (exposed for tests and the fuzzer).
std::error_code parse_vop_transport_list(std::string_view list, VopTransportSet& out);
std::optional<VopTransport> parse_vop_transport(std::string_view token) noexcept;

}  // namespace versile::io
