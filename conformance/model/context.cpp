#include "model/context.hpp"

#include <cmath>

namespace vpstream::conformance {

ScenarioContext::ScenarioContext(const Scenario& scenario, Target target, FaultProfile faults,
                                 double timeout_scale, std::uint64_t seed)
    : scenario_(scenario),
      target_(std::move(target)),
      faults_(std::move(faults)),
      timeout_scale_(timeout_scale),
      seed_(seed) {}

std::chrono::milliseconds ScenarioContext::scaled(std::chrono::milliseconds base) const {
  return std::chrono::milliseconds(
      static_cast<std::int64_t>(std::ceil(static_cast<double>(base.count()) * timeout_scale_)));
}

void ScenarioContext::log(std::string line) {
  std::scoped_lock l{mu_};
  log_.push_back(std::move(line));
}

std::vector<std::string> ScenarioContext::take_log() {
  std::scoped_lock l{mu_};
  return std::exchange(log_, {});
}

traces::TraceRecorder& ScenarioContext::recorder() {
  std::scoped_lock l{mu_};
  if (!recorder_) {
    recorder_ = std::make_unique<traces::TraceRecorder>(scenario_.id, scenario_.statement);
  }
  return *recorder_;
}

bool ScenarioContext::has_trace() const { return recorder_ && !recorder_->empty(); }

}  // namespace vpstream::conformance
