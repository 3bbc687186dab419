#include "entity/convert.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace versile {
namespace {

struct Thing : Object {};
struct Other : Object {};

template <class T>
Entity round(const T& v) {
  return EntityConverter<T>::to_entity(v);
}

TEST(Convert, IntegralRanges) {
  EXPECT_EQ(Entity(127).as<std::int8_t>(), 127);
  EXPECT_THROW(Entity(128).as<std::int8_t>(), EntityTypeError);
  EXPECT_EQ(Entity(-128).as<std::int8_t>(), -128);
  EXPECT_THROW(Entity(-129).as<std::int8_t>(), EntityTypeError);
  EXPECT_EQ(Entity(255).as<std::uint8_t>(), 255);
  EXPECT_THROW(Entity(256).as<std::uint8_t>(), EntityTypeError);
  EXPECT_THROW(Entity(-1).as<std::uint8_t>(), EntityTypeError);
  EXPECT_THROW(Entity(-1).as<unsigned>(), EntityTypeError);
  EXPECT_EQ(Entity(2147483647).as<std::int32_t>(), 2147483647);
  EXPECT_THROW(Entity(2147483648LL).as<std::int32_t>(), EntityTypeError);
  EXPECT_EQ(Entity(-2147483648LL).as<std::int32_t>(), std::numeric_limits<std::int32_t>::min());
  EXPECT_THROW(Entity(-2147483649LL).as<std::int32_t>(), EntityTypeError);
  EXPECT_EQ(Entity(4294967295LL).as<std::uint32_t>(), 4294967295u);
  EXPECT_THROW(Entity(4294967296LL).as<std::uint32_t>(), EntityTypeError);
  const Integer two63(Integer::Big(1) << 63);
  EXPECT_THROW(Entity(two63).as<std::int64_t>(), EntityTypeError);
  EXPECT_EQ(Entity(two63).as<std::uint64_t>(), std::uint64_t{1} << 63);
  EXPECT_EQ(Entity(std::numeric_limits<std::uint64_t>::max()).as<std::uint64_t>(),
            std::numeric_limits<std::uint64_t>::max());
  EXPECT_THROW(Entity(Integer(Integer::Big(1) << 64)).as<std::uint64_t>(), EntityTypeError);
  EXPECT_EQ(Entity(std::numeric_limits<std::int64_t>::min()).as<std::int64_t>(),
            std::numeric_limits<std::int64_t>::min());
  EXPECT_THROW(Entity(true).as<int>(), EntityTypeError);
  EXPECT_THROW(Entity(1.0).as<int>(), EntityTypeError);
  EXPECT_EQ(round<std::uint16_t>(65535), Entity(65535));
  EXPECT_EQ(round<std::uint64_t>(std::numeric_limits<std::uint64_t>::max()).get<Integer>().to_decimal(),
            "18446744073709551615");
  try {
    Entity(300).as<std::uint8_t>();
  } catch (const EntityTypeError& e) {
    EXPECT_STREQ(e.what(), "integer 300 does not fit in uint8");
  }
}

TEST(Convert, ScalarsAndText) {
  EXPECT_EQ(Entity(true).as<bool>(), true);
  EXPECT_THROW(Entity(1).as<bool>(), EntityTypeError);
  EXPECT_EQ(round(true), Entity(true));
  EXPECT_EQ(Entity(None{}).as<None>(), None{});
  EXPECT_EQ(Entity(Integer(5)).as<Integer>(), Integer(5));
  EXPECT_EQ(Entity("héllo").as<std::string>(), "héllo");
  EXPECT_THROW(Entity(Bytes()).as<std::string>(), EntityTypeError);
  EXPECT_EQ(round(std::string("x")), Entity("x"));
  EXPECT_EQ(EntityConverter<std::string_view>::to_entity("sv"), Entity("sv"));
  EXPECT_EQ(EntityConverter<const char*>::to_entity("cc"), Entity("cc"));
  EXPECT_EQ(to_entity("literal"), Entity("literal"));
  EXPECT_THROW(round(std::string("\xff")), EntityTypeError);
  const std::vector<std::uint8_t> raw{0, 1, 255};
  EXPECT_EQ(round(raw), Entity(Bytes(raw)));
  EXPECT_EQ(Entity(Bytes(raw)).as<std::vector<std::uint8_t>>(), raw);
  EXPECT_EQ(Entity(Bytes(raw)).as<Bytes>(), Bytes(raw));
  EXPECT_THROW(Entity(Tuple{Entity(0)}).as<std::vector<std::uint8_t>>(), EntityTypeError);
}

TEST(Convert, Doubles) {
  EXPECT_EQ(Entity(Float{Integer(20), Integer(2), Integer(-3)}).as<double>(), 2.5);
  EXPECT_EQ(Entity(Float{Integer(1), Integer(10), Integer(-1)}).as<double>(), 0.1);  // nearest
  EXPECT_EQ(Entity(Float{Integer(150), Integer(10), Integer(-2)}).as<double>(), 1.5);  // exact
  EXPECT_EQ(Entity(7).as<double>(), 7.0);
  EXPECT_EQ(Entity(Integer((Integer::Big(1) << 60) + 1)).as<double>(), std::ldexp(1.0, 60));
  EXPECT_THROW(Entity("1.0").as<double>(), EntityTypeError);
  EXPECT_EQ(round(0.1), Entity(Float{Integer(7205759403792794), Integer(2), Integer(-56)}));
  EXPECT_THROW(round(std::numeric_limits<double>::infinity()), EntityTypeError);
  EXPECT_EQ(Entity(Float{Integer(1), Integer(2), Integer(0)}).as<Float>(), (Float{Integer(1), Integer(2), Integer(0)}));
}

TEST(Convert, Composites) {
  const Entity t(Tuple{Entity(1), Entity("a")});
  EXPECT_EQ(t.as<Tuple>().size(), 2u);
  EXPECT_EQ(t.as<Entity>(), t);
  const auto tup = t.as<std::tuple<int, std::string>>();
  EXPECT_EQ(std::get<0>(tup), 1);
  EXPECT_EQ(std::get<1>(tup), "a");
  EXPECT_THROW((t.as<std::tuple<int>>()), EntityTypeError);
  EXPECT_THROW((t.as<std::tuple<int, int>>()), EntityTypeError);
  EXPECT_EQ(round(std::tuple<int, std::string>(1, "a")), t);
  EXPECT_EQ(round(std::tuple<>()), Entity(Tuple{}));
  EXPECT_EQ(Entity(Tuple{}).as<std::tuple<>>(), std::tuple<>());

  const std::vector<std::int64_t> ints{1, -2, 3};
  EXPECT_EQ(round(ints), Entity(Tuple{Entity(1), Entity(-2), Entity(3)}));
  EXPECT_EQ(round(ints).as<std::vector<std::int64_t>>(), ints);
  EXPECT_THROW(t.as<std::vector<int>>(), EntityTypeError);
  EXPECT_EQ((round(std::vector<std::vector<bool>>{{true}, {}})),
            Entity(Tuple{Entity(Tuple{Entity(true)}), Entity(Tuple{})}));

  EXPECT_EQ(Entity(None{}).as<std::optional<int>>(), std::nullopt);
  EXPECT_EQ(Entity(4).as<std::optional<int>>(), 4);
  EXPECT_THROW(Entity("x").as<std::optional<int>>(), EntityTypeError);
  EXPECT_EQ(round(std::optional<int>()), Entity(None{}));
  EXPECT_EQ(round(std::optional<int>(3)), Entity(3));

  const Exception ex{Tuple{Entity("bad")}};
  EXPECT_EQ(Entity(ex).as<Exception>(), ex);
  EXPECT_EQ(round(ex), Entity(ex));
  const Tagged tg(Entity(1), {Entity(2)});
  EXPECT_EQ(Entity(tg).as<Tagged>(), tg);
  EXPECT_EQ(round(tg), Entity(tg));
  EXPECT_THROW(Entity(ex).as<Tuple>(), EntityTypeError);
}

TEST(Convert, ObjectReferences) {
  auto thing = std::make_shared<Thing>();
  const Entity e(thing);
  EXPECT_EQ(e.as<std::shared_ptr<Object>>(), thing);
  EXPECT_EQ(e.as<std::shared_ptr<Thing>>(), thing);
  EXPECT_THROW(e.as<std::shared_ptr<Other>>(), EntityTypeError);
  EXPECT_EQ(round(std::shared_ptr<Thing>(thing)), e);
  EXPECT_EQ(e.as<ObjectRef>().object(), thing);
  const Entity raw(ObjectRef::raw(ObjectRef::Owner::sender, 4));
  EXPECT_EQ(raw.as<ObjectRef>().raw_id(), Integer(4));
  EXPECT_THROW(raw.as<std::shared_ptr<Object>>(), EntityTypeError);
  EXPECT_THROW(Entity(1).as<std::shared_ptr<Object>>(), EntityTypeError);
}

}  // namespace
}  // namespace versile
