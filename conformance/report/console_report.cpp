#include <iomanip>
#include <map>

#include "report/reports.hpp"

namespace vpstream::conformance {

void print_list(std::ostream& os, const std::vector<const Scenario*>& scenarios) {
  for (const Scenario* s : scenarios) {
    os << std::left << std::setw(28) << s->id << ' ' << std::setw(6) << to_string(s->strictness)
       << ' ' << std::setw(6) << to_string(s->role) << ' ' << s->statement << "  [" << s->spec
       << "]\n";
  }
  os << scenarios.size() << " scenarios\n";
}

void print_summary(std::ostream& os, const RunResult& r) {
  static constexpr Verdict kOrder[] = {Verdict::pass, Verdict::non_strict, Verdict::informational,
                                       Verdict::unimplemented, Verdict::fail};
  os << "\nvpstream conform — target: " << r.target << ", " << r.rounds << " round(s), "
     << r.duration.count() << " ms\n";
  os << std::left << std::setw(12) << "profile";
  for (Verdict v : kOrder) os << std::right << std::setw(15) << to_string(v);
  os << std::right << std::setw(8) << "total" << '\n';
  for (const auto& profile : r.profiles) {
    os << std::left << std::setw(12) << profile;
    std::size_t total = 0;
    for (Verdict v : kOrder) {
      std::size_t n = 0;
      for (const auto& c : r.cases) {
        if (c.profile == profile && c.verdict == v && c.scenario && !c.scenario->sanity) ++n;
      }
      total += n;
      os << std::right << std::setw(15) << n;
    }
    os << std::right << std::setw(8) << total << '\n';
  }
  // Family breakdown for the first profile: where the gaps are.
  std::map<std::string, std::map<Verdict, std::size_t>> families;
  for (const auto& c : r.cases) {
    if (!c.scenario || c.scenario->sanity || c.profile != r.profiles.front()) continue;
    const std::string family = c.scenario->id.substr(0, c.scenario->id.find('-'));
    ++families[family][c.verdict];
  }
  os << '\n' << std::left << std::setw(12) << "family";
  for (Verdict v : kOrder) os << std::right << std::setw(15) << to_string(v);
  os << '\n';
  for (const auto& [family, counts] : families) {
    os << std::left << std::setw(12) << family;
    for (Verdict v : kOrder) {
      auto it = counts.find(v);
      os << std::right << std::setw(15) << (it == counts.end() ? 0 : it->second);
    }
    os << '\n';
  }
  bool header = false;
  for (const auto& c : r.cases) {
    if (!c.counts_as_failure()) continue;
    if (!header) {
      os << "\nFailures:\n";
      header = true;
    }
    os << "  " << c.name << (c.profile != "none" ? " [" + c.profile + "]" : "") << ": "
       << (c.expectation_status == ExpectationStatus::unexpected_pass ? "UNEXPECTED PASS"
                                                                      : std::string(to_string(c.verdict)))
       << " — observed " << to_string(c.observed.category)
       << (c.observed.detail.empty() ? "" : " (" + c.observed.detail + ")") << '\n';
  }
  if (r.peer_unreachable) os << "\nThe sanity case failed before the run: the peer is unreachable or broken.\n";
  if (r.peer_died) os << "\nThe sanity case passed first but failed last: the peer died during the run.\n";
  os << "\nresult: " << (r.exit_code() == 0 ? "OK" : "FAILED") << " (exit " << r.exit_code() << ")\n";
}

}  // namespace vpstream::conformance
