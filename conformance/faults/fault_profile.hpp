// Fault profiles (--faults): how the transport wrapper mangles delivery. Every write is split
// into pieces (1 byte, or random sizes), delivery may be delayed, and the connection may be cut
// after N bytes. Verdicts must not change, except that a cut may end a scenario with the link
// closed when the scenario says so.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vpstream::conformance {

struct FaultProfile {
  enum class Split { none, one_byte, random };
  std::string name = "none";
  Split split = Split::none;
  std::size_t max_piece = 0;                  // Split::random: pieces of 1..max_piece bytes
  std::chrono::microseconds delay{0};         // per delivered piece
  std::optional<std::size_t> cut_after_bytes; // per direction: bytes delivered before the cut
  // What each byte the fault transports move may add to a scenario's time budget: 1-byte writes
  // cost a system call and a wake-up per byte, so the budget grows while bytes keep moving
  // (runner.cpp); an implementation that stops moving bytes still times out.
  std::chrono::nanoseconds budget_per_byte{0};

  bool active() const noexcept {
    return split != Split::none || delay.count() > 0 || cut_after_bytes.has_value();
  }
  bool cuts() const noexcept { return cut_after_bytes.has_value(); }
};

// The built-in profiles: none, split1, splitrand, delay, cut.
const std::vector<FaultProfile>& builtin_fault_profiles();
// "all" → every built-in profile; otherwise a comma-separated list of names. Empty optional
// on an unknown name.
std::optional<std::vector<FaultProfile>> parse_fault_profiles(const std::string& spec);

}  // namespace vpstream::conformance
