// The FORMAT.md comparison: per direction and per step, the multiset of normalized unit
// signatures (msg_id dropped; the call id in CALL_RESULT / CALL_EXCEPTION / CALL_ERROR replaced
// by the signature of the call it answers, found in the other direction).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "trace.hpp"

namespace vpstream::traces {

// VOL message codes (link.md §5.2).
enum class MessageCode : int {
  method_call = 1, method_call_void_result = 2, method_call_no_return = 3, call_result = 4,
  call_exception = 5, call_error = 6, notify_deref = 7, confirm_deref = 8, keep_alive = 9,
};
const char* message_code_name(int code) noexcept;

// The normalized signature of every unit, keyed like the units (direction, index).
struct Signatures {
  // (direction, step) → signatures (JSON text, sorted so equal multisets compare equal).
  std::map<std::pair<Direction, int>, std::vector<std::string>> by_step;
  std::map<std::pair<Direction, std::size_t>, std::string> by_unit;
};
Signatures signatures(const Trace& trace);

struct StepDifference {
  Direction direction = Direction::a;
  int step = 0;
  std::vector<std::string> only_left;   // in the left trace's multiset, not the right's
  std::vector<std::string> only_right;
};

struct Comparison {
  bool equivalent = true;
  std::vector<StepDifference> differences;
  std::vector<std::string> notes;  // e.g. step label / count mismatches (not graded)
};

// Two traces are equivalent iff the per-direction, per-step multisets are equal.
Comparison compare(const Trace& left, const Trace& right);
// Human-readable report of a comparison (used by `vpstream trace diff`).
std::string describe(const Comparison& c);

}  // namespace vpstream::traces
