// Records a live session into a vp-trace/1 Trace: transports report the chunks they write (a
// tap), drivers mark steps. Thread-safe; the trace is built when finish() is called.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "trace.hpp"

namespace vpstream::traces {

class TraceRecorder {
 public:
  TraceRecorder(std::string scenario, std::string description, std::string side_a = "client link",
                std::string side_b = "server link");

  void chunk(Direction from, std::span<const std::uint8_t> bytes);
  void step(std::string label);
  void eof(Direction from);
  void error(Direction from, std::string what);
  // Stores what the driver observed (summary.observed).
  void observe(const std::string& key, nlohmann::json value);
  bool empty() const;
  // Waits until no chunk arrived for `quiet` (counted from the later of the last chunk and the
  // start of the wait, like the reference recorder's pacing), or until `limit`. False on limit.
  bool wait_quiet(std::chrono::milliseconds quiet, std::chrono::milliseconds limit) const;

  // What a driver that paces itself on arrived traffic needs, kept up to date by catch_up():
  // each direction's bytes so far and where the last step marker put its start in each.
  struct Progress {
    std::size_t events = 0;  // recorded events already folded in
    int step = -1;           // the last step marked; -1 before the first
    std::vector<std::uint8_t> a, b;
    std::size_t step_offset_a = 0, step_offset_b = 0;
  };
  // Folds the events recorded since `p` was last brought up to date into it (only those are
  // copied, so polling stays cheap under 1-byte chunks). False if there were none.
  bool catch_up(Progress& p) const;

  // Decodes the units and returns the finished trace (the recorder can keep recording).
  Trace finish(bool clean_shutdown) const;

 private:
  double now() const;
  mutable std::mutex mu_;
  Trace trace_;
  std::int64_t next_seq_ = 0;
  int next_step_ = 0;
  std::size_t bytes_a_ = 0, bytes_b_ = 0;
  nlohmann::json observed_ = nlohmann::json::object();
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_chunk_ = start_;
};

}  // namespace vpstream::traces
