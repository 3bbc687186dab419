#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "report/reports.hpp"

namespace vpstream::conformance {
namespace {

std::string xml_escape(const std::string& in) {
  std::string out;
  out.reserve(in.size());
  for (unsigned char c : in) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // XML 1.0 forbids most control characters even as references.
        if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
          out += "?";
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

std::string seconds(std::chrono::milliseconds ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(ms.count()) / 1000.0);
  return buf;
}

std::string expected_text(const CaseResult& c) {
  std::string s;
  for (const auto& o : c.expected) {
    if (!s.empty()) s += " | ";
    s += std::string(to_string(o.category)) + " (" + o.label + ")";
  }
  return s;
}

}  // namespace

// One <testsuite> per fault profile; UNIMPLEMENTED → <skipped>, FAIL → <failure>, expected
// failures → <skipped> with the reason, unexpected passes → <failure>.
std::string junit_xml(const RunResult& r) {
  std::map<std::string, std::vector<const CaseResult*>> suites;
  for (const auto& p : r.profiles) suites[p];
  for (const auto& c : r.cases) suites[c.profile].push_back(&c);
  std::size_t tests = 0, failures = 0, skipped = 0;
  std::ostringstream body;
  for (const auto& [profile, cases] : suites) {
    std::size_t f = 0, sk = 0;
    std::chrono::milliseconds time{0};
    std::ostringstream tc;
    for (const CaseResult* c : cases) {
      time += c->duration;
      const std::string family = c->scenario ? c->scenario->id.substr(0, c->scenario->id.find('-')) : "harness";
      tc << "    <testcase classname=\"vpstream.conform." << xml_escape(profile) << '.' << xml_escape(family)
         << "\" name=\"" << xml_escape(c->name) << "\" time=\"" << seconds(c->duration) << "\">\n";
      const std::string observed = std::string(to_string(c->observed.category)) +
                                   (c->observed.detail.empty() ? "" : ": " + c->observed.detail);
      if (c->expectation_status == ExpectationStatus::unexpected_pass) {
        ++f;
        tc << "      <failure type=\"UNEXPECTED-PASS\" message=\""
           << xml_escape("expected " + std::string(to_string(c->expectation->verdict)) + ": " + c->expectation->reason)
           << "\"/>\n";
      } else if (c->expectation_status == ExpectationStatus::expected && c->verdict != Verdict::pass) {
        ++sk;
        tc << "      <skipped message=\""
           << xml_escape("expected " + std::string(to_string(c->verdict)) + ": " + c->expectation->reason)
           << "\"/>\n";
      } else if (c->verdict == Verdict::fail) {
        ++f;
        tc << "      <failure type=\"FAIL\" message=\"" << xml_escape("observed " + observed)
           << "\">" << xml_escape("expected: " + expected_text(*c) + "\nobserved: " + observed) << "</failure>\n";
      } else if (c->verdict == Verdict::unimplemented) {
        ++sk;
        tc << "      <skipped message=\"" << xml_escape("UNIMPLEMENTED: " + c->observed.detail) << "\"/>\n";
      }
      std::string out = "verdict: " + std::string(to_string(c->verdict));
      if (c->scenario) out += "\nspec: " + c->scenario->spec + "\nstatement: " + c->scenario->statement;
      out += "\nexpected: " + expected_text(*c) + "\nobserved: " + observed;
      for (const auto& line : c->observed.log) out += "\n" + line;
      tc << "      <system-out>" << xml_escape(out) << "</system-out>\n";
      tc << "    </testcase>\n";
    }
    tests += cases.size();
    failures += f;
    skipped += sk;
    body << "  <testsuite name=\"vpstream-conform." << xml_escape(profile) << "\" tests=\"" << cases.size()
         << "\" failures=\"" << f << "\" errors=\"0\" skipped=\"" << sk << "\" time=\"" << seconds(time)
         << "\">\n"
         << "    <properties>\n      <property name=\"target\" value=\"" << xml_escape(r.target)
         << "\"/>\n      <property name=\"fault_profile\" value=\"" << xml_escape(profile) << "\"/>\n    </properties>\n"
         << tc.str() << "  </testsuite>\n";
  }
  std::ostringstream os;
  os << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
     << "<testsuites name=\"vpstream conform\" tests=\"" << tests << "\" failures=\"" << failures
     << "\" errors=\"0\" skipped=\"" << skipped << "\" time=\"" << seconds(r.duration) << "\">\n"
     << body.str() << "</testsuites>\n";
  return os.str();
}

void write_text_file(const std::filesystem::path& path, const std::string& text) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace vpstream::conformance
