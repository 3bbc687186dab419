#include <gtest/gtest.h>

#include "model/grading.hpp"
#include "test_catalogue.hpp"

namespace vpstream::conformance {
namespace {

using testing::fake;

TEST(Grading, SpecOutcomePassesAndRefOutcomeIsNonStrict) {
  auto s = fake("X", {}, Strictness::should,
                {Outcome::spec(ErrorCategory::stream_failure), Outcome::ref(ErrorCategory::no_response)});
  EXPECT_EQ(grade(s, Observation::failed(ErrorCategory::stream_failure, ""), {}).verdict, Verdict::pass);
  const auto g = grade(s, Observation::failed(ErrorCategory::no_response, ""), {});
  EXPECT_EQ(g.verdict, Verdict::non_strict);
  EXPECT_EQ(g.matched, "REF");
}

TEST(Grading, DeviationIsGradedByStrictness) {
  const auto wrong = Observation::failed(ErrorCategory::wrong_result, "x");
  EXPECT_EQ(grade(fake("M", {}, Strictness::must), wrong, {}).verdict, Verdict::fail);
  EXPECT_EQ(grade(fake("S", {}, Strictness::should), wrong, {}).verdict, Verdict::non_strict);
  EXPECT_EQ(grade(fake("R", {}, Strictness::ref), wrong, {}).verdict, Verdict::informational);
}

TEST(Grading, HarnessFailuresAlwaysFailAndMissingApisAreUnimplemented) {
  EXPECT_EQ(grade(fake("R", {}, Strictness::ref), Observation::failed(ErrorCategory::timeout, ""), {}).verdict,
            Verdict::fail);
  EXPECT_EQ(grade(fake("R", {}, Strictness::ref), Observation::failed(ErrorCategory::harness_error, ""), {}).verdict,
            Verdict::fail);
  EXPECT_EQ(grade(fake("M", {}), Observation::missing("x"), {}).verdict, Verdict::unimplemented);
}

TEST(Grading, ACutAcceptsALinkClosedOutcomeOnlyForTransportScenarios) {
  auto s = fake("T", {});
  FaultProfile cut;
  cut.name = "cut";
  cut.cut_after_bytes = 10;
  const auto closed = Observation::failed(ErrorCategory::link_closed, "");
  EXPECT_EQ(grade(s, closed, {}).verdict, Verdict::fail);
  EXPECT_EQ(grade(s, closed, cut).verdict, Verdict::pass);
  EXPECT_EQ(grade(s, closed, cut).matched, "CUT");
  s.uses_transport = false;
  EXPECT_EQ(grade(s, closed, cut).verdict, Verdict::fail);
}

TEST(Verdicts, NamesRoundTrip) {
  for (Verdict v : {Verdict::pass, Verdict::non_strict, Verdict::informational, Verdict::unimplemented, Verdict::fail}) {
    EXPECT_EQ(verdict_from_string(to_string(v)), v);
  }
  EXPECT_EQ(category_from_string("stream_failure"), ErrorCategory::stream_failure);
  EXPECT_FALSE(category_from_string("no such"));
}

}  // namespace
}  // namespace vpstream::conformance
