// REPLAY-*: the traces in traces/reference as scenarios. DECODE and REENCODE replay the
// recorded bytes through this implementation's codec; LIVE runs the trace's client script
// against vpstream over a tapped link_pair and compares the recording per direction and step
// (FORMAT.md multiset rule).
#include "model/reference_data.hpp"
#include "replay.hpp"
#include "scenarios/replay_live.hpp"
#include "scenarios/support.hpp"
#include "trace_io.hpp"

namespace vpstream::conformance {
namespace {

Observation mismatches(const std::vector<traces::ReplayMismatch>& m, ScenarioContext& ctx) {
  if (m.empty()) return Observation::ok();
  for (const auto& x : m) {
    ctx.log(std::string("direction ") + traces::to_string(x.direction) + " unit " + std::to_string(x.index) + ": " + x.what);
  }
  return Observation::failed(ErrorCategory::wrong_result,
                             std::to_string(m.size()) + " unit(s) differ, first: " + m.front().what);
}

traces::Trace load(const std::string& name) {
  try {
    return traces::read_trace_file(reference_dir() / (name + ".vptrace.jsonl"));
  } catch (const std::exception& e) {
    abort_with(ErrorCategory::harness_error, e.what());
  }
}

}  // namespace

void add_replay_scenarios(Catalogue& c) {
  const auto live = replay_live_drivers();
  for (const char* name : {"call-basics", "entity-iterator", "fixed-bytes-read", "recipe-bytes", "recipe-entity",
                           "seek-and-reread"}) {
    std::string upper;
    for (const char* p = name; *p; ++p) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(*p)));
    const std::string file = std::string("traces/reference/") + name + ".vptrace.jsonl";
    ScenarioSpec dec{"REPLAY-" + upper + "-DECODE", "the recorded bytes of both directions decode into exactly the recorded units",
                     file + "; FORMAT.md \"Unit lines\"", Role::link};
    dec.tags = {"replay", "codec"};
    dec.uses_transport = false;
    ScenarioSpec enc{"REPLAY-" + upper + "-REENCODE", "every recorded message re-encodes to exactly its recorded bytes",
                     file + "; entities.md §6, §7", Role::link};
    enc.tags = {"replay", "codec"};
    enc.uses_transport = false;
    ScenarioSpec run{"REPLAY-" + upper + "-LIVE",
                     "the trace's client script against vpstream gives the same per-step message multisets",
                     file + "; FORMAT.md \"What to compare\"", Role::link, Strictness::ref};
    run.tags = {"replay", "live"};
    const std::string n = name;
    c.add(make_scenario(dec, [n](ScenarioContext& ctx) { return mismatches(traces::check_decoding(load(n)), ctx); }));
    c.add(make_scenario(enc, [n](ScenarioContext& ctx) { return mismatches(traces::check_reencoding(load(n)), ctx); }));
    auto it = live.find(name);
    c.add(make_scenario(run, it != live.end() ? it->second : needs(std::string("a live replay script for ") + name)));
  }
}

}  // namespace vpstream::conformance
