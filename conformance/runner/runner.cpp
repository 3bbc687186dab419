#include "runner/runner.hpp"

#include "scenarios/session.hpp"

#include <algorithm>
#include <atomic>
#include <future>
#include <mutex>
#include <thread>

namespace vpstream::conformance {
namespace {

std::atomic<bool> g_abandoned{false};

Observation run_driver(const Driver& driver, ScenarioContext& ctx) {
  try {
    return driver(ctx);
  } catch (const ScenarioAbort& a) {
    return a.observation;
  } catch (const std::exception& e) {
    // An API error the driver did not handle is still an outcome of the implementation
    // (e.g. the link lost under a cut); only unknown exceptions are harness errors.
    return Observation::failed(category_of(e), std::string("driver threw: ") + e.what());
  } catch (...) {
    return Observation::failed(ErrorCategory::harness_error, "driver threw a non-exception");
  }
}

// Waits for the driver: the scenario's budget, extended under a profile that makes each byte
// expensive by budget_per_byte for every byte the fault transports moved (at most
// kMaxBudgetGrowth budgets in all). A transfer that keeps moving gets the time its bytes need;
// an implementation that stops moving bytes times out. True if the driver finished.
constexpr int kMaxBudgetGrowth = 12;
bool wait_with_byte_allowance(std::future<Observation>& future, std::chrono::steady_clock::time_point start,
                              std::chrono::milliseconds budget, const FaultProfile& profile, const ScenarioContext& ctx) {
  auto deadline = start + budget;
  for (;;) {
    if (future.wait_until(deadline) == std::future_status::ready) return true;
    const auto per_byte = std::chrono::duration<double, std::nano>(profile.budget_per_byte) *
                          static_cast<double>(ctx.fault_record()->bytes_written());
    const auto allowance = std::min(ctx.scaled(std::chrono::duration_cast<std::chrono::milliseconds>(per_byte)),
                                    budget * (kMaxBudgetGrowth - 1));
    const auto extended = start + budget + allowance;
    if (extended <= deadline) return false;
    deadline = extended;
  }
}

}  // namespace

bool abandoned_drivers() noexcept { return g_abandoned.load(); }

bool CaseResult::counts_as_failure() const noexcept {
  if (expectation_status == ExpectationStatus::expected) return false;
  if (expectation_status == ExpectationStatus::unexpected_pass) return true;
  return verdict == Verdict::fail;
}

std::size_t RunResult::count(Verdict v) const {
  std::size_t n = 0;
  for (const auto& c : cases) n += c.verdict == v;
  return n;
}
std::size_t RunResult::count(Verdict v, const std::string& profile) const {
  std::size_t n = 0;
  for (const auto& c : cases) n += c.verdict == v && c.profile == profile;
  return n;
}
std::size_t RunResult::failures() const {
  std::size_t n = 0;
  for (const auto& c : cases) n += c.counts_as_failure();
  return n;
}
std::size_t RunResult::unexpected_passes() const {
  std::size_t n = 0;
  for (const auto& c : cases) n += c.expectation_status == ExpectationStatus::unexpected_pass;
  return n;
}
int RunResult::exit_code() const {
  if (peer_unreachable || peer_died) return 3;
  return failures() ? 1 : 0;
}

CaseResult run_case(const Scenario& s, const RunOptions& options, const FaultProfile& profile,
                    std::uint64_t seed) {
  CaseResult r;
  r.scenario = &s;
  r.name = s.id;
  r.profile = profile.name;
  r.expected = accepted_outcomes(s, profile);
  auto ctx = std::make_shared<ScenarioContext>(s, options.target, profile, options.timeout_scale, seed);
  const auto start = std::chrono::steady_clock::now();
  // The driver runs on its own thread so a hung implementation cannot hang the harness.
  auto promise = std::make_shared<std::promise<Observation>>();
  auto future = promise->get_future();
  // The thread owns a copy of the driver: an abandoned driver may outlive the catalogue.
  std::thread worker([driver = s.driver, ctx, promise] { promise->set_value(run_driver(driver, *ctx)); });
  const auto budget = ctx->scaled(s.budget);
  if (wait_with_byte_allowance(future, start, budget, profile, *ctx)) {
    worker.join();
    r.observed = attribute_to_cut(s, future.get(), profile, *ctx->fault_record());
  } else {
    worker.detach();
    g_abandoned = true;
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    r.observed = Observation::failed(ErrorCategory::timeout,
                                     "no outcome within " + std::to_string(waited.count()) + " ms (budget " +
                                         std::to_string(budget.count()) + " ms + allowance for " +
                                         std::to_string(ctx->fault_record()->bytes_written()) + " bytes moved)");
    r.duration = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    const Grade g = grade(s, r.observed, profile, ctx->fault_record().get());
    r.verdict = g.verdict;
    return r;  // the context is still in use by the abandoned driver: no log, no trace
  }
  r.duration = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  auto log = ctx->take_log();
  r.observed.log.insert(r.observed.log.begin(), log.begin(), log.end());
  const Grade g = grade(s, r.observed, profile, ctx->fault_record().get());
  r.verdict = g.verdict;
  r.matched = g.matched;
  if (options.keep_traces && ctx->has_trace()) {
    try {
      r.trace = ctx->recorder_if_any()->finish(r.observed.category == ErrorCategory::success);
    } catch (const std::exception& e) {
      r.observed.log.push_back(std::string("trace not decodable: ") + e.what());
    }
  }
  return r;
}

namespace {

class Progress {
 public:
  Progress(const RunOptions& o, std::size_t total) : o_(o), total_(total) {}
  void report(const CaseResult& r) {
    if (!o_.progress) return;
    std::scoped_lock l{mu_};
    ++done_;
    auto& os = *o_.progress;
    const bool notable = r.verdict != Verdict::pass || r.counts_as_failure();
    if (o_.progress_inline) {
      os << "\r\033[K";
      if (notable) os << line(r) << '\n';
      os << '[' << done_ << '/' << total_ << "] " << r.name << std::flush;
    } else {
      os << line(r) << '\n';
    }
  }
  void finish() {
    if (o_.progress && o_.progress_inline) *o_.progress << "\r\033[K" << std::flush;
  }

 private:
  std::string line(const CaseResult& r) const {
    std::string s = "[" + std::to_string(done_) + "/" + std::to_string(total_) + "] ";
    std::string v{to_string(r.verdict)};
    v.resize(13, ' ');
    s += v + " " + r.name;
    if (r.profile != "none") s += " [" + r.profile + "]";
    if (r.expectation_status != ExpectationStatus::none) s += " (" + std::string(to_string(r.expectation_status)) + ")";
    if (r.verdict != Verdict::pass && !r.observed.detail.empty()) s += " — " + r.observed.detail;
    return s;
  }
  const RunOptions& o_;
  std::size_t total_;
  std::size_t done_ = 0;
  std::mutex mu_;
};

void apply_expectation(CaseResult& r, const RunOptions& options) {
  r.expectation = options.expectations.match(r.scenario->id);
  r.expectation_status = Expectations::status(r.expectation, r.verdict);
}

}  // namespace

RunResult run(const Catalogue& catalogue, const RunOptions& options) {
  RunResult result;
  result.target = options.target.describe();
  for (const auto& p : options.profiles) result.profiles.push_back(p.name);
  const auto start = std::chrono::steady_clock::now();
  const auto selected = catalogue.select(options.filters, options.target);
  const auto sanity = catalogue.sanity();
  const std::size_t per_round = (selected.size() * options.profiles.size()) + 2 * sanity.size();
  Progress progress(options, per_round * static_cast<std::size_t>(std::max(1, options.repeat)));
  std::uint64_t seed = options.seed;
  int current_round = 1;

  auto run_sanity = [&](const char* phase) {
    bool ok = true;
    for (const Scenario* s : sanity) {
      CaseResult r = run_case(*s, options, FaultProfile{}, seed++);
      r.name = s->id + " (" + phase + ")";
      r.round = current_round;
      apply_expectation(r, options);
      ok = ok && r.verdict != Verdict::fail;  // only a FAIL makes the target untestable
      progress.report(r);
      result.cases.push_back(std::move(r));
    }
    return ok;
  };

  for (int round = 1; round <= std::max(1, options.repeat); ++round) {
    result.rounds = round;
    current_round = round;
    // An unreachable peer still leaves the scenarios that need no transport (codec, vectors,
    // recorded-trace replays) worth running.
    std::vector<const Scenario*> runnable = selected;
    if (!run_sanity("first")) {
      result.peer_unreachable = true;
      std::erase_if(runnable, [](const Scenario* s) { return s->uses_transport; });
    }
    for (const auto& profile : options.profiles) {
      std::vector<CaseResult> round_results(runnable.size());
      std::atomic<std::size_t> next{0};
      const std::uint64_t round_seed = seed;
      auto work = [&] {
        for (std::size_t i = next++; i < runnable.size(); i = next++) {
          CaseResult r = run_case(*runnable[i], options, profile, round_seed + i);
          r.round = round;
          apply_expectation(r, options);
          progress.report(r);
          round_results[i] = std::move(r);
        }
      };
      std::vector<std::thread> workers;
      for (int j = 1; j < std::max(1, options.jobs); ++j) workers.emplace_back(work);
      work();
      for (auto& w : workers) w.join();
      seed += selected.size();
      for (auto& r : round_results) result.cases.push_back(std::move(r));
    }
    if (result.peer_unreachable) break;
    if (!run_sanity("last")) {
      result.peer_died = true;
      break;
    }
    if (result.failures()) break;  // --repeat: repeat until failure
  }
  progress.finish();
  result.duration = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  return result;
}

}  // namespace vpstream::conformance
