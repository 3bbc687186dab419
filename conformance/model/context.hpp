// What a driver gets to work with: the target, the fault profile in force, the time scale, a
// log, and the trace recorder that the transport tap writes into.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "faults/fault_profile.hpp"
#include "model/scenario.hpp"
#include "recorder.hpp"

namespace vpstream::conformance {

struct Target {
  enum class Kind { loopback, peer };
  Kind kind = Kind::loopback;
  std::string url;  // vop://HOST:PORT for Kind::peer
  std::string describe() const { return kind == Kind::loopback ? "loopback (link_pair)" : url; }
};

class ScenarioContext {
 public:
  ScenarioContext(const Scenario& scenario, Target target, FaultProfile faults,
                  double timeout_scale, std::uint64_t seed);

  const Scenario& scenario() const noexcept { return scenario_; }
  const Target& target() const noexcept { return target_; }
  const FaultProfile& faults() const noexcept { return faults_; }
  std::uint64_t seed() const noexcept { return seed_; }
  // A wait of `base` under --timeout-scale.
  std::chrono::milliseconds scaled(std::chrono::milliseconds base) const;

  void log(std::string line);
  std::vector<std::string> take_log();

  // The recorder a transport tap writes into; created on first use.
  traces::TraceRecorder& recorder();
  bool has_trace() const;
  const traces::TraceRecorder* recorder_if_any() const { return recorder_.get(); }

 private:
  const Scenario& scenario_;
  Target target_;
  FaultProfile faults_;
  double timeout_scale_;
  std::uint64_t seed_;
  std::mutex mu_;
  std::vector<std::string> log_;
  std::unique_ptr<traces::TraceRecorder> recorder_;
};

// Driver helpers: end the scenario with an observation when a check does not hold.
[[noreturn]] inline void abort_with(ErrorCategory c, std::string detail) {
  throw ScenarioAbort(Observation::failed(c, std::move(detail)));
}
inline void require(bool condition, const std::string& what) {
  if (!condition) abort_with(ErrorCategory::wrong_result, what);
}

}  // namespace vpstream::conformance
