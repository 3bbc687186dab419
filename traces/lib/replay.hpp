// Replay support: checks that recorded traces make sense to this implementation.
//  - decoding: the project's codec splits each direction's bytes into exactly the recorded
//    units, with the recorded VEJ;
//  - re-encoding: each decoded unit re-encodes to exactly its recorded bytes;
//  - live equivalence: a trace recorded from vpstream running the same client script is
//    equivalent to the recording under the FORMAT.md comparison (compare.hpp).
#pragma once

#include <string>
#include <vector>

#include "compare.hpp"
#include "trace.hpp"

namespace vpstream::traces {

struct ReplayMismatch {
  Direction direction = Direction::a;
  std::size_t index = 0;
  std::string what;
};

// Empty when every unit of both directions decodes to its recorded length and VEJ.
std::vector<ReplayMismatch> check_decoding(const Trace& recorded);
// Empty when every message unit re-encodes to its recorded bytes (false without a codec).
std::vector<ReplayMismatch> check_reencoding(const Trace& recorded);

}  // namespace vpstream::traces
