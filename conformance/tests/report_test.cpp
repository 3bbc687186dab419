#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "report/reports.hpp"
#include "test_catalogue.hpp"

namespace vpstream::conformance {
namespace {

using testing::fake;

// A strict-enough XML well-formedness check for the report: balanced, properly nested tags,
// quoted attributes, only the five predefined entities, no raw '<' or '&' in text. Returns the
// element names in document order.
std::vector<std::string> parse_xml(const std::string& xml) {
  std::vector<std::string> stack, names;
  std::size_t i = 0;
  auto fail = [&](const std::string& why) -> std::vector<std::string> {
    ADD_FAILURE() << why << " at offset " << i;
    return {};
  };
  if (xml.rfind("<?xml", 0) == 0) i = xml.find("?>") + 2;
  while (i < xml.size()) {
    if (xml[i] == '<') {
      const std::size_t end = xml.find('>', i);
      if (end == std::string::npos) return fail("unterminated tag");
      std::string tag = xml.substr(i + 1, end - i - 1);
      if (tag.find('<') != std::string::npos) return fail("'<' inside a tag");
      if (tag[0] == '/') {
        if (stack.empty() || stack.back() != tag.substr(1)) return fail("mismatched close " + tag);
        stack.pop_back();
      } else {
        const bool self = tag.back() == '/';
        if (self) tag.pop_back();
        const std::string name = tag.substr(0, tag.find(' '));
        std::size_t quotes = 0;
        for (char ch : tag) quotes += ch == '"';
        if (quotes % 2) return fail("unbalanced quotes in " + name);
        names.push_back(name);
        if (!self) stack.push_back(name);
      }
      i = end + 1;
    } else if (xml[i] == '&') {
      const std::size_t semi = xml.find(';', i);
      const std::string ent = xml.substr(i, semi - i + 1);
      if (ent != "&amp;" && ent != "&lt;" && ent != "&gt;" && ent != "&quot;" && ent != "&apos;") return fail("entity " + ent);
      i = semi + 1;
    } else {
      ++i;
    }
  }
  if (!stack.empty()) return fail("unclosed " + stack.back());
  return names;
}

RunResult sample_result(const Catalogue& c) {
  RunOptions o;
  o.profiles = *parse_fault_profiles("none,split1");
  return run(c, o);
}

Catalogue sample_catalogue() {
  Catalogue c;
  c.add(fake("P-1", Observation::ok()));
  c.add(fake("F-1", Observation::failed(ErrorCategory::wrong_result, "got <b> & \"c\"\x01")));
  c.add(fake("U-1", Observation::missing("api")));
  c.add(fake("N-1", Observation::failed(ErrorCategory::no_response, "ref"), Strictness::should));
  return c;
}

TEST(JUnitReport, IsWellFormedWithExpectedCounts) {
  const auto c = sample_catalogue();
  const auto r = sample_result(c);
  const std::string xml = junit_xml(r);
  const auto names = parse_xml(xml);
  ASSERT_FALSE(names.empty());
  EXPECT_EQ(names.front(), "testsuites");
  EXPECT_EQ(std::count(names.begin(), names.end(), "testsuite"), 2);
  EXPECT_EQ(std::count(names.begin(), names.end(), "testcase"), 8);
  EXPECT_EQ(std::count(names.begin(), names.end(), "failure"), 2);
  EXPECT_EQ(std::count(names.begin(), names.end(), "skipped"), 2);
  EXPECT_NE(xml.find("tests=\"8\" failures=\"2\" errors=\"0\" skipped=\"2\""), std::string::npos);
  EXPECT_NE(xml.find("&lt;b&gt; &amp; &quot;c&quot;"), std::string::npos);
}

TEST(JsonReport, HasExpectedAndActualPerCaseAndConsistentSummary) {
  const auto c = sample_catalogue();
  const auto r = sample_result(c);
  const auto j = json_report(r);
  EXPECT_EQ(j["format"], "vpstream-conform/1");
  ASSERT_TRUE(j["cases"].is_array());
  EXPECT_EQ(j["cases"].size(), 8u);
  std::size_t fails = 0;
  for (const auto& k : j["cases"]) {
    for (const char* key : {"id", "name", "profile", "verdict", "expected", "actual", "statement", "spec", "strictness", "role"}) {
      EXPECT_TRUE(k.contains(key)) << key;
    }
    EXPECT_TRUE(k["expected"].is_array());
    EXPECT_FALSE(k["expected"].empty());
    EXPECT_TRUE(k["actual"].contains("category"));
    fails += k["verdict"] == "FAIL";
  }
  EXPECT_EQ(j["summary"]["FAIL"].get<std::size_t>(), fails);
  EXPECT_EQ(j["summary"]["PASS"], 2);
  EXPECT_EQ(j["summary"]["NON-STRICT"], 2);
  EXPECT_EQ(j["per_profile"]["split1"]["UNIMPLEMENTED"], 1);
  EXPECT_EQ(j["exit_code"], 1);
}

TEST(HtmlReport, WritesAnIndexAndOnePagePerCase) {
  const auto c = sample_catalogue();
  const auto r = sample_result(c);
  const auto dir = std::filesystem::temp_directory_path() / "vpstream-html-report-test";
  std::filesystem::remove_all(dir);
  write_html(dir, r);
  ASSERT_TRUE(std::filesystem::exists(dir / "index.html"));
  std::size_t pages = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir / "cases")) pages += e.path().extension() == ".html";
  EXPECT_EQ(pages, r.cases.size());
  std::ifstream in(dir / "index.html");
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_NE(ss.str().find("cases/F-1.split1.html"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(ConsoleReport, SummarisesPerProfileAndListsFailures) {
  const auto c = sample_catalogue();
  const auto r = sample_result(c);
  std::ostringstream os;
  print_summary(os, r);
  EXPECT_NE(os.str().find("split1"), std::string::npos);
  EXPECT_NE(os.str().find("F-1"), std::string::npos);
  EXPECT_NE(os.str().find("FAILED (exit 1)"), std::string::npos);
}

}  // namespace
}  // namespace vpstream::conformance
