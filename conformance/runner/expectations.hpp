// --expect FILE: known deviations, one per line, each with a reason (like BoringSSL's
// bogo "expected failures" config):
//
//   # comment
//   STREAM-C40        FAIL           D5: close with pushes in flight, tracked in #123
//   LINK-HOSTILE-*    UNIMPLEMENTED  raw peer hooks not there yet
//
// The first glob that matches a case's id applies. A case whose verdict equals the expected
// one is "expected"; a case expected to FAIL (or be UNIMPLEMENTED) that passes is an
// "unexpected pass" and is reported so the file gets updated.
#pragma once

#include <istream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/verdict.hpp"

namespace vpstream::conformance {

struct Expectation {
  std::string glob;
  Verdict verdict = Verdict::fail;
  std::string reason;
  int line = 0;
};

enum class ExpectationStatus { none, expected, unexpected_pass, unexpected };

class Expectations {
 public:
  // Throws std::invalid_argument (with the line number) on a malformed line or a missing reason.
  static Expectations parse(std::istream& in);
  static Expectations load(const std::string& path);

  const Expectation* match(const std::string& id) const;
  static ExpectationStatus status(const Expectation* e, Verdict actual);
  const std::vector<Expectation>& entries() const noexcept { return entries_; }

 private:
  std::vector<Expectation> entries_;
};

std::string_view to_string(ExpectationStatus s) noexcept;

}  // namespace vpstream::conformance
