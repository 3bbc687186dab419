// `vpstream conform`: runs the conformance catalogue (conformance/README.md).
//   no arguments           whole catalogue in-process over link_pair against vpstream itself
//   --peer vop://HOST:PORT server-role scenarios against an external implementation
// Exit status: 0 all good, 1 a FAIL or an unexpected pass, 2 usage error, 3 peer unreachable
// or died during the run.
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "command_registry.hpp"
#include "model/catalogue.hpp"
#include "model/reference_data.hpp"
#include "report/reports.hpp"
#include "runner/runner.hpp"

namespace vpstream::tools {
namespace {

namespace conf = vpstream::conformance;

struct ConformArgs {
  bool list = false;
  bool dry_run = false;
  bool quiet = false;
  std::vector<std::string> filters;
  int repeat = 1;
  int jobs = 1;
  double timeout_scale = 1.0;
  std::string expect;
  std::string peer;
  std::string faults = "none";
  std::string junit, json, html;
  std::string reference_dir;
  std::uint64_t seed = 1;
};

int run_conform(const ConformArgs& a) {
  if (!a.reference_dir.empty()) conf::set_reference_dir(a.reference_dir);
  conf::RunOptions o;
  if (!a.peer.empty()) {
    if (a.peer.rfind("vop://", 0) != 0) {
      std::cerr << "--peer needs a vop://HOST:PORT URL\n";
      return 2;
    }
    o.target = {conf::Target::Kind::peer, a.peer};
  }
  auto profiles = conf::parse_fault_profiles(a.faults);
  if (!profiles) {
    std::cerr << "unknown fault profile in '" << a.faults << "' (known: all";
    for (const auto& p : conf::builtin_fault_profiles()) std::cerr << ", " << p.name;
    std::cerr << ")\n";
    return 2;
  }
  o.profiles = *profiles;
  o.filters = a.filters;
  o.repeat = std::max(1, a.repeat);
  o.jobs = std::max(1, a.jobs);
  o.timeout_scale = a.timeout_scale > 0 ? a.timeout_scale : 1.0;
  o.seed = a.seed;
  o.keep_traces = !a.html.empty();
  if (!a.expect.empty()) {
    try {
      o.expectations = conf::Expectations::load(a.expect);
    } catch (const std::exception& e) {
      std::cerr << "--expect " << a.expect << ": " << e.what() << '\n';
      return 2;
    }
  }
  const auto& catalogue = conf::builtin_catalogue();
  const auto selected = catalogue.select(o.filters, o.target);
  if (a.list) {
    conf::print_list(std::cout, selected);
    return 0;
  }
  if (a.dry_run) {
    for (const auto* s : catalogue.sanity()) std::cout << "sanity  " << s->id << " (first and last)\n";
    for (const auto& p : o.profiles) {
      for (const auto* s : selected) {
        std::cout << p.name << "  " << s->id << "  expect:";
        for (const auto& out : conf::accepted_outcomes(*s, p)) {
          std::cout << ' ' << conf::to_string(out.category) << '(' << out.label << ')';
        }
        std::cout << '\n';
      }
    }
    std::cout << selected.size() * o.profiles.size() << " cases would run against " << o.target.describe() << '\n';
    return 0;
  }
  if (!a.quiet) {
    o.progress = &std::cerr;
    o.progress_inline = ::isatty(STDERR_FILENO) != 0;
  }
  const auto result = conf::run(catalogue, o);
  conf::print_summary(std::cout, result);
  try {
    if (!a.junit.empty()) conf::write_text_file(a.junit, conf::junit_xml(result));
    if (!a.json.empty()) conf::write_text_file(a.json, conf::json_report(result).dump(2) + "\n");
    if (!a.html.empty()) {
      conf::write_html(a.html, result);
      std::cout << "HTML report: " << a.html << "/index.html\n";
    }
  } catch (const std::exception& e) {
    std::cerr << "writing reports failed: " << e.what() << '\n';
    return 2;
  }
  std::cout.flush();
  if (conf::abandoned_drivers()) std::_Exit(result.exit_code());  // hung drivers cannot be joined
  return result.exit_code();
}

const RegisterCommand kConform([](CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ConformArgs>();
  auto* cmd = app.add_subcommand("conform", "Run the conformance scenario catalogue");
  cmd->add_flag("--list", args->list, "List the selected scenarios and exit");
  cmd->add_flag("--dry-run", args->dry_run, "Show what would run, with the accepted outcomes, without running");
  cmd->add_option("--filter", args->filters, "Glob on scenario ids (repeatable; prefix '-' to exclude)");
  cmd->add_option("--repeat", args->repeat, "Repeat the run up to N times, stopping at the first failure");
  cmd->add_option("--jobs,-j", args->jobs, "Run N scenarios in parallel");
  cmd->add_option("--timeout-scale", args->timeout_scale, "Multiply every scenario time budget and wait by X");
  cmd->add_option("--expect", args->expect, "File of expected verdicts with reasons (see conformance/README.md)");
  cmd->add_option("--peer", args->peer, "Run server-role scenarios against vop://HOST:PORT (a conformance gateway)");
  cmd->add_option("--faults", args->faults, "Fault profiles: all, or a comma list of none,split1,splitrand,delay,cut");
  cmd->add_option("--junit", args->junit, "Write a JUnit XML report to FILE");
  cmd->add_option("--json", args->json, "Write a JSON report to FILE");
  cmd->add_option("--html", args->html, "Write an HTML report (index + per-case sequence charts and traces) into DIR");
  cmd->add_option("--reference-dir", args->reference_dir, "Directory of the reference traces and vectors");
  cmd->add_option("--seed", args->seed, "Seed for random fault splits");
  cmd->add_flag("--quiet,-q", args->quiet, "No progress display");
  cmd->callback([args, &exit_code] { exit_code = run_conform(*args); });
});

}  // namespace
}  // namespace vpstream::tools
