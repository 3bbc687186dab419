#include <algorithm>

#include "report/reports.hpp"
#include "trace_io.hpp"

namespace vpstream::conformance {
namespace {

std::string esc(const std::string& in) {
  std::string out;
  for (char c : in) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

const char* verdict_class(Verdict v) {
  switch (v) {
    case Verdict::pass: return "pass";
    case Verdict::non_strict: return "nonstrict";
    case Verdict::informational: return "info";
    case Verdict::unimplemented: return "unimpl";
    case Verdict::fail: return "fail";
  }
  return "";
}

constexpr const char* kStyle = R"(<style>
body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em} table{border-collapse:collapse;font-size:.85em}
th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f0f0f0} .v{font-weight:bold;white-space:nowrap}
.pass{background:#d4f7d4}.nonstrict{background:#fff3c4}.info{background:#dbe9ff}
.unimpl{background:#e8e8e8}.fail{background:#ffc9c9}
.summary td{text-align:right} code,pre{font-family:ui-monospace,monospace;font-size:.85em}
.msc{display:grid;grid-template-columns:9em 1fr 9em;gap:0;margin-top:1em;max-width:70em}
.msc .life{text-align:center;font-weight:bold;padding:.3em;background:#eee;border:1px solid #bbb}
.msc .lane{border-left:2px solid #888;border-right:2px solid #888;min-height:1px}
.msc .step{grid-column:1/4;background:#f6f6f6;border-top:1px dashed #999;padding:.2em .5em;font-size:.8em;color:#555}
.msc .msg{grid-column:2;padding:.15em .4em;font-size:.8em;position:relative}
.msc .a2b{border-bottom:2px solid #2a6;text-align:left}
.msc .b2a{border-bottom:2px solid #26a;text-align:right}
.msc .a2b::after{content:'\25B6';color:#2a6;position:absolute;right:-.3em;bottom:-.62em}
.msc .b2a::before{content:'\25C0';color:#26a;position:absolute;left:-.3em;bottom:-.62em}
.msc .side{font-size:.7em;color:#777;padding:.15em .3em}
.msc details{display:inline} .msc summary{cursor:pointer}
</style>)";

std::string msc_html(const traces::Trace& t) {
  struct Row { std::int64_t seq; int dir; std::size_t index; const traces::Unit* u; };
  std::vector<Row> rows;
  for (const auto& u : t.units) rows.push_back({u.end_seq, u.from == traces::Direction::a ? 0 : 1, u.index, &u});
  std::ranges::sort(rows, [](const Row& x, const Row& y) {
    return std::tie(x.seq, x.dir, x.index) < std::tie(y.seq, y.dir, y.index);
  });
  std::vector<std::string> labels = t.step_labels();
  std::string h = "<div class=\"msc\"><div class=\"life\">a: " +
                  esc(t.header.value("sides", nlohmann::json::object()).value("a", "client")) +
                  "</div><div></div><div class=\"life\">b: " +
                  esc(t.header.value("sides", nlohmann::json::object()).value("b", "server")) + "</div>\n";
  int shown_step = -1;
  for (const auto& r : rows) {
    const auto& u = *r.u;
    if (u.step != shown_step) {
      shown_step = u.step;
      const std::string label = static_cast<std::size_t>(u.step) < labels.size() ? labels[u.step] : "";
      h += "<div class=\"step\">step " + std::to_string(u.step) + (label.empty() ? "" : ": " + esc(label)) + "</div>\n";
    }
    const bool a = u.from == traces::Direction::a;
    const std::string note = u.note.empty() ? u.what : u.note;
    std::string body = "<details><summary>" + esc(note) + "</summary><code>" +
                       esc(u.vej ? u.vej->dump() : u.text.value_or(u.what)) + "</code></details>";
    h += std::string("<div class=\"side\">") + (a ? std::to_string(u.len) + " B" : "") + "</div>";
    h += std::string("<div class=\"msg ") + (a ? "a2b" : "b2a") + "\">" + body + "</div>";
    h += std::string("<div class=\"side\">") + (a ? "" : std::to_string(u.len) + " B") + "</div>\n";
  }
  h += "</div>\n";
  return h;
}

std::string outcomes_text(const std::vector<Outcome>& v) {
  std::string s;
  for (const auto& o : v) {
    if (!s.empty()) s += " | ";
    s += std::string(to_string(o.category)) + " → " + std::string(to_string(o.grade)) + " (" + o.label + ")";
  }
  return s;
}

}  // namespace

std::string case_file_stem(const CaseResult& c) {
  std::string s;
  for (char ch : c.name) {
    if (std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_') {
      s += ch;
    } else if (ch == ' ' || ch == '(' ) {
      if (!s.empty() && s.back() != '.') s += '.';
    }
  }
  if (c.profile != "none") s += "." + c.profile;
  if (c.round > 1) s += ".r" + std::to_string(c.round);
  return s;
}

void write_html(const std::filesystem::path& dir, const RunResult& r) {
  std::filesystem::create_directories(dir / "cases");
  std::string idx = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>vpstream conform</title>" +
                    std::string(kStyle) + "</head><body>\n<h1>vpstream conform</h1>\n<p>target: " + esc(r.target) +
                    " — " + std::to_string(r.rounds) + " round(s), " + std::to_string(r.duration.count()) +
                    " ms — exit " + std::to_string(r.exit_code()) + "</p>\n";
  if (r.peer_unreachable) idx += "<p class=\"fail\">The sanity case failed first: peer unreachable.</p>";
  if (r.peer_died) idx += "<p class=\"fail\">The sanity case failed last: the peer died during the run.</p>";
  idx += "<table class=\"summary\"><tr><th>profile</th>";
  const Verdict order[] = {Verdict::pass, Verdict::non_strict, Verdict::informational, Verdict::unimplemented, Verdict::fail};
  for (Verdict v : order) idx += "<th class=\"" + std::string(verdict_class(v)) + "\">" + std::string(to_string(v)) + "</th>";
  idx += "</tr>\n";
  for (const auto& p : r.profiles) {
    idx += "<tr><td style=\"text-align:left\">" + esc(p) + "</td>";
    for (Verdict v : order) idx += "<td>" + std::to_string(r.count(v, p)) + "</td>";
    idx += "</tr>\n";
  }
  idx += "</table>\n<h2>Cases</h2><table><tr><th>case</th><th>profile</th><th>verdict</th><th>strictness</th>"
         "<th>role</th><th>statement</th><th>spec</th><th>observed</th><th>ms</th></tr>\n";
  for (const auto& c : r.cases) {
    const std::string stem = case_file_stem(c);
    idx += "<tr><td><a href=\"cases/" + stem + ".html\">" + esc(c.name) + "</a></td><td>" + esc(c.profile) +
           "</td><td class=\"v " + verdict_class(c.verdict) + "\">" + std::string(to_string(c.verdict)) +
           (c.expectation_status != ExpectationStatus::none ? " (" + std::string(to_string(c.expectation_status)) + ")" : "") +
           "</td><td>" + (c.scenario ? std::string(to_string(c.scenario->strictness)) : "") + "</td><td>" +
           (c.scenario ? std::string(to_string(c.scenario->role)) : "") + "</td><td>" +
           esc(c.scenario ? c.scenario->statement : "") + "</td><td>" + esc(c.scenario ? c.scenario->spec : "") +
           "</td><td>" + esc(std::string(to_string(c.observed.category)) +
                             (c.observed.detail.empty() ? "" : ": " + c.observed.detail)) +
           "</td><td>" + std::to_string(c.duration.count()) + "</td></tr>\n";

    std::string page = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + esc(c.name) + "</title>" +
                       std::string(kStyle) + "</head><body>\n<p><a href=\"../index.html\">← all cases</a></p>\n<h1>" +
                       esc(c.name) + " <span class=\"v " + verdict_class(c.verdict) + "\">" +
                       std::string(to_string(c.verdict)) + "</span></h1>\n<table>";
    auto row = [&](const std::string& k, const std::string& v) { page += "<tr><th>" + k + "</th><td>" + v + "</td></tr>\n"; };
    if (c.scenario) {
      row("statement", esc(c.scenario->statement));
      row("spec", esc(c.scenario->spec));
      row("role", std::string(to_string(c.scenario->role)));
      row("strictness", std::string(to_string(c.scenario->strictness)));
    }
    row("fault profile", esc(c.profile));
    row("expected", esc(outcomes_text(c.expected)));
    row("observed", esc(std::string(to_string(c.observed.category)) + (c.observed.detail.empty() ? "" : ": " + c.observed.detail)));
    if (c.expectation) row("expectation", esc(std::string(to_string(c.expectation->verdict)) + " — " + c.expectation->reason));
    row("duration", std::to_string(c.duration.count()) + " ms");
    page += "</table>\n";
    if (!c.observed.log.empty()) {
      page += "<h2>Log</h2><pre>";
      for (const auto& l : c.observed.log) page += esc(l) + "\n";
      page += "</pre>\n";
    }
    if (c.trace) {
      traces::write_trace_file(dir / "cases" / (stem + ".vptrace.jsonl"), *c.trace);
      page += "<h2>Message sequence</h2><p>Recorded by the transport tap; raw trace: <a href=\"" + stem +
              ".vptrace.jsonl\">" + stem + ".vptrace.jsonl</a> (vp-trace/1). Click a message for its VEJ.</p>\n" +
              msc_html(*c.trace);
    } else {
      page += "<p>No transport trace was recorded for this case.</p>\n";
    }
    page += "</body></html>\n";
    write_text_file(dir / "cases" / (stem + ".html"), page);
  }
  idx += "</table></body></html>\n";
  write_text_file(dir / "index.html", idx);
}

}  // namespace vpstream::conformance
