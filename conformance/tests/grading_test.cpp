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

FaultProfile cut_profile() {
  FaultProfile cut;
  cut.name = "cut";
  cut.cut_after_bytes = 10;
  return cut;
}

TEST(Grading, ACutAcceptsALinkClosedOutcomeOnlyForTransportScenarios) {
  auto s = fake("T", {});
  const auto cut = cut_profile();
  FaultRecord fired;
  fired.note_cut(FaultRecord::Clock::now());
  const auto closed = Observation::failed(ErrorCategory::link_closed, "");
  EXPECT_EQ(grade(s, closed, {}).verdict, Verdict::fail);
  EXPECT_EQ(grade(s, closed, cut, &fired).verdict, Verdict::pass);
  EXPECT_EQ(grade(s, closed, cut, &fired).matched, "CUT");
  s.uses_transport = false;
  EXPECT_EQ(grade(s, closed, cut, &fired).verdict, Verdict::fail);
}

TEST(Grading, CutOutcomesNeedACutBeforeTheObservation) {
  const auto s = fake("T", {});
  const auto cut = cut_profile();
  const auto closed = Observation::failed(ErrorCategory::link_closed, "");
  FaultRecord none;
  EXPECT_EQ(grade(s, closed, cut, &none).verdict, Verdict::fail) << "no cut fired: a lost link is not excused";
  EXPECT_EQ(grade(s, closed, cut).verdict, Verdict::fail);
  FaultRecord later;
  later.note_cut(closed.at + std::chrono::seconds(1));
  EXPECT_EQ(grade(s, closed, cut, &later).verdict, Verdict::fail) << "the cut came after the observation";
}

TEST(Grading, AMissingReplyAfterACutIsAttributedToTheCut) {
  const auto s = fake("T", {});
  const auto cut = cut_profile();
  FaultRecord fired;
  fired.note_cut(FaultRecord::Clock::now());
  const auto o = attribute_to_cut(s, Observation::failed(ErrorCategory::no_response, "no peer_fail"), cut, fired);
  EXPECT_EQ(o.category, ErrorCategory::link_closed);
  EXPECT_NE(o.detail.find("no peer_fail"), std::string::npos);
  EXPECT_EQ(grade(s, o, cut, &fired).matched, "CUT");
  // Not under another profile, and not for a scenario without a transport.
  EXPECT_EQ(attribute_to_cut(s, Observation::failed(ErrorCategory::no_response, ""), {}, fired).category,
            ErrorCategory::no_response);
  auto codec_only = s;
  codec_only.uses_transport = false;
  EXPECT_EQ(attribute_to_cut(codec_only, Observation::failed(ErrorCategory::no_response, ""), cut, fired).category,
            ErrorCategory::no_response);
}

TEST(Grading, TheCutExcusesNeitherWrongValuesNorUnnoticedLossNorLateCuts) {
  const auto s = fake("T", {});
  const auto cut = cut_profile();
  FaultRecord fired;
  fired.note_cut(FaultRecord::Clock::now());
  for (auto c : {ErrorCategory::wrong_result, ErrorCategory::stream_timeout, ErrorCategory::timeout}) {
    const auto o = attribute_to_cut(s, Observation::failed(c, ""), cut, fired);
    EXPECT_EQ(o.category, c);
    EXPECT_EQ(grade(s, o, cut, &fired).verdict, Verdict::fail);
  }
  FaultRecord unnoticed;
  unnoticed.note_cut(FaultRecord::Clock::now());
  unnoticed.note_link_end(false);
  const auto o = attribute_to_cut(s, Observation::failed(ErrorCategory::no_response, ""), cut, unnoticed);
  EXPECT_EQ(o.category, ErrorCategory::no_response);
  EXPECT_EQ(grade(s, o, cut, &unnoticed).verdict, Verdict::fail);
  const auto early = Observation::failed(ErrorCategory::no_response, "");
  FaultRecord late;
  late.note_cut(early.at + std::chrono::seconds(1));
  EXPECT_EQ(attribute_to_cut(s, early, cut, late).category, ErrorCategory::no_response);
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
