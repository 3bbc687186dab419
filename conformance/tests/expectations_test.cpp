#include <gtest/gtest.h>

#include <sstream>

#include "runner/expectations.hpp"

namespace vpstream::conformance {
namespace {

TEST(Expectations, ParsesGlobsVerdictsAndReasons) {
  std::istringstream in(
      "# known deviations\n"
      "STREAM-C40   FAIL           D5 not fixed yet\n"
      "\n"
      "LINK-*       UNIMPLEMENTED  hooks missing   # trailing comment\n");
  const auto e = Expectations::parse(in);
  ASSERT_EQ(e.entries().size(), 2u);
  EXPECT_EQ(e.entries()[0].reason, "D5 not fixed yet");
  EXPECT_EQ(e.entries()[1].reason, "hooks missing");
  EXPECT_EQ(e.match("STREAM-C40")->verdict, Verdict::fail);
  EXPECT_EQ(e.match("LINK-HOSTILE-X")->verdict, Verdict::unimplemented);
  EXPECT_EQ(e.match("STREAM-C41"), nullptr);
}

TEST(Expectations, EveryLineNeedsAKnownVerdictAndAReason) {
  std::istringstream no_reason("STREAM-C40 FAIL\n");
  EXPECT_THROW(Expectations::parse(no_reason), std::invalid_argument);
  std::istringstream bad_verdict("STREAM-C40 BROKEN because\n");
  EXPECT_THROW(Expectations::parse(bad_verdict), std::invalid_argument);
}

TEST(Expectations, StatusDistinguishesExpectedUnexpectedAndUnexpectedPass) {
  Expectation fail{"X", Verdict::fail, "r", 1};
  EXPECT_EQ(Expectations::status(nullptr, Verdict::fail), ExpectationStatus::none);
  EXPECT_EQ(Expectations::status(&fail, Verdict::fail), ExpectationStatus::expected);
  EXPECT_EQ(Expectations::status(&fail, Verdict::pass), ExpectationStatus::unexpected_pass);
  EXPECT_EQ(Expectations::status(&fail, Verdict::non_strict), ExpectationStatus::unexpected);
}

}  // namespace
}  // namespace vpstream::conformance
