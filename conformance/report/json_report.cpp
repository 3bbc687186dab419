#include "report/reports.hpp"

namespace vpstream::conformance {

nlohmann::json json_report(const RunResult& r) {
  using nlohmann::json;
  json cases = json::array();
  for (const auto& c : r.cases) {
    json expected = json::array();
    for (const auto& o : c.expected) {
      expected.push_back({{"category", to_string(o.category)}, {"label", o.label}, {"grade", to_string(o.grade)}});
    }
    json j = {
        {"name", c.name},
        {"id", c.scenario ? c.scenario->id : c.name},
        {"profile", c.profile},
        {"round", c.round},
        {"verdict", to_string(c.verdict)},
        {"matched", c.matched},
        {"expected", expected},
        {"actual", {{"category", to_string(c.observed.category)}, {"detail", c.observed.detail},
                    {"log", c.observed.log}}},
        {"duration_ms", c.duration.count()},
    };
    if (c.scenario) {
      j["statement"] = c.scenario->statement;
      j["spec"] = c.scenario->spec;
      j["role"] = to_string(c.scenario->role);
      j["strictness"] = to_string(c.scenario->strictness);
      j["tags"] = c.scenario->tags;
    }
    if (c.expectation) {
      j["expectation"] = {{"verdict", to_string(c.expectation->verdict)},
                          {"reason", c.expectation->reason},
                          {"status", to_string(c.expectation_status)}};
    }
    if (c.trace) j["trace"] = "cases/" + case_file_stem(c) + ".vptrace.jsonl";
    cases.push_back(std::move(j));
  }
  json summary = json::object();
  for (Verdict v : {Verdict::pass, Verdict::non_strict, Verdict::informational, Verdict::unimplemented, Verdict::fail}) {
    summary[std::string(to_string(v))] = r.count(v);
  }
  summary["failures"] = r.failures();
  summary["unexpected_passes"] = r.unexpected_passes();
  json per_profile = json::object();
  for (const auto& p : r.profiles) {
    json counts = json::object();
    for (Verdict v : {Verdict::pass, Verdict::non_strict, Verdict::informational, Verdict::unimplemented, Verdict::fail}) {
      counts[std::string(to_string(v))] = r.count(v, p);
    }
    per_profile[p] = counts;
  }
  return {{"format", "vpstream-conform/1"},
          {"target", r.target},
          {"profiles", r.profiles},
          {"rounds", r.rounds},
          {"duration_ms", r.duration.count()},
          {"peer_unreachable", r.peer_unreachable},
          {"peer_died", r.peer_died},
          {"exit_code", r.exit_code()},
          {"summary", summary},
          {"per_profile", per_profile},
          {"cases", cases}};
}

}  // namespace vpstream::conformance
