// `vpstream trace`: vp-trace/1 tooling.
//   trace show FILE            steps and decoded units, both directions
//   trace diff A B             FORMAT.md comparison; exit 0 equivalent, 1 different
//   trace check FILE           replay the bytes through the codec (decode + re-encode)
//   trace corpus --out DIR F…  export per-direction byte streams and units as fuzz seeds
#include <filesystem>
#include <iostream>

#include "command_registry.hpp"
#include "compare.hpp"
#include "corpus.hpp"
#include "replay.hpp"
#include "trace_io.hpp"

namespace vpstream::tools {
namespace {

namespace tr = vpstream::traces;

int show(const std::string& file) {
  const tr::Trace t = tr::read_trace_file(file);
  std::cout << "scenario: " << t.scenario() << '\n' << "description: " << t.header.value("description", "") << '\n';
  const auto labels = t.step_labels();
  for (int step = 0; step < t.step_count(); ++step) {
    std::cout << "\n── step " << step << ": " << (static_cast<std::size_t>(step) < labels.size() ? labels[step] : "") << '\n';
    for (tr::Direction d : {tr::Direction::a, tr::Direction::b}) {
      for (const tr::Unit* u : t.units_of(d)) {
        if (u->step != step) continue;
        std::cout << (d == tr::Direction::a ? "  a → b  " : "  a ← b  ") << '[' << u->index << "] " << u->len << " B  "
                  << (u->note.empty() ? u->what : u->note) << '\n';
      }
    }
  }
  std::cout << "\nsummary: " << t.summary.dump() << '\n';
  return 0;
}

int diff(const std::string& a, const std::string& b) {
  const auto c = tr::compare(tr::read_trace_file(a), tr::read_trace_file(b));
  std::cout << tr::describe(c);
  return c.equivalent ? 0 : 1;
}

int check(const std::string& file) {
  const tr::Trace t = tr::read_trace_file(file);
  auto d = tr::check_decoding(t);
  auto e = tr::check_reencoding(t);
  for (const auto& m : d) std::cout << "decode " << tr::to_string(m.direction) << '[' << m.index << "]: " << m.what << '\n';
  for (const auto& m : e) std::cout << "re-encode " << tr::to_string(m.direction) << '[' << m.index << "]: " << m.what << '\n';
  std::cout << (d.empty() && e.empty() ? "ok\n" : "MISMATCH\n");
  return d.empty() && e.empty() ? 0 : 1;
}

int corpus(const std::string& out, const std::vector<std::string>& inputs) {
  std::size_t written = 0, existing = 0;
  for (const auto& in : inputs) {
    std::vector<std::filesystem::path> files;
    if (std::filesystem::is_directory(in)) {
      for (const auto& e : std::filesystem::directory_iterator(in)) {
        if (e.path().string().ends_with(".vptrace.jsonl")) files.push_back(e.path());
      }
    } else {
      files.emplace_back(in);
    }
    for (const auto& f : files) {
      const auto r = tr::export_corpus(tr::read_trace_file(f), out);
      written += r.written;
      existing += r.existing;
    }
  }
  std::cout << written << " new seeds, " << existing << " already present, in " << out << '\n';
  return 0;
}

template <class F>
int guarded(F f) {
  try {
    return f();
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 2;
  }
}

const RegisterCommand kTrace([](CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("trace", "vp-trace/1 tools: show, diff, check, corpus");
  cmd->require_subcommand(1);
  auto file = std::make_shared<std::string>();
  auto* s = cmd->add_subcommand("show", "Print a trace step by step with decoded units");
  s->add_option("FILE", *file)->required();
  s->callback([file, &exit_code] { exit_code = guarded([&] { return show(*file); }); });
  auto files = std::make_shared<std::vector<std::string>>();
  auto* d = cmd->add_subcommand("diff", "Compare two traces (per direction, per step, multiset of signatures)");
  d->add_option("A B", *files)->required()->expected(2);
  d->callback([files, &exit_code] { exit_code = guarded([&] { return diff((*files)[0], (*files)[1]); }); });
  auto* c = cmd->add_subcommand("check", "Replay a trace's bytes through the codec (decode and re-encode)");
  c->add_option("FILE", *file)->required();
  c->callback([file, &exit_code] { exit_code = guarded([&] { return check(*file); }); });
  auto out = std::make_shared<std::string>("fuzz/corpus");
  auto inputs = std::make_shared<std::vector<std::string>>();
  auto* k = cmd->add_subcommand("corpus", "Export trace byte streams as fuzz seeds named by SHA-256");
  k->add_option("--out", *out, "Corpus root (seeds go to <out>/vec_stream and <out>/entity_decoder)");
  k->add_option("FILES", *inputs, "Trace files or directories")->required();
  k->callback([out, inputs, &exit_code] { exit_code = guarded([&] { return corpus(*out, *inputs); }); });
});

}  // namespace
}  // namespace vpstream::tools
