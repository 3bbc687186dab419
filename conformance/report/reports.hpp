// Report writers: console summary, JUnit XML (the common schema CI systems read), JSON
// (expected vs actual per case) and an HTML directory (index + one page per case with its
// message sequence chart, and the case's vp-trace/1 file next to it).
#pragma once

#include <filesystem>
#include <ostream>
#include <string>

#include "runner/runner.hpp"

namespace vpstream::conformance {

void print_summary(std::ostream& os, const RunResult& r);
void print_list(std::ostream& os, const std::vector<const Scenario*>& scenarios);

std::string junit_xml(const RunResult& r);
nlohmann::json json_report(const RunResult& r);
// Writes index.html, cases/<name>.html and cases/<name>.vptrace.jsonl (when traced).
void write_html(const std::filesystem::path& dir, const RunResult& r);
// The file-name-safe form of a case name ("STREAM-C01 [split1]" → "STREAM-C01.split1").
std::string case_file_stem(const CaseResult& c);

void write_text_file(const std::filesystem::path& path, const std::string& text);

}  // namespace vpstream::conformance
