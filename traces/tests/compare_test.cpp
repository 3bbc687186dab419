#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "compare.hpp"
#include "trace_io.hpp"

namespace vpstream::traces {
namespace {

using nlohmann::json;
const std::filesystem::path kReference{VPSTREAM_REFERENCE_DIR};
const char* const kTraces[] = {"call-basics",    "entity-iterator", "fixed-bytes-read",
                               "recipe-bytes",   "recipe-entity",   "seek-and-reread"};

class Comparator : public ::testing::TestWithParam<const char*> {
 protected:
  Trace load() const { return read_trace_file(kReference / (std::string(GetParam()) + ".vptrace.jsonl")); }
};

TEST_P(Comparator, EveryReferenceTraceEqualsItself) {
  const Trace t = load();
  const auto c = compare(t, t);
  EXPECT_TRUE(c.equivalent) << describe(c);
}

TEST_P(Comparator, ChangingOnePayloadIsDetected) {
  const Trace t = load();
  Trace mutated = t;
  // The last message unit of direction b: change its code (e.g. CALL_RESULT → CALL_ERROR).
  auto it = std::find_if(mutated.units.rbegin(), mutated.units.rend(), [](const Unit& u) {
    return u.from == Direction::b && u.index > 2 && u.vej && u.vej->is_array();
  });
  ASSERT_NE(it, mutated.units.rend());
  (*it->vej)[2] = json{{"str", "mutated"}};
  const auto c = compare(t, mutated);
  EXPECT_FALSE(c.equivalent);
  ASSERT_EQ(c.differences.size(), 1u);
  EXPECT_EQ(c.differences[0].direction, Direction::b);
  EXPECT_EQ(c.differences[0].step, it->step);
}

TEST_P(Comparator, MovingAUnitToAnotherStepIsDetected) {
  const Trace t = load();
  Trace moved = t;
  auto it = std::find_if(moved.units.begin(), moved.units.end(),
                         [](const Unit& u) { return u.from == Direction::a && u.index > 3; });
  ASSERT_NE(it, moved.units.end());
  it->step += 1;
  EXPECT_FALSE(compare(t, moved).equivalent);
}

TEST_P(Comparator, RenumberingMessageIdsWithinAStepKeepsEquivalence) {
  // Swap the msg_ids of the first two messages of direction a in step 0 and fix the answers
  // in direction b accordingly: the FORMAT.md comparison must not care.
  const Trace t = load();
  Trace swapped = t;
  std::vector<Unit*> step0;
  for (auto& u : swapped.units) {
    if (u.from == Direction::a && u.index > 2 && u.step == 0) step0.push_back(&u);
  }
  ASSERT_GE(step0.size(), 2u);
  const json id0 = (*step0[0]->vej)[0], id1 = (*step0[1]->vej)[0];
  (*step0[0]->vej)[0] = id1;
  (*step0[1]->vej)[0] = id0;
  for (auto& u : swapped.units) {
    if (u.from != Direction::b || u.index <= 2 || !u.vej || !u.vej->is_array()) continue;
    json& v = *u.vej;
    const std::string code = v[1]["int"].get<std::string>();
    json* answered = code == "6" ? &v[2] : (code == "4" || code == "5") ? &v[2][0] : nullptr;
    if (!answered) continue;
    if (*answered == id0) {
      *answered = id1;
    } else if (*answered == id1) {
      *answered = id0;
    }
  }
  std::swap(step0[0]->offset, step0[1]->offset);
  const auto c = compare(t, swapped);
  EXPECT_TRUE(c.equivalent) << describe(c);
}

INSTANTIATE_TEST_SUITE_P(All, Comparator, ::testing::ValuesIn(kTraces));

TEST(Comparator, DifferentScenariosAreNotEquivalent) {
  const Trace a = read_trace_file(kReference / "recipe-entity.vptrace.jsonl");
  const Trace b = read_trace_file(kReference / "recipe-bytes.vptrace.jsonl");
  const auto c = compare(a, b);
  EXPECT_FALSE(c.equivalent);
  EXPECT_FALSE(c.differences.empty());
}

TEST(Comparator, CallResultsAreKeyedByTheCallTheyAnswer) {
  const Trace t = read_trace_file(kReference / "call-basics.vptrace.jsonl");
  const auto sigs = signatures(t);
  // b's answer to a's add(2, 3) call carries the call's signature, not its msg id.
  bool found = false;
  for (const auto& [key, sig] : sigs.by_unit) {
    if (key.first == Direction::b && sig.find("\"add\"") != std::string::npos &&
        sig.find("{\"int\":\"4\"}") == 1) {
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace vpstream::traces
