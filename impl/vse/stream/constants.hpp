// Wire-visible constants of the VSE stream protocol (stream.md §3): mode flags, position
// references, context error codes and the reference defaults.
#pragma once

#include <cstdint>
#include <optional>

namespace versile::stream {

// A streamer mode: a bit set of the flags below (stream.md §3.1). Bit values travel on the wire
// (proxy tag, connect result), so they must never change.
using Mode = std::uint64_t;

namespace mode {
inline constexpr Mode readable = 0x0001;        // peer may open read contexts
inline constexpr Mode writable = 0x0002;        // peer may open write contexts
inline constexpr Mode start_bounded = 0x0004;   // data has a bounded start position
inline constexpr Mode start_can_dec = 0x0008;   // start position may decrease
inline constexpr Mode start_can_inc = 0x0010;   // start position may increase
inline constexpr Mode can_move_start = 0x0020;  // the peer may move the start (trunc_before)
inline constexpr Mode end_bounded = 0x0040;     // data has a bounded end position
inline constexpr Mode end_can_dec = 0x0080;     // end position may decrease
inline constexpr Mode end_can_inc = 0x0100;     // end position may increase
inline constexpr Mode can_move_end = 0x0200;    // the peer may move the end (trunc_after, append)
inline constexpr Mode seek_rew = 0x0400;        // seeking backwards allowed
inline constexpr Mode seek_fwd = 0x0800;        // seeking forwards allowed
inline constexpr Mode fixed_data = 0x1000;      // data can never change
inline constexpr Mode data_lock = 0x2000;       // only this streamer may modify data
inline constexpr Mode start_lock = 0x4000;      // only this streamer may move start
inline constexpr Mode end_lock = 0x8000;        // only this streamer may move end

// All flags defined by the protocol; higher bits are unknown (but not invalid, §3.1).
inline constexpr Mode all_known = 0xFFFF;

// The validation rule of §3.1 (used by both sides). Unknown bits are not rejected (REF).
constexpr bool validate(Mode m) noexcept {
  if ((m & (readable | writable)) == 0) return false;
  if ((m & writable) && (m & fixed_data)) return false;
  if ((m & can_move_start) && !(m & (start_can_dec | start_can_inc))) return false;
  if ((m & can_move_end) && !(m & (end_can_dec | end_can_inc))) return false;
  return true;
}

constexpr bool has(Mode m, Mode flags) noexcept { return (m & flags) == flags; }
constexpr bool can_seek(Mode m) noexcept { return (m & (seek_rew | seek_fwd)) != 0; }
}  // namespace mode

// Position references (stream.md §3.2). CURRENT is local only: the peer converts it to ABS
// before sending, and a streamer receiving it fails the stream.
enum class PosRef : int {
  abs = 1,
  start = 2,
  end = 3,
  current = 4,
};

// True for the codes that may appear in a peer_read_start / peer_write_start call.
constexpr bool is_wire_pos_ref(std::int64_t code) noexcept { return code >= 1 && code <= 3; }
// The reference for a wire code, or nullopt for anything that is not 1..3.
constexpr std::optional<PosRef> wire_pos_ref(std::int64_t code) noexcept {
  if (!is_wire_pos_ref(code)) return std::nullopt;
  return static_cast<PosRef>(code);
}

// Context error codes carried by peer_error (stream.md §3.3). Any other integer is a general
// error for the receiver.
enum class ContextErrorCode : int {
  general = 1,
  invalid_pos = 2,
};

// Element type of a stream: bytes (package = Bytes) or entities (package = Tuple).
enum class ElementKind : std::uint8_t { bytes, entities };

// Reference defaults (stream.md §3.4).
namespace defaults {
inline constexpr std::int64_t byte_pkg = 10;              // _BPKG: outstanding push packages
inline constexpr std::int64_t byte_size = 1'000'000;      // _BSIZE: elements per package
inline constexpr std::int64_t byte_w_lim = 10'000'000;    // _BLIM: streamer write-ahead
inline constexpr std::int64_t entity_pkg = 10;            // _EPKG
inline constexpr std::int64_t entity_size = 1'000;        // _ESIZE (also iterator prefetch)
inline constexpr std::int64_t entity_w_lim = 10'000;      // _ELIM
inline constexpr std::int64_t max_calls = 5;              // _CALLS: calls beyond push packages

constexpr std::int64_t pkg(ElementKind k) noexcept {
  return k == ElementKind::bytes ? byte_pkg : entity_pkg;
}
constexpr std::int64_t size(ElementKind k) noexcept {
  return k == ElementKind::bytes ? byte_size : entity_size;
}
constexpr std::int64_t w_lim(ElementKind k) noexcept {
  return k == ElementKind::bytes ? byte_w_lim : entity_w_lim;
}
// ⌈n/2⌉: the default step for a limit n (write-ahead and read-ahead, §3.4).
constexpr std::int64_t half_step(std::int64_t n) noexcept { return n / 2 + n % 2; }
}  // namespace defaults

// Sanity caps for values a counterpart offers (§12.1 #18: call windows are not capped by the
// protocol; we clamp hostile huge values so counters and queues stay bounded).
namespace caps {
inline constexpr std::int64_t max_call_lim = 1 << 16;
inline constexpr std::int64_t max_pkg = 1 << 16;
inline constexpr std::int64_t max_package_size = 1LL << 32;
// Relative positions and limits are kept below this so sums never overflow int64.
inline constexpr std::int64_t max_position = 1LL << 62;
}  // namespace caps

}  // namespace versile::stream
