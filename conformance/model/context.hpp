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

#include "faults/fault_record.hpp"
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
  // What the fault transports did in this scenario (bytes moved, cuts).
  const std::shared_ptr<FaultRecord>& fault_record() const noexcept { return fault_record_; }

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
  std::shared_ptr<FaultRecord> fault_record_ = std::make_shared<FaultRecord>();
};

// Driver helpers: end the scenario with an observation when a check does not hold.
[[noreturn]] inline void abort_with(ErrorCategory c, std::string detail) {
  throw ScenarioAbort(Observation::failed(c, std::move(detail)));
}
// A check of something that arrived (a value, a count of what was received): wrong_result.
inline void require(bool condition, const std::string& what) {
  if (!condition) abort_with(ErrorCategory::wrong_result, what);
}
// A wait for something to arrive (a reply, a push, a peer call, a status change) that did not
// see it within the wait: no_response. Under the `cut` profile this is the observation that a
// cut before it explains (see conformance/README.md, "Fault profiles").
inline void require_arrived(bool arrived, const std::string& what) {
  if (!arrived) abort_with(ErrorCategory::no_response, what);
}

}  // namespace vpstream::conformance
