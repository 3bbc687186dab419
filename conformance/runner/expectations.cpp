#include "runner/expectations.hpp"

#include <fstream>
#include <sstream>

#include "model/catalogue.hpp"

namespace vpstream::conformance {

Expectations Expectations::parse(std::istream& in) {
  Expectations out;
  std::string line;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    std::istringstream words(line);
    Expectation e;
    std::string verdict;
    if (!(words >> e.glob)) continue;
    if (!(words >> verdict)) {
      throw std::invalid_argument("line " + std::to_string(lineno) + ": missing verdict");
    }
    auto v = verdict_from_string(verdict);
    if (!v) throw std::invalid_argument("line " + std::to_string(lineno) + ": unknown verdict " + verdict);
    e.verdict = *v;
    std::getline(words >> std::ws, e.reason);
    while (!e.reason.empty() && std::isspace(static_cast<unsigned char>(e.reason.back()))) e.reason.pop_back();
    if (e.reason.empty()) {
      throw std::invalid_argument("line " + std::to_string(lineno) + ": every expectation needs a reason");
    }
    e.line = lineno;
    out.entries_.push_back(std::move(e));
  }
  return out;
}

Expectations Expectations::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::invalid_argument("cannot read " + path);
  return parse(in);
}

const Expectation* Expectations::match(const std::string& id) const {
  for (const auto& e : entries_) {
    if (glob_match(e.glob, id)) return &e;
  }
  return nullptr;
}

ExpectationStatus Expectations::status(const Expectation* e, Verdict actual) {
  if (!e) return ExpectationStatus::none;
  if (e->verdict == actual) return ExpectationStatus::expected;
  const bool expected_bad = e->verdict == Verdict::fail || e->verdict == Verdict::unimplemented;
  if (expected_bad && actual == Verdict::pass) return ExpectationStatus::unexpected_pass;
  return ExpectationStatus::unexpected;
}

std::string_view to_string(ExpectationStatus s) noexcept {
  switch (s) {
    case ExpectationStatus::none: return "";
    case ExpectationStatus::expected: return "expected";
    case ExpectationStatus::unexpected_pass: return "unexpected-pass";
    case ExpectationStatus::unexpected: return "unexpected";
  }
  return "";
}

}  // namespace vpstream::conformance
