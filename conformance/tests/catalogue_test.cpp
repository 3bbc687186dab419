#include <gtest/gtest.h>

#include <set>

#include "model/catalogue.hpp"
#include "test_catalogue.hpp"

namespace vpstream::conformance {
namespace {

using testing::fake;

Catalogue sample() {
  Catalogue c;
  c.add(fake("STREAM-C01", Observation::ok()));
  c.add(fake("STREAM-C02", Observation::ok()));
  c.add(fake("LINK-HOSTILE-A", Observation::ok()));
  auto client = fake("STREAM-C09", Observation::ok());
  client.role = Role::client;
  c.add(client);
  auto local = fake("VEC-X", Observation::ok());
  local.uses_transport = false;
  c.add(local);
  auto sanity = fake("SANITY", Observation::ok());
  sanity.sanity = true;
  c.add(sanity);
  return c;
}

std::set<std::string> ids(const std::vector<const Scenario*>& v) {
  std::set<std::string> out;
  for (auto* s : v) out.insert(s->id);
  return out;
}

TEST(Catalogue, FiltersByGlobWithExclusions) {
  const auto c = sample();
  EXPECT_EQ(ids(c.select({}, {})).size(), 5u);  // the sanity case is never selected
  EXPECT_EQ(ids(c.select({"STREAM-*"}, {})), (std::set<std::string>{"STREAM-C01", "STREAM-C02", "STREAM-C09"}));
  EXPECT_EQ(ids(c.select({"STREAM-*", "-STREAM-C0[12]"}, {})), (std::set<std::string>{"STREAM-C09"}));
  EXPECT_EQ(ids(c.select({"-STREAM-*"}, {})), (std::set<std::string>{"LINK-HOSTILE-A", "VEC-X"}));
  EXPECT_EQ(ids(c.select({"LINK-HOSTILE-?"}, {})), (std::set<std::string>{"LINK-HOSTILE-A"}));
  EXPECT_TRUE(c.select({"NOPE*"}, {}).empty());
}

TEST(Catalogue, AnExternalPeerGetsOnlyServerScenariosThatUseATransport) {
  const auto c = sample();
  Target peer{Target::Kind::peer, "vop://127.0.0.1:1"};
  EXPECT_EQ(ids(c.select({}, peer)), (std::set<std::string>{"STREAM-C01", "STREAM-C02", "LINK-HOSTILE-A"}));
}

TEST(Catalogue, RejectsDuplicatesAndIncompleteScenarios) {
  Catalogue c;
  c.add(fake("A", Observation::ok()));
  EXPECT_THROW(c.add(fake("A", Observation::ok())), std::invalid_argument);
  auto no_outcome = fake("B", Observation::ok());
  no_outcome.outcomes.clear();
  EXPECT_THROW(c.add(no_outcome), std::invalid_argument);
}

TEST(BuiltinCatalogue, HasTheRequiredFamiliesAndAtLeast120Scenarios) {
  const auto& c = builtin_catalogue();
  EXPECT_GE(c.all().size(), 120u);
  std::size_t stream = 0;
  for (const auto& s : c.all()) {
    EXPECT_FALSE(s.statement.empty()) << s.id;
    EXPECT_FALSE(s.spec.empty()) << s.id;
    EXPECT_FALSE(s.outcomes.empty()) << s.id;
    stream += s.id.rfind("STREAM-C", 0) == 0;
  }
  EXPECT_EQ(stream, 79u);
  for (const char* id : {"STREAM-C01", "STREAM-C79", "RECIPE-ENTITY", "RECIPE-BYTES", "REPLAY-CALL-BASICS-DECODE",
                         "REPLAY-SEEK-AND-REREAD-LIVE", "LINK-HOSTILE-BAD-TYPE-CODE", "ENT-STR-ASTRAL",
                         "VEC-ENCODE-EXACT", "CALL-FAIL-EXCEPTION", "SANITY-ECHO"}) {
    EXPECT_NE(c.find(id), nullptr) << id;
  }
  EXPECT_EQ(c.sanity().size(), 1u);
}

}  // namespace
}  // namespace vpstream::conformance
