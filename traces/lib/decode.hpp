// Splitting a direction's byte stream into protocol units (VEC header line, then whole
// entities) with the project's codec, and describing them for people.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "trace.hpp"

namespace vpstream::traces {

// Length of a leading VOP negotiation line (`VOP_DRAFT-...\n`, ≤ 64 bytes), else 0.
std::size_t vop_line_length(std::span<const std::uint8_t> stream) noexcept;

// Decodes `stream` into units (handshake line, messages, a trailing partial). A leading VOP
// negotiation line is transport, not a unit: it is skipped, and offsets stay positions in
// `stream` itself (so they match the step markers' offsets). step / end_seq are left 0
// (assign_timeline fills them in).
std::vector<Unit> decode_units(std::span<const std::uint8_t> stream, Direction from);

// Fills each unit's `step` (last step marker at or before its first byte) and `end_seq` (the
// raw chunk carrying its last byte) from the trace's events.
void assign_timeline(Trace& trace);

// Replaces the units of `trace` with freshly decoded ones (both directions) and fills summary
// unit / byte counts and eof flags.
void rebuild_units(Trace& trace);

// "#5 METHOD_CALL {remote:2}.add(2, 3)"-style one-line description of a message VEJ.
std::string describe_unit(const Unit& unit);

}  // namespace vpstream::traces
