#include <gtest/gtest.h>

#include <atomic>
#include <sstream>
#include <thread>

#include "runner/runner.hpp"
#include "test_catalogue.hpp"

namespace vpstream::conformance {
namespace {

using testing::fake;

Scenario sanity_case(std::shared_ptr<std::atomic<int>> calls, int fail_from_call) {
  Scenario s = fake("SANITY", Observation::ok());
  s.sanity = true;
  s.driver = [calls, fail_from_call](ScenarioContext&) {
    return ++*calls >= fail_from_call ? Observation::failed(ErrorCategory::link_closed, "gone") : Observation::ok();
  };
  return s;
}

TEST(Runner, GradesEveryCaseAndRunsSanityFirstAndLast) {
  Catalogue c;
  c.add(sanity_case(std::make_shared<std::atomic<int>>(0), 1000));
  c.add(fake("A-PASS", Observation::ok()));
  c.add(fake("A-FAIL", Observation::failed(ErrorCategory::wrong_result, "bad")));
  c.add(fake("A-UNIMPL", Observation::missing("api")));
  RunOptions o;
  o.jobs = 2;
  const auto r = run(c, o);
  ASSERT_EQ(r.cases.size(), 5u);
  EXPECT_EQ(r.cases.front().name, "SANITY (first)");
  EXPECT_EQ(r.cases.back().name, "SANITY (last)");
  EXPECT_EQ(r.count(Verdict::pass), 3u);
  EXPECT_EQ(r.count(Verdict::fail), 1u);
  EXPECT_EQ(r.count(Verdict::unimplemented), 1u);
  EXPECT_EQ(r.exit_code(), 1);
}

TEST(Runner, ASanityFailureAtTheEndMeansThePeerDied) {
  Catalogue c;
  c.add(sanity_case(std::make_shared<std::atomic<int>>(0), 2));
  c.add(fake("A-PASS", Observation::ok()));
  const auto r = run(c, {});
  EXPECT_TRUE(r.peer_died);
  EXPECT_FALSE(r.peer_unreachable);
  EXPECT_EQ(r.exit_code(), 3);
}

TEST(Runner, ASanityFailureAtTheStartSkipsEveryTransportScenario) {
  Catalogue c;
  c.add(sanity_case(std::make_shared<std::atomic<int>>(0), 1));
  c.add(fake("A-PASS", Observation::ok()));
  auto local = fake("CODEC-ONLY", Observation::ok());
  local.uses_transport = false;
  c.add(local);
  const auto r = run(c, {});
  EXPECT_TRUE(r.peer_unreachable);
  ASSERT_EQ(r.cases.size(), 2u);  // the sanity case and the scenario that needs no transport
  EXPECT_EQ(r.cases[1].name, "CODEC-ONLY");
  EXPECT_EQ(r.exit_code(), 3);
}

TEST(Runner, ADriverOverItsBudgetIsAbandonedAsATimeoutFailure) {
  Catalogue c;
  Scenario slow = fake("SLOW", Observation::ok());
  slow.budget = std::chrono::milliseconds(50);
  auto release = std::make_shared<std::atomic<bool>>(false);
  slow.driver = [release](ScenarioContext&) {
    while (!*release) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return Observation::ok();
  };
  c.add(slow);
  const auto r = run(c, {});
  *release = true;
  ASSERT_EQ(r.cases.size(), 1u);
  EXPECT_EQ(r.cases[0].verdict, Verdict::fail);
  EXPECT_EQ(r.cases[0].observed.category, ErrorCategory::timeout);
  EXPECT_TRUE(abandoned_drivers());
}

TEST(Runner, RepeatStopsAtTheFirstFailingRound) {
  Catalogue c;
  auto calls = std::make_shared<std::atomic<int>>(0);
  Scenario flaky = fake("FLAKY", Observation::ok());
  flaky.driver = [calls](ScenarioContext&) {
    return ++*calls == 3 ? Observation::failed(ErrorCategory::wrong_result, "flake") : Observation::ok();
  };
  c.add(flaky);
  RunOptions o;
  o.repeat = 10;
  const auto r = run(c, o);
  EXPECT_EQ(r.rounds, 3);
  EXPECT_EQ(r.count(Verdict::fail), 1u);
}

TEST(Runner, ExpectedFailuresDoNotFailTheRunButUnexpectedPassesDo) {
  Catalogue c;
  c.add(fake("KNOWN-BAD", Observation::failed(ErrorCategory::wrong_result, "x")));
  c.add(fake("FIXED", Observation::ok()));
  std::istringstream exp("KNOWN-BAD FAIL tracked\nFIXED FAIL was broken\n");
  RunOptions o;
  o.expectations = Expectations::parse(exp);
  const auto r = run(c, o);
  EXPECT_EQ(r.failures(), 1u);
  EXPECT_EQ(r.unexpected_passes(), 1u);
  EXPECT_EQ(r.exit_code(), 1);
  std::istringstream exp2("KNOWN-BAD FAIL tracked\n");
  o.expectations = Expectations::parse(exp2);
  EXPECT_EQ(run(c, o).exit_code(), 0);
}

TEST(Runner, EveryProfileRunsTheWholeSelection) {
  Catalogue c;
  c.add(fake("A", Observation::ok()));
  c.add(fake("B", Observation::ok()));
  RunOptions o;
  o.profiles = *parse_fault_profiles("none,split1,cut");
  o.filters = {"A"};
  const auto r = run(c, o);
  ASSERT_EQ(r.cases.size(), 3u);
  EXPECT_EQ(r.count(Verdict::pass, "split1"), 1u);
  EXPECT_FALSE(parse_fault_profiles("none,bogus"));
  EXPECT_EQ(parse_fault_profiles("all")->size(), builtin_fault_profiles().size());
}

}  // namespace
}  // namespace vpstream::conformance
