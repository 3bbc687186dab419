#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <unordered_set>

#include "entity/entity.hpp"
#include "entity/vej.hpp"
#include "vector_file.hpp"

namespace versile {
namespace {

struct Thing : Object {};

std::vector<Entity> distinct_samples() {
  auto thing = std::make_shared<Thing>();
  return {
      Entity(None{}), Entity(true), Entity(false), Entity(0), Entity(1), Entity(-1),
      Entity(Integer(Integer::Big(1) << 64)), Entity(Integer(-(Integer::Big(1) << 64))),
      Entity(Float{Integer(1), Integer(2), Integer(1)}), Entity(Float{Integer(2), Integer(2), Integer(0)}),
      Entity(Float{Integer(0), Integer(2), Integer(0)}), Entity(Float{Integer(0), Integer(2), Integer(5)}),
      Entity(Float{Integer(1), Integer(10), Integer(0)}), Entity(Bytes()), Entity(Bytes(std::string_view("a"))),
      Entity(""), Entity("a"), Entity(Tuple{}), Entity(Tuple{Entity(1)}), Entity(Tuple{Entity(1), Entity(2)}),
      Entity(Tuple{Entity(Tuple{})}), Entity(Exception{}), Entity(Exception{Tuple{Entity(1)}}),
      Entity(Tagged(Entity(1), {})), Entity(Tagged(Entity(1), {Entity(2)})), Entity(Tagged(Entity(2), {Entity(1)})),
      Entity(ObjectRef::raw(ObjectRef::Owner::sender, 1)), Entity(ObjectRef::raw(ObjectRef::Owner::receiver, 1)),
      Entity(ObjectRef::raw(ObjectRef::Owner::sender, 2)), Entity(thing), Entity(std::make_shared<Thing>()),
  };
}

TEST(Equality, DistinctValuesDifferAndEqualOnesHashAlike) {
  const auto a = distinct_samples();
  const auto b = distinct_samples();  // equal structure, rebuilt (live objects differ)
  for (std::size_t i = 0; i < a.size(); ++i) {
    for (std::size_t j = 0; j < a.size(); ++j) {
      EXPECT_EQ(a[i] == a[j], i == j) << i << " vs " << j << ": " << a[i] << " / " << a[j];
    }
    if (a[i].is<ObjectRef>() && !a[i].get<ObjectRef>().is_raw()) {
      EXPECT_NE(a[i], b[i]);
    } else {
      EXPECT_EQ(a[i], b[i]) << a[i];
      EXPECT_EQ(a[i].hash(), b[i].hash()) << a[i];
    }
  }
  std::unordered_set<Entity> set(a.begin(), a.end());
  EXPECT_EQ(set.size(), a.size());
}

TEST(Equality, BoolIsNotInteger) {
  EXPECT_NE(Entity(true), Entity(1));
  EXPECT_NE(Entity(false), Entity(0));
  EXPECT_NE(Entity(Tuple{}), Entity(Exception{}));
  EXPECT_NE(Entity(Bytes(std::string_view("a"))), Entity("a"));
}

TEST(Equality, VectorEntitiesHashConsistently) {
  std::vector<Entity> entities;
  for (const auto& v : testing::read_jsonl("entity-vectors.jsonl")) {
    if (v.contains("entity")) entities.push_back(from_vej(v["entity"]));
  }
  for (const auto& e : entities) {
    const Entity again = from_vej(to_vej(e));
    EXPECT_EQ(again, e);
    EXPECT_EQ(again.hash(), e.hash());
  }
  // Equal entities appear in the vectors under different names (e.g. 0.0 and -0.0); the set
  // must collapse exactly the ones whose VEJ is equal apart from "enc" (equality ignores it).
  std::unordered_set<Entity> set(entities.begin(), entities.end());
  std::set<std::string> distinct_vej;
  for (const auto& e : entities) {
    std::string text = to_vej(e).dump();
    for (const char* enc : {R"(,"enc":"utf8")", R"(,"enc":"utf16")", R"("enc":"utf8",)", R"("enc":"utf16",)"}) {
      for (auto pos = text.find(enc); pos != std::string::npos; pos = text.find(enc)) {
        text.erase(pos, std::string_view(enc).size());
      }
    }
    distinct_vej.insert(text);
  }
  EXPECT_EQ(set.size(), distinct_vej.size());
}

TEST(TypeErrors, NameBothTypes) {
  const Entity e(5);
  try {
    (void)e.get<Bytes>();
    FAIL() << "no throw";
  } catch (const EntityTypeError& err) {
    EXPECT_STREQ(err.what(), "expected bytes, got integer");
  }
  EXPECT_THROW((void)Entity("x").as_bool(), EntityTypeError);
  EXPECT_THROW((void)Entity(Integer(Integer::Big(1) << 64)).as_int64(), EntityTypeError);
  EXPECT_EQ(Entity(-7).as_int64(), -7);
  EXPECT_THROW((void)Tuple{}.at(0), EntityTypeError);
  EXPECT_THROW(Tagged(Tuple{}), EntityTypeError);
  EXPECT_THROW(ObjectRef(std::shared_ptr<Object>()), EntityTypeError);
  EXPECT_EQ(to_string(Entity(1.5).type()), "float");
}

TEST(Tagged, ValueAndTags) {
  const Tagged t(Entity(20), {Entity("unit"), Entity(1)});
  EXPECT_EQ(t.value(), Entity(20));
  ASSERT_EQ(t.tags().size(), 2u);
  EXPECT_EQ(t.tags()[0], Entity("unit"));
  EXPECT_EQ(t.parts().size(), 3u);
  EXPECT_EQ(Tagged(Tuple{Entity(20), Entity("unit"), Entity(1)}), t);
}

TEST(Printing, PythonLike) {
  std::ostringstream top;
  top << Entity("John Doe #1");
  EXPECT_EQ(top.str(), "John Doe #1");
  EXPECT_EQ(to_display_string(Entity(None{})), "None");
  EXPECT_EQ(to_display_string(Entity(true)), "True");
  EXPECT_EQ(to_display_string(Entity(-5)), "-5");
  EXPECT_EQ(to_display_string(Entity(-2.5)), "-2.5");
  EXPECT_EQ(to_display_string(Entity(3.0)), "3.0");
  EXPECT_EQ(to_display_string(Entity(Float{Integer(150), Integer(10), Integer(-2)})), "1.50");
  EXPECT_EQ(to_display_string(Entity(Float{Integer(-5), Integer(10), Integer(-3)})), "-0.005");
  EXPECT_EQ(to_display_string(Entity(Float{Integer(42), Integer(7), Integer(-5)})), "42*7^-5");
  EXPECT_EQ(to_display_string(Entity(Float{Integer(1), Integer(2), Integer(5000)})), "1*2^5000");
  EXPECT_EQ(to_display_string(Entity(Bytes(std::string_view("a'\x01\xff", 4)))), "b'a\\'\\x01\\xff'");
  EXPECT_EQ(to_display_string(Entity(Tuple{Entity("it's"), Entity(1)})), "('it\\'s', 1)");
  EXPECT_EQ(to_display_string(Entity(Tuple{Entity(1)})), "(1,)");
  EXPECT_EQ(to_display_string(Entity(Tuple{})), "()");
  EXPECT_EQ(to_display_string(Entity(Exception{Tuple{Entity("bad"), Entity(7)}})), "VException('bad', 7)");
  EXPECT_EQ(to_display_string(Entity(Tagged(Entity(20), {Entity("unit"), Entity(1)}))),
            "VTagged(20; 'unit', 1)");
  EXPECT_EQ(to_display_string(Entity(ObjectRef::raw(ObjectRef::Owner::sender, 3))), "<local 3>");
  EXPECT_EQ(to_display_string(Entity(ObjectRef::raw(ObjectRef::Owner::receiver, 3))), "<remote 3>");
  EXPECT_EQ(to_display_string(Entity(std::make_shared<Thing>())).rfind("<object ", 0), 0u);
}

}  // namespace
}  // namespace versile
